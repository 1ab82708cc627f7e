/// Hands pages to workers in order, rendering the next one while the current one is in flight.
///
/// A page is rendered when a worker asks for it (`.now`), or ahead (`.ahead`) once a worker's
/// request has left, so the first request never waits for page 2. Up to `aheadLimit` pages
/// (one per worker) wait rendered: when several slots free up at once — they do, pages of a
/// document take about the same time — each finds its next page ready instead of queueing
/// behind one renderer (measured: 40 pages on 4 slots went from 1.15× to ~1.05× the ideal
/// time). Never the whole document: at most `aheadLimit` rendered pages wait, besides those
/// being sent. Page 1 renders alone, though: with several render workers the other slots'
/// pages would share the cores with it and delay the first request.
actor PagePrefetcher {
  typealias Render = @Sendable (Int, RenderUrgency) async throws(DocumentError) -> PageImage
  typealias Rendering = (page: Int, task: Task<Result<PageImage, DocumentError>, Never>)

  private var queue: [Int]
  private var ahead: [Rendering] = []
  private var aheadLimit: Int
  private var stopped = false
  private let render: Render
  /// The first page handed out: later pages wait for its render before starting theirs.
  private var firstRender: Task<Result<PageImage, DocumentError>, Never>?

  init(pages: [Int], aheadLimit: Int = 1, render: @escaping Render) {
    queue = pages
    self.aheadLimit = max(1, aheadLimit)
    self.render = render
  }

  /// The next page and its rendering; nil when none is left, the run stopped or was cancelled.
  func next() async -> (Int, Result<PageImage, DocumentError>)? {
    if let firstRender { _ = await firstRender.value }
    guard !stopped, !Task.isCancelled else { return nil }
    let current: Rendering
    if !ahead.isEmpty {
      current = ahead.removeFirst()
    } else if !queue.isEmpty {
      let page = queue.removeFirst()
      current = (page, start(page, .now))
      if firstRender == nil { firstRender = current.task }
    } else {
      return nil
    }
    return (current.page, await current.task.value)
  }

  /// Starts rendering the next page in line, unless `aheadLimit` pages are waiting already.
  func prefetch() {
    guard ahead.count < aheadLimit, !queue.isEmpty, !stopped, !Task.isCancelled else { return }
    let page = queue.removeFirst()
    ahead.append((page, start(page, .ahead)))
  }

  /// Follows an adaptive in-flight limit: as many pages wait rendered as may be in flight.
  func setAheadLimit(_ limit: Int) { aheadLimit = max(1, limit) }

  /// Pages are left to hand out (the server's queue is worth polling only then).
  var hasPages: Bool { !stopped && !(queue.isEmpty && ahead.isEmpty) }

  /// Stops handing out pages (the server is unusable).
  func stop() { stopped = true }

  /// The pages never handed out, for reporting; the prefetcher is empty afterwards.
  /// Waits for a render in progress, so no C call outlives the run.
  func drain() async -> [Int] {
    for rendering in ahead { _ = await rendering.task.value }
    let left = ahead.map(\.page) + queue
    ahead = []
    queue = []
    return left
  }

  private func start(_ page: Int, _ urgency: RenderUrgency) -> Task<
    Result<PageImage, DocumentError>, Never
  > {
    let render = render
    return Task { () -> Result<PageImage, DocumentError> in
      do throws(DocumentError) { return .success(try await render(page, urgency)) } catch {
        return .failure(error)
      }
    }
  }
}

/// Hands pages to workers in order, rendering the next one while the current one is in flight.
///
/// A page is rendered when a worker asks for it, or ahead (one page at most) once a worker's
/// request has left — so the first request never waits for page 2, and at most
/// (workers + 1) pages are ever rendered, never the whole document.
actor PagePrefetcher {
  typealias Render = @Sendable (Int) async throws(DocumentError) -> PageImage

  private var queue: [Int]
  private var ahead: (page: Int, task: Task<Result<PageImage, DocumentError>, Never>)?
  private var stopped = false
  private let render: Render

  init(pages: [Int], render: @escaping Render) {
    queue = pages
    self.render = render
  }

  /// The next page and its rendering; nil when none is left, the run stopped or was cancelled.
  func next() async -> (Int, Result<PageImage, DocumentError>)? {
    guard !stopped, !Task.isCancelled else { return nil }
    let current: (page: Int, task: Task<Result<PageImage, DocumentError>, Never>)
    if let ahead {
      current = ahead
      self.ahead = nil
    } else if !queue.isEmpty {
      let page = queue.removeFirst()
      current = (page, start(page))
    } else {
      return nil
    }
    return (current.page, await current.task.value)
  }

  /// Starts rendering the next page in line, if none is rendered ahead already.
  func prefetch() {
    guard ahead == nil, !queue.isEmpty, !stopped, !Task.isCancelled else { return }
    let page = queue.removeFirst()
    ahead = (page, start(page))
  }

  /// Stops handing out pages (the server is unusable).
  func stop() { stopped = true }

  /// The pages never handed out, for reporting; the prefetcher is empty afterwards.
  /// Waits for a render in progress, so no C call outlives the run.
  func drain() async -> [Int] {
    if let ahead { _ = await ahead.task.value }
    let left = (ahead.map { [$0.page] } ?? []) + queue
    ahead = nil
    queue = []
    return left
  }

  private func start(_ page: Int) -> Task<Result<PageImage, DocumentError>, Never> {
    let render = render
    return Task { () -> Result<PageImage, DocumentError> in
      do throws(DocumentError) { return .success(try await render(page)) } catch {
        return .failure(error)
      }
    }
  }
}

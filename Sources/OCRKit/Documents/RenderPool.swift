import Synchronization

/// The render workers of one document: each a serial queue with a page source of its own,
/// because poppler documents are not thread-safe (DESIGN.md) — a worker never lends its source.
/// Extra workers open their source on first use (~1 ms), so a run that never renders two pages
/// at once opens one. Each worker holds one page at a time, so memory does not grow with pages.
final class RenderPool: Sendable {
  private let workers: [RenderWorker]
  /// Pages queued or rendering on each worker.
  private let busy: Mutex<[Int]>

  init(
    first: any PageSource, count: Int,
    open: @escaping @Sendable () throws(DocumentError) -> any PageSource
  ) {
    let count = max(1, count)
    workers =
      [RenderWorker(source: first, open: open, index: 0)]
      + (1..<count).map { RenderWorker(source: nil, open: open, index: $0) }
    busy = Mutex(Array(repeating: 0, count: count))
  }

  /// Workers, whether or not their sources are open yet.
  var count: Int { workers.count }

  /// Sources opened so far (for tests: never more than the workers that rendered).
  func openedSources() async -> Int {
    var opened = 0
    for worker in workers where await worker.queue.run({ worker.isOpen }) { opened += 1 }
    return opened
  }

  /// Runs `work` on `worker`, or else on the least busy worker (the lowest on a tie), and waits
  /// for it without holding a pool thread.
  func run<T: Sendable>(
    on worker: Int? = nil,
    _ work: @escaping @Sendable (any PageSource) -> Result<T, DocumentError>
  ) async -> Result<T, DocumentError> {
    let index = busy.withLock { counts in
      let index = worker ?? counts.indices.min { counts[$0] < counts[$1] }!
      counts[index] += 1
      return index
    }
    defer { busy.withLock { $0[index] -= 1 } }
    let chosen = workers[index]
    return await chosen.queue.run { chosen.withSource(work) }
  }

  /// Queues `work` on `worker` and returns at once.
  func async(on worker: Int, _ work: @escaping @Sendable (any PageSource) -> Void) {
    let chosen = workers[worker]
    chosen.queue.async {
      _ = chosen.withSource { source -> Result<Void, DocumentError> in .success(work(source)) }
    }
  }
}

/// One worker: a serial queue and the page source only it touches.
private final class RenderWorker: @unchecked Sendable {
  // Safe: `source` is only touched on `queue`.
  let queue: BlockingQueue
  private var source: Result<any PageSource, DocumentError>?
  private let open: @Sendable () throws(DocumentError) -> any PageSource

  init(
    source: (any PageSource)?, open: @escaping @Sendable () throws(DocumentError) -> any PageSource,
    index: Int
  ) {
    queue = BlockingQueue("ocrview.render.\(index)")
    self.source = source.map { .success($0) }
    self.open = open
  }

  /// On `queue` only.
  var isOpen: Bool { (try? source?.get()) != nil }

  /// On `queue` only.
  func withSource<T>(_ work: (any PageSource) -> Result<T, DocumentError>) -> Result<
    T, DocumentError
  > {
    if source == nil { source = Result { () throws(DocumentError) in try open() } }
    switch source! {
    case .success(let source): return work(source)
    case .failure(let error): return .failure(error)
    }
  }
}

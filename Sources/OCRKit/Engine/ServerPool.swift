/// Several OCR servers used as one engine: each page goes to a server with a free slot, a
/// server that fails is taken out of rotation for a while, and a page it could not start is
/// sent to another at once. How a user scales past one machine.
public final class ServerPool: OCREngine {
  public let servers: [any OCREngine]
  /// Pages each server serves at once, as given (its `/props` slots, or no cap).
  public let slotCounts: [Int]
  private let slots: Slots
  /// How long a failing server stays out of rotation (pages wait for it if every server rests).
  public let restTime: Duration

  /// - Parameter slots: pages each server serves at once (`/props` `total_slots`).
  public init(servers: [any OCREngine], slots: [Int], restTime: Duration = .seconds(10)) {
    self.servers = servers
    slotCounts = slots.map { max(1, $0) }
    self.slots = Slots(capacity: slotCounts)
    self.restTime = restTime
  }

  public var kind: EngineKind { .server }

  public var label: String {
    "\(servers.count) servers: " + servers.map(\.label).joined(separator: ", ")
  }

  /// Any of the servers may read a page, so each one's identity is part of it.
  public var outputIdentity: String {
    Set(servers.map(\.outputIdentity)).sorted().joined(separator: " | ")
  }

  /// The first server's: a pool's servers serve one model with one set of flags.
  public var temperature: Double? { servers.first?.temperature }

  public func recognize(_ page: PageImage, _ options: ReadOptions) -> AsyncThrowingStream<
    EngineOutput, Error
  > {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: EngineOutput.self)
    let task = Task { [servers, slots, restTime] in
      var tried = Set<Int>()
      var lastError: Error = ServerError.unreachable(
        url: servers.map(\.label).joined(separator: ", "), detail: "all out of rotation")
      while let index = await slots.acquire(excluding: tried) {
        tried.insert(index)
        var gaveText = false
        do {
          for try await output in servers[index].recognize(page, options) {
            if case .delta = output { gaveText = true }
            continuation.yield(output)
          }
          await slots.release(index)
          continuation.finish()
          return
        } catch {
          // Freed and rested in one step: a page waiting for a slot must not slip in between
          // (on a loaded machine a server that had just cut a page off got the next one).
          await slots.release(
            index, restingFor: Self.rest(after: error as? ServerError, restTime: restTime))
          guard let failure = error as? ServerError, failure.isServerFault else {
            continuation.finish(throwing: error)
            return
          }
          // A server loading its model is fine, just not ready: the run waits for it.
          if case .loading = failure {
            continuation.finish(throwing: error)
            return
          }
          lastError = error
          // Text already shown: the run retries the page (elsewhere); none: try the next now.
          if gaveText {
            continuation.finish(throwing: error)
            return
          }
        }
      }
      continuation.finish(throwing: Task.isCancelled ? CancellationError() : lastError)
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }

  /// How long a server that failed with `failure` gets no page: one that asked to wait, what
  /// it asked (the others go on); one at fault, `restTime`; one loading its model, none (it is
  /// fine, just not ready, and the run waits for it).
  static func rest(after failure: ServerError?, restTime: Duration) -> Duration? {
    switch failure {
    case .tooManyRequests(let delay?, _)?: min(delay, ServerWait.longest)
    case .loading?: nil
    case let failure? where failure.isServerFault: restTime
    default: nil
    }
  }

  /// Sets how many pages server `index` may hold for us: the share its own queue figures
  /// leave (`QueueLimit`), or `slotCounts[index]` again once they stop.
  public func setCapacity(_ index: Int, to capacity: Int) async {
    await slots.setCapacity(index, max(1, capacity))
  }

  /// Pages each server holds for us now.
  public var busy: [Int] { get async { await slots.busyCounts } }

  /// Servers in rotation right now (for tests and the stats).
  public var inRotation: [Bool] { get async { await slots.inRotation } }
}

extension ServerError {
  /// The server, not the request, is at fault: worth another server.
  var isServerFault: Bool {
    switch self {
    case .unreachable, .loading, .cutOff, .idleTimeout, .pageTimeout, .transfer, .incomplete: true
    case .http(let status, _): status >= 500
    // Busy, not broken: the run sends the page again (to the least busy server).
    case .streamError, .invalidResponse, .tls, .tooLarge, .tooManyRequests, .noText: false
    }
  }
}

/// Free slots per server, and which servers are resting after a failure.
private actor Slots {
  private var capacity: [Int]
  private var busy: [Int]
  private var restingUntil: [ContinuousClock.Instant?]

  init(capacity: [Int]) {
    self.capacity = capacity
    busy = Array(repeating: 0, count: capacity.count)
    restingUntil = Array(repeating: nil, count: capacity.count)
  }

  var inRotation: [Bool] { capacity.indices.map(isInRotation) }

  private func isInRotation(_ index: Int) -> Bool {
    guard let until = restingUntil[index] else { return true }
    return ContinuousClock.now >= until
  }

  /// The least busy server in rotation with a free slot, waiting while all are busy or
  /// resting; nil once every server has been tried for this page.
  func acquire(excluding tried: Set<Int>) async -> Int? {
    while !Task.isCancelled {
      let untried = capacity.indices.filter { !tried.contains($0) }
      guard !untried.isEmpty else { return nil }
      let candidates = untried.filter(isInRotation)
      if let free = candidates.filter({ busy[$0] < capacity[$0] })
        .min(by: {
          Double(busy[$0]) / Double(capacity[$0]) < Double(busy[$1]) / Double(capacity[$1])
        })
      {
        busy[free] += 1
        return free
      }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return nil
  }

  /// Frees a slot of server `index`, and keeps the server out of rotation for `rest` if given.
  func release(_ index: Int, restingFor rest: Duration? = nil) {
    busy[index] = max(0, busy[index] - 1)
    if let rest { restingUntil[index] = .now + rest }
  }

  func setCapacity(_ index: Int, _ value: Int) { capacity[index] = value }

  var busyCounts: [Int] { busy }
}

import Synchronization

/// Reads how busy one server is (`ServerLoad`), one GET per read: `/metrics` when it has a
/// server's queue figures, else llama-server's `/slots`; whichever answered is asked from then
/// on. A server with neither (a router, a hosted API, llama-server with `--no-slots`) is asked
/// a few times, then never again: the run keeps its AIMD limit.
///
/// Cheap by design: the caller polls it a few times a second at most, and only while pages wait.
public final class ServerLoadReader: Sendable {
  /// Which page gives the figures.
  enum Page: Sendable, Equatable {
    case unknown
    case metrics
    case slots
    /// Neither answered with figures: asked no more.
    case none
  }

  /// Reads in a row that gave no figures before a server is asked no more.
  static let attempts = 3
  /// The most of a `/metrics` page read: vLLM's, with histograms for every engine, runs to tens
  /// of kilobytes; more is not a metrics page.
  static let pageLimit = 1 << 20

  public let probe: ServerProbe
  /// How long one read may take: a figure older than a poll or two says little.
  public let timeout: Duration
  private let state = Mutex<(page: Page, misses: Int)>((.unknown, 0))

  public init(probe: ServerProbe, timeout: Duration = .seconds(1)) {
    self.probe = probe
    self.timeout = timeout
  }

  /// Whether this server gives figures, as far as known (false once it was given up on).
  public var gaveUp: Bool { state.withLock { $0.page == .none } }

  /// The server's figures now; nil when it gave none this time.
  public func read() async -> ServerLoad? {
    let page = state.withLock { $0.page }
    var load: ServerLoad?
    var found = page
    switch page {
    case .none: return nil
    case .metrics: load = await metrics()
    case .slots: load = await slots()
    case .unknown:
      if let figures = await metrics() {
        (load, found) = (figures, .metrics)
      } else if let figures = await slots() {
        (load, found) = (figures, .slots)
      }
    }
    state.withLock { state in
      if load != nil {
        state = (found, 0)
      } else {
        state.misses += 1
        if state.misses >= Self.attempts, state.page == .unknown { state.page = .none }
      }
    }
    return load
  }

  private func metrics() async -> ServerLoad? {
    await read(probe.endpoint.metricsURL, ServerLoad.parse(metrics:))
  }

  private func slots() async -> ServerLoad? {
    await read(probe.endpoint.slotsURL, ServerLoad.parse(slots:))
  }

  /// The page at `url` parsed, when the server answers it (200).
  private func read(_ url: String, _ parse: ([UInt8]) -> ServerLoad?) async -> ServerLoad? {
    guard let answer = await probe.get(url, timeout: timeout, limit: Self.pageLimit),
      answer.status == 200
    else { return nil }
    return parse(answer.body)
  }
}

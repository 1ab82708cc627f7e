import Synchronization

/// A server's request to wait (a 429 with `Retry-After`), shared by every page sent to it:
/// until it has passed no new request leaves for that server, so the request rate follows what
/// the server asked for — not one refused request per waiting page's free permit.
final class ServerWait: Sendable {
  /// The longest wait honoured: a server asking for more is asked again after this.
  static let longest: Duration = .seconds(60)

  private let until = Mutex<ContinuousClock.Instant?>(nil)

  /// The server asked to wait `delay` from now (at most `longest`).
  func asked(toWait delay: Duration, now: ContinuousClock.Instant = .now) {
    let end = now + min(max(delay, .zero), Self.longest)
    until.withLock { until in until = max(until ?? end, end) }
  }

  /// When requests may leave again; nil: now.
  func over(at now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
    until.withLock { until in until.flatMap { $0 > now ? $0 : nil } }
  }

  /// Returns once the server's wait is over (at once when it asked for none), or when the
  /// task is cancelled.
  func passed() async {
    while let end = over(), !Task.isCancelled {
      try? await Task.sleep(until: end, clock: .continuous)
    }
  }
}

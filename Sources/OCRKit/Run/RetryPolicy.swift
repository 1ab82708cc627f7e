/// Which failures are worth another request, and how long to wait first.
///
/// A broken or stalled connection and a server error are retried with exponential backoff
/// (`retries` times); a server still loading its model (503) is waited for longer; a request the
/// server rejects (4xx), a cancelled page and a missing server are not retried. A busy server
/// (429) is waited for as a loading one is, after its `Retry-After` (at most a minute) or
/// `delay`; the run counts those waits apart from `retries` (`attempt` is the busy ones'
/// number), so a page the server turned away a few times may still be retried for a cut-off.
public struct RetryPolicy: Sendable, Equatable {
  public var retries = 2
  /// The first wait; each further retry waits twice as long.
  public var delay: Duration = .milliseconds(500)
  /// How many times a loading server (503) is waited for, `4 × delay` apart (30 × 2 s: a minute).
  public var loadingRetries = 30

  public init(retries: Int = 2, delay: Duration = .milliseconds(500), loadingRetries: Int = 30) {
    self.retries = retries
    self.delay = delay
    self.loadingRetries = loadingRetries
  }

  /// How long a run waits for a server loading its model, all told; the engine's selection
  /// waits as long for its model's settings (`EngineSelection.remote`).
  public var loadingWait: Duration { delay * 4 * loadingRetries }

  /// How long to wait before attempt `attempt + 1` after `error`; nil: give up.
  /// `serverWasUp`: the server answered earlier in this run, so refusing connections now
  /// means it is restarting (a crash, an OOM kill, systemd): it is waited for like a loading
  /// one. A server down from the start fails at once.
  public func delay(after error: OCRError, attempt: Int, serverWasUp: Bool = false) -> Duration? {
    guard case .server(let server) = error else { return nil }
    switch server {
    case .loading:
      return attempt <= loadingRetries ? delay * 4 : nil
    case .unreachable where serverWasUp:
      return attempt <= loadingRetries ? delay * 4 : nil
    case .cutOff, .incomplete, .noText, .idleTimeout, .pageTimeout, .transfer, .streamError:
      return attempt <= retries ? delay * (1 << (attempt - 1)) : nil
    case .tooManyRequests(let retryAfter, _):
      return attempt <= loadingRetries ? min(retryAfter ?? delay, ServerWait.longest) : nil
    case .http(let status, _):
      return status >= 500 && status != 501 && attempt <= retries
        ? delay * (1 << (attempt - 1)) : nil
    case .unreachable, .invalidResponse, .tls, .tooLarge:
      return nil
    }
  }
}

extension OCRError {
  /// The server turned the page away for load (429; 503 from a server that was answering):
  /// a reason to send fewer pages at once, not a fault of the page.
  func isOverload(serverWasUp: Bool) -> Bool {
    switch self {
    case .server(.tooManyRequests): true
    case .server(.loading): serverWasUp
    default: false
    }
  }
}

/// One HTTP request for the transport: a GET, or a POST when `body` is set.
public struct HTTPRequest: Sendable {
  public var url: String
  public var headers: [String]
  public var body: [UInt8]?
  public var connectTimeout: Duration
  /// The transfer fails when no byte arrives for this long (nil: wait forever).
  public var idleTimeout: Duration?
  /// The transfer fails when it has not ended this long after it started, however busy it is
  /// (keep-alives, empty deltas) (nil: no bound).
  public var timeLimit: Duration?
  /// Skip TLS certificate checks; only when the user asked for it.
  public var insecure: Bool

  public init(
    url: String, headers: [String] = [], body: [UInt8]? = nil,
    connectTimeout: Duration = .seconds(5), idleTimeout: Duration? = nil,
    timeLimit: Duration? = nil, insecure: Bool = false
  ) {
    self.url = url
    self.headers = headers
    self.body = body
    self.connectTimeout = connectTimeout
    self.idleTimeout = idleTimeout
    self.timeLimit = timeLimit
    self.insecure = insecure
  }
}

/// What a transfer yields: the status line once, then body bytes as they arrive.
public enum HTTPEvent: Sendable, Equatable {
  case head(status: Int, contentType: String?)
  case body([UInt8])
  /// The `Retry-After` of a 429 or 503, right after its head.
  case retryAfter(Duration)
}

/// How a transfer failed, classified so callers can say what to do.
public enum TransportError: Error, Sendable, Equatable {
  case couldNotConnect(String)
  case idleTimeout(Duration)
  /// The transfer had not ended within its `timeLimit`.
  case timeLimit(Duration)
  /// The connection broke after the response began.
  case cutOff(String)
  case tls(String)
  case other(String)
}

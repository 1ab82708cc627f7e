/// Why a request to the OCR server failed: one line that says what happened and what to do.
public enum ServerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Nothing listens at the address (connection refused, unknown host, connect timeout).
  case unreachable(url: String, detail: String)
  /// The server answered with an HTTP error and (usually) its own message.
  case http(status: Int, message: String)
  /// 429: the server is busy (vLLM and hosted APIs limit requests in flight); the page is
  /// sent again, after `retryAfter` when the server gave one, and fewer are sent at once.
  case tooManyRequests(retryAfter: Duration?, message: String)
  /// 503: the server is up but still loading its model.
  case loading(url: String)
  /// The connection broke after the answer began; the text received so far is kept.
  case cutOff(detail: String)
  /// No bytes arrived for the idle timeout.
  case idleTimeout(seconds: Double)
  /// One attempt at a page had not ended this long after its request began (`--page-timeout`):
  /// a server sending only keep-alives or empty deltas holds a page and its slot no longer.
  case pageTimeout(seconds: Double)
  /// The server reported an error inside the stream.
  case streamError(message: String)
  /// The body was neither the expected SSE stream nor JSON.
  case invalidResponse(detail: String)
  /// The stream ended without `[DONE]` or a `finish_reason`.
  case incomplete
  /// The answer finished with no text at all (`data: [DONE]` alone, empty `content`) for a
  /// page that is not blank: the page was not read. Retried like an incomplete answer.
  case noText
  /// TLS failed (certificate not trusted, handshake error).
  case tls(detail: String)
  /// Any other transfer failure.
  case transfer(detail: String)
  /// The server sent more than an answer can hold; the text received before it is kept.
  case tooLarge(Oversize)

  public var description: String { problem + (advice.map { " — " + $0 } ?? "") }

  /// What happened, without what to do: the viewer says what to do with its keys instead of
  /// the command line's flags.
  public var problem: String {
    switch self {
    case .unreachable(let url, let detail): "no OCR server at \(url) (\(detail))"
    case .http(let status, let message): "the server answered HTTP \(status): \(message)"
    case .tooManyRequests(_, let message): "the server is busy (HTTP 429: \(message))"
    case .loading(let url): "the server at \(url) is still loading its model (HTTP 503)"
    case .cutOff(let detail):
      "the connection to the server broke mid-answer (\(detail)); the text received so far is kept"
    case .idleTimeout(let seconds): "the server sent nothing for \(Self.seconds(seconds))"
    case .pageTimeout(let seconds):
      "the server's answer had no end after \(Self.seconds(seconds)) (--page-timeout)"
    case .streamError(let message): "the server reported an error: \(message)"
    case .invalidResponse(let detail):
      "the server's answer is not an OpenAI chat completion (\(detail))"
    case .incomplete:
      "the stream ended before the server finished the page (no [DONE]); the text received is kept"
    case .noText: "the server answered with no text, and the page is not blank"
    case .tls(let detail): "TLS failed (\(detail))"
    case .transfer(let detail): "the request failed: \(detail)"
    case .tooLarge(let oversize): oversize.description
    }
  }

  /// What to do about it, in the command line's terms; nil when there is nothing to add. It
  /// is said when the page has failed for good: a retry says `problem` and when it is sent
  /// again (`OCRError.whileRetrying`).
  public var advice: String? {
    switch self {
    case .unreachable: "start llama-server (see README) or use --engine tesseract"
    case .http(401, _):
      "it wants an API key: set OCRVIEW_API_KEY (or api_key in ~/.config/ocrview/config)"
    case .tooManyRequests:
      "it turned the page away each time it was sent: lower --concurrency, or read it again "
        + "when the server is less busy"
    case .loading: "try again shortly"
    case .idleTimeout: "gave up (raise --idle-timeout if it is just slow)"
    case .pageTimeout: "gave up on this attempt (raise --page-timeout if pages are just slow)"
    case .invalidResponse: "is --server the right URL?"
    case .noText: "does the server's model read images (an OCR or vision model)?"
    case .tls: "fix the certificate, or pass --insecure if you trust this server"
    default: nil
    }
  }

  /// The server itself is in trouble — down, restarting, loading, overloaded or cutting
  /// answers off — rather than refusing this one page: what the viewer shows as an outage.
  public var isOutage: Bool {
    switch self {
    case .unreachable, .loading, .cutOff, .idleTimeout, .pageTimeout, .incomplete, .tls, .transfer:
      true
    case .http(let status, _): status >= 500
    default: false
    }
  }

  /// Errors that say the server cannot be used at all, so later pages need not try.
  public var isFatalForRun: Bool {
    switch self {
    case .unreachable, .tls: true
    case .http(let status, _): status == 401 || status == 403 || status == 404
    default: false
    }
  }

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(saturating: value)) s" : "\(value) s"
  }
}

/// What a server sent too much of. Each limit bounds the memory one page can take: an endless
/// SSE line once grew the process to 17.7 GB in a minute.
public enum Oversize: Sendable, Equatable, CustomStringConvertible {
  /// One SSE line without a line end (`SSEDecoder.maxLineBytes`).
  case line(bytes: Int)
  /// One SSE event's `data` lines together.
  case event(bytes: Int)
  /// A page's text, 4 × max_tokens × 16 bytes: far beyond any tokenizer's longest token.
  case pageText(bytes: Int)
  /// A whole non-streamed body.
  case body(bytes: Int)

  public var description: String {
    switch self {
    case .line(let bytes):
      "the server sent a \(Self.size(bytes)) line without a newline — not an OpenAI-compatible "
        + "stream? The text received before it is kept"
    case .event(let bytes):
      "the server sent a \(Self.size(bytes)) event — not an OpenAI-compatible stream? The text "
        + "received before it is kept"
    case .pageText(let bytes):
      "the server sent over \(Self.size(bytes)) of text for one page (4 × max_tokens × 16 bytes) "
        + "— does it ignore max_tokens? The text received before it is kept"
    case .body(let bytes):
      "the server's answer is over \(Self.size(bytes)) — not an OpenAI chat completion? "
        + "Is --server the right URL?"
    }
  }

  /// `1 MiB`, `256 KiB`, `2.5 MiB`.
  static func size(_ bytes: Int) -> String {
    func number(_ value: Double) -> String {
      value == value.rounded() ? "\(Int(saturating: value))" : "\((value * 10).rounded() / 10)"
    }
    if bytes >= 1 << 20 { return number(Double(bytes) / Double(1 << 20)) + " MiB" }
    if bytes >= 1 << 10 { return number(Double(bytes) / Double(1 << 10)) + " KiB" }
    return "\(bytes) bytes"
  }
}

import Foundation

/// What must never be shown or stored: the API key and the `user:password@` of a server URL.
///
/// A server may echo them back — a 401 body quoting the `Authorization` header, an error event
/// with the request's headers — and from there they would reach stderr, jsonl, `-o`, the viewer
/// and `bench`. Every message made from what a server said goes through `redact` first.
public struct Secrets: Sendable, Equatable {
  /// The secrets as they may appear in a message, longest first (so a key containing another
  /// secret is replaced whole).
  private let values: [String]

  public static let none = Secrets(values: [])

  private init(values: [String]) {
    self.values = Array(Set(values.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
  }

  /// The API key, and the credentials of `url` as written, percent-decoded, and as curl sends
  /// them (`Authorization: Basic base64(user:password)`).
  public init(apiKey: String?, url: String?) {
    var values = [apiKey ?? ""]
    if let userInfo = url.flatMap(Self.userInfo) {
      let decoded = userInfo.removingPercentEncoding ?? userInfo
      values += [userInfo, decoded, Data(decoded.utf8).base64EncodedString()]
      // The password alone, unless so short that hiding it would garble every message.
      if let colon = decoded.firstIndex(of: ":"),
        decoded.distance(from: colon, to: decoded.endIndex) > 4
      {
        values.append(String(decoded[decoded.index(after: colon)...]))
      }
    }
    self.init(values: values)
  }

  /// `text` with each secret, and the credentials of any URL in it, replaced by `***`.
  public func redact(_ text: String) -> String {
    redactSecrets(Self.redactingURLCredentials(text))
  }

  /// `text` with each secret replaced by `***`, and nothing else changed: for page text, where
  /// a URL with a password may be the document's own and must stay as written.
  public func redactSecrets(_ text: String) -> String {
    var text = text
    for value in values where text.contains(value) {
      text = text.replacingOccurrences(of: value, with: "***")
    }
    return text
  }

  /// How many characters at the end of `text` could be the start of a secret: the longest
  /// suffix that is a proper prefix of one (0 when none). A text cut there may hold all of a
  /// key but its last characters; a stream must hold them back until it knows.
  public func pendingPrefixLength(_ text: String) -> Int {
    var longest = 0
    for value in values {
      for length in stride(from: min(value.count - 1, text.count), to: longest, by: -1)
      where text.hasSuffix(value.prefix(length)) {
        longest = length
        break
      }
    }
    return longest
  }

  /// `text`, cut where it was (or will be) cut, with the start of a secret left at its end
  /// masked as `***`.
  public func maskingPrefixAtEnd(_ text: String) -> String {
    let pending = pendingPrefixLength(text)
    return pending == 0 ? text : text.dropLast(pending) + "***"
  }

  /// `text` redacted whole, then cut to at most `limit` UTF-8 bytes (on a character boundary)
  /// with `…` — redacting after the cut would miss a key across it and show all but its last
  /// characters. A start of a secret left at the end of a cut text (this cut, or an earlier
  /// one: `truncated`) is masked.
  public func redactedExcerpt(_ text: String, limit: Int, truncated: Bool = false) -> String {
    let whole = redact(text)
    guard whole.utf8.count > limit else {
      return truncated ? maskingPrefixAtEnd(whole) + "…" : whole
    }
    var cut = ""
    for character in whole {
      guard cut.utf8.count + character.utf8.count <= limit else { break }
      cut.append(character)
    }
    return maskingPrefixAtEnd(cut) + "…"
  }

  /// The `user:password` between `scheme://` and `@` in a URL, nil when there is none.
  static func userInfo(_ url: String) -> String? {
    guard let scheme = url.range(of: "://") else { return nil }
    let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    guard let at = authority.lastIndex(of: "@") else { return nil }
    return String(authority[..<at])
  }

  /// Every `scheme://user:password@host` in `text` as `scheme://***@host`.
  private static func redactingURLCredentials(_ text: String) -> String {
    guard text.contains("@"), text.contains("://") else { return text }
    var out = ""
    var rest = text[...]
    while let scheme = rest.range(of: "://") {
      out += rest[..<scheme.upperBound]
      rest = rest[scheme.upperBound...]
      let authority = rest.prefix { !$0.isWhitespace && !"/?#\"'<>".contains($0) }
      if let at = authority.lastIndex(of: "@") {
        out += "***"
        rest = rest[at...]
      }
    }
    return out + rest
  }
}

extension ServerError {
  /// The same error with `secrets` redacted from every text in it.
  public func redacting(_ secrets: Secrets) -> ServerError {
    let r = secrets.redact
    return switch self {
    case .unreachable(let url, let detail): .unreachable(url: r(url), detail: r(detail))
    case .http(let status, let message): .http(status: status, message: r(message))
    case .loading(let url): .loading(url: r(url))
    case .tooManyRequests(let delay, let message):
      .tooManyRequests(retryAfter: delay, message: r(message))
    case .cutOff(let detail): .cutOff(detail: r(detail))
    case .streamError(let message): .streamError(message: r(message))
    case .invalidResponse(let detail): .invalidResponse(detail: r(detail))
    case .tls(let detail): .tls(detail: r(detail))
    case .transfer(let detail): .transfer(detail: r(detail))
    case .idleTimeout, .pageTimeout, .incomplete, .noText, .tooLarge: self
    }
  }
}

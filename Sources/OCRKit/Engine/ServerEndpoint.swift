import Foundation

/// An OpenAI-compatible server's base address, from whatever form a user types it in.
public struct ServerEndpoint: Sendable, Equatable, CustomStringConvertible {
  /// `scheme://host[:port][/prefix]`, without a trailing `/` or `/v1`, and with any
  /// `user:password@` shown as `***@`: what people see (messages, `--stats`, the journal's
  /// identity line).
  public let baseURL: String
  /// The address requests go to, credentials included (curl sends them as Basic auth).
  private let requestBase: String

  /// Accepts `http://host:8080`, `host:8080`, `http://host:8080/v1/`; nil for an empty string.
  public init?(_ text: String) {
    var url = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !url.isEmpty else { return nil }
    if !url.contains("://") { url = "http://" + url }
    while url.hasSuffix("/") { url.removeLast() }
    if url.hasSuffix("/v1") { url.removeLast(3) }
    guard url.hasPrefix("http://") || url.hasPrefix("https://") else { return nil }
    requestBase = url
    baseURL = Secrets.none.redact(url)
  }

  /// Redacts this endpoint's credentials (and `apiKey`) from messages.
  public func secrets(apiKey: String?) -> Secrets { Secrets(apiKey: apiKey, url: requestBase) }

  public var chatCompletionsURL: String { requestBase + "/v1/chat/completions" }
  public var healthURL: String { requestBase + "/health" }
  public var propsURL: String { requestBase + "/props" }
  public var modelsURL: String { requestBase + "/v1/models" }
  public var isTLS: Bool { baseURL.hasPrefix("https://") }
  public var description: String { baseURL }
}

import Foundation

/// An OpenAI-compatible server's base address, from whatever form a user types it in.
public struct ServerEndpoint: Sendable, Equatable, CustomStringConvertible {
  /// `scheme://host[:port][/prefix]`, without a trailing `/` or `/v1`.
  public let baseURL: String

  /// Accepts `http://host:8080`, `host:8080`, `http://host:8080/v1/`; nil for an empty string.
  public init?(_ text: String) {
    var url = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !url.isEmpty else { return nil }
    if !url.contains("://") { url = "http://" + url }
    while url.hasSuffix("/") { url.removeLast() }
    if url.hasSuffix("/v1") { url.removeLast(3) }
    guard url.hasPrefix("http://") || url.hasPrefix("https://") else { return nil }
    baseURL = url
  }

  public var chatCompletionsURL: String { baseURL + "/v1/chat/completions" }
  public var healthURL: String { baseURL + "/health" }
  public var propsURL: String { baseURL + "/props" }
  public var modelsURL: String { baseURL + "/v1/models" }
  public var isTLS: Bool { baseURL.hasPrefix("https://") }
  public var description: String { baseURL }
}

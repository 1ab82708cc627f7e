import Foundation

/// An OpenAI-compatible server's base address, from whatever form a user types it in.
public struct ServerEndpoint: Sendable, Equatable, CustomStringConvertible {
  /// `scheme://host[:port][/prefix]`, without a trailing `/` or `/v1`, and with any
  /// `user:password@` shown as `***@`: what people see (messages, `--stats`, the journal's
  /// identity line).
  public let baseURL: String
  /// The address requests go to, credentials included (curl sends them as Basic auth).
  private let requestBase: String

  /// Accepts `http://host:8080`, `host:8080`, `http://host:8080/v1/`; nil for anything
  /// `problem(with:)` finds wrong.
  public init?(_ text: String) {
    guard case .success(let url) = Self.normalized(text) else { return nil }
    requestBase = url
    baseURL = Secrets.none.redact(url)
  }

  /// What is wrong with a server address as typed, in words for the user; nil if it is fine.
  public static func problem(with text: String) -> String? {
    if case .failure(let problem) = normalized(text) { return problem.reason }
    return nil
  }

  private struct Problem: Error {
    var reason: String
  }

  /// The address without a trailing `/` or `/v1`, `http://` added when no scheme is given;
  /// checked to name a host and, if given, a port in 1–65535.
  private static func normalized(_ text: String) -> Result<String, Problem> {
    var url = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !url.isEmpty else { return .failure(Problem(reason: "it is empty")) }
    if !url.contains("://") { url = "http://" + url }
    while url.hasSuffix("/") { url.removeLast() }
    if url.hasSuffix("/v1") { url.removeLast(3) }
    guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
      return .failure(Problem(reason: "it must be an http:// or https:// URL"))
    }
    let rest = url[url.range(of: "://")!.upperBound...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last!
    var host = hostAndPort
    var port: Substring?
    if hostAndPort.hasPrefix("[") {  // [IPv6]:port
      guard let close = hostAndPort.firstIndex(of: "]") else {
        return .failure(Problem(reason: "its IPv6 address lacks a closing ]"))
      }
      host = hostAndPort[...close]
      let after = hostAndPort[hostAndPort.index(after: close)...]
      if after.hasPrefix(":") { port = after.dropFirst() }
    } else if let colon = hostAndPort.lastIndex(of: ":") {
      host = hostAndPort[..<colon]
      port = hostAndPort[hostAndPort.index(after: colon)...]
    }
    guard !host.isEmpty, host != "[]" else {
      return .failure(Problem(reason: "it names no host"))
    }
    if let port {
      guard let number = Int(port), (1...65535).contains(number), port.allSatisfy(\.isASCII)
      else {
        return .failure(Problem(reason: "its port \"\(port)\" is not a number from 1 to 65535"))
      }
    }
    return .success(url)
  }

  /// Redacts this endpoint's credentials (and `apiKey`) from messages.
  public func secrets(apiKey: String?) -> Secrets { Secrets(apiKey: apiKey, url: requestBase) }

  public var chatCompletionsURL: String { requestBase + "/v1/chat/completions" }
  public var healthURL: String { requestBase + "/health" }
  public var propsURL: String { requestBase + "/props" }
  public var modelsURL: String { requestBase + "/v1/models" }
  /// Prometheus figures (vLLM; llama-server with `--metrics`).
  public var metricsURL: String { requestBase + "/metrics" }
  /// llama-server's slots, each with `is_processing`.
  public var slotsURL: String { requestBase + "/slots" }
  public var isTLS: Bool { baseURL.hasPrefix("https://") }
  public var description: String { baseURL }
}

import Foundation

/// A request as the fake server received it.
public struct FakeRequest: Sendable {
  public var method: String
  /// The path without the query string.
  public var path: String
  public var query: String?
  /// Header names lower-cased; a repeated header keeps its last value.
  public var headers: [String: String]
  public var body: [UInt8]
  /// 0-based position among chat-completion requests; -1 for other requests.
  public var index: Int
  /// Which connection (in accept order, from 0) carried it.
  public var connection: Int
  public var receivedAt: ContinuousClock.Instant

  /// `"stream": true` in the JSON body.
  public var isStream: Bool
  /// `stream_options.include_usage` in the JSON body.
  public var includeUsage: Bool
  /// The first `image_url` part's URL (`data:image/png;base64,…`).
  public var imageDataURL: String?
  /// The `text` parts of the user message, joined by newlines (nil when there are none).
  public var promptText: String?
  /// `max_tokens` in the JSON body.
  public var maxTokens: Int?
  /// `temperature` in the JSON body: what a rescue's ladder is asserted by.
  public var temperature: Double?
  /// `logprobs: true` in the JSON body.
  public var wantsLogprobs = false
  /// `top_logprobs` in the JSON body.
  public var topLogprobs: Int?
  /// Nil when the body is JSON (or empty); otherwise a message like the JSON parser's.
  public var jsonError: String?

  public var isChat: Bool { index >= 0 }
  public var bodyText: String { String(decoding: body, as: UTF8.self) }

  init(
    method: String, target: String, headers: [String: String], body: [UInt8], index: Int,
    connection: Int, receivedAt: ContinuousClock.Instant
  ) {
    self.method = method
    if let q = target.firstIndex(of: "?") {
      path = String(target[..<q])
      query = String(target[target.index(after: q)...])
    } else {
      path = target
      query = nil
    }
    self.headers = headers
    self.body = body
    self.index = index
    self.connection = connection
    self.receivedAt = receivedAt
    isStream = false
    includeUsage = false
    guard !body.isEmpty else { return }
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    } catch {
      jsonError =
        "[json.exception.parse_error.101] parse error: syntax error while parsing value - "
        + "invalid JSON (\(body.count) bytes)"
      return
    }
    guard let root = object as? [String: Any] else { return }
    isStream = root["stream"] as? Bool ?? false
    includeUsage = (root["stream_options"] as? [String: Any])?["include_usage"] as? Bool ?? false
    maxTokens = root["max_tokens"] as? Int
    temperature = (root["temperature"] as? NSNumber)?.doubleValue
    wantsLogprobs = root["logprobs"] as? Bool ?? false
    topLogprobs = root["top_logprobs"] as? Int
    var texts: [String] = []
    for message in root["messages"] as? [[String: Any]] ?? [] {
      if let text = message["content"] as? String { texts.append(text) }
      for part in message["content"] as? [[String: Any]] ?? [] {
        switch part["type"] as? String {
        case "image_url":
          let url =
            (part["image_url"] as? [String: Any])?["url"] as? String ?? part["image_url"] as? String
          if imageDataURL == nil { imageDataURL = url }
        case "text":
          if let text = part["text"] as? String { texts.append(text) }
        default: break
        }
      }
    }
    promptText = texts.isEmpty ? nil : texts.joined(separator: "\n")
  }
}

/// A connection as the fake server saw it.
public struct FakeConnection: Sendable {
  /// Accept order, from 0.
  public var id: Int
  public var requestCount: Int
  /// The client closed the connection while a response was still being written (or while
  /// its request waited for a slot or its first byte): how a client cancels.
  public var clientDisconnectedMidResponse: Bool
  /// The server closed it on purpose (a `drop`/`reset` step, `Connection: close`, idle).
  public var closedByServer: Bool
  public var isOpen: Bool
}

public enum HealthState: Sendable { case ok, loading }

public struct FakeServerError: Error, CustomStringConvertible {
  public var description: String
}

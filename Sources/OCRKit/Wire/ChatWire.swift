/// The JSON shapes of `/v1/chat/completions` as llama-server and vLLM send them.
///
/// Every field is optional: servers differ, and a chunk missing a field must not be lost.

/// Token counts a server reports (`usage`).
public struct Usage: Codable, Sendable, Equatable {
  public var promptTokens: Int?
  public var completionTokens: Int?
  public var totalTokens: Int?

  public init(promptTokens: Int? = nil, completionTokens: Int? = nil, totalTokens: Int? = nil) {
    self.promptTokens = promptTokens
    self.completionTokens = completionTokens
    self.totalTokens = totalTokens
  }

  enum CodingKeys: String, CodingKey {
    case promptTokens = "prompt_tokens"
    case completionTokens = "completion_tokens"
    case totalTokens = "total_tokens"
  }

  /// Each count as `Plausible` keeps it (a server's `Int.max` once crashed every figure).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    promptTokens = container.plausibleCount(.promptTokens)
    completionTokens = container.plausibleCount(.completionTokens)
    totalTokens = container.plausibleCount(.totalTokens)
  }
}

/// llama-server's own measurements of a request (`timings`), kept as sent when plausible (see
/// `Plausible`).
public struct ServerTimings: Codable, Sendable, Equatable {
  public var cacheN: Int?
  public var promptN: Int?
  public var promptMs: Double?
  public var promptPerTokenMs: Double?
  public var promptPerSecond: Double?
  public var predictedN: Int?
  public var predictedMs: Double?
  public var predictedPerTokenMs: Double?
  public var predictedPerSecond: Double?

  public init(predictedN: Int? = nil, predictedMs: Double? = nil) {
    self.predictedN = predictedN
    self.predictedMs = predictedMs
  }

  enum CodingKeys: String, CodingKey {
    case cacheN = "cache_n"
    case promptN = "prompt_n"
    case promptMs = "prompt_ms"
    case promptPerTokenMs = "prompt_per_token_ms"
    case promptPerSecond = "prompt_per_second"
    case predictedN = "predicted_n"
    case predictedMs = "predicted_ms"
    case predictedPerTokenMs = "predicted_per_token_ms"
    case predictedPerSecond = "predicted_per_second"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    cacheN = container.plausibleCount(.cacheN)
    promptN = container.plausibleCount(.promptN)
    promptMs = container.plausibleMilliseconds(.promptMs)
    promptPerTokenMs = container.plausibleMilliseconds(.promptPerTokenMs)
    promptPerSecond = container.plausibleRate(.promptPerSecond)
    predictedN = container.plausibleCount(.predictedN)
    predictedMs = container.plausibleMilliseconds(.predictedMs)
    predictedPerTokenMs = container.plausibleMilliseconds(.predictedPerTokenMs)
    predictedPerSecond = container.plausibleRate(.predictedPerSecond)
  }
}

/// `{"error": {...}}` — both as an HTTP error body and as a mid-stream event.
struct ErrorBody: Decodable {
  var message: String?
  var type: String?
}

/// One streamed `chat.completion.chunk` or a whole `chat.completion` body.
struct ChatCompletion: Decodable {
  struct Choice: Decodable {
    struct Message: Decodable { var content: String? }
    /// Which of the `n` answers this is; absent means 0 (llama-server always sends it).
    var index: Int?
    var delta: Message?
    var message: Message?
    var finishReason: String?
    /// The tokens of this chunk (or of the whole answer) with their log-probabilities, when
    /// the request asked for them (`logprobs: true`).
    var logprobs: ChoiceLogprobs?

    /// The answer a page is read from: the first (`index` 0). A server asked for one answer
    /// sends only that; any other is a different reading of the same page, never its text.
    var isFirst: Bool { (index ?? 0) == 0 }

    enum CodingKeys: String, CodingKey {
      case index, delta, message, logprobs
      case finishReason = "finish_reason"
    }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      index = try container.decodeIfPresent(Int.self, forKey: .index)
      delta = try container.decodeIfPresent(Message.self, forKey: .delta)
      message = try container.decodeIfPresent(Message.self, forKey: .message)
      finishReason = try container.decodeIfPresent(String.self, forKey: .finishReason)
      // Whatever a server puts here, the chunk's text is read.
      logprobs = (try? container.decodeIfPresent(ChoiceLogprobs.self, forKey: .logprobs)) ?? nil
    }
  }

  var choices: [Choice]?
  var usage: Usage?
  var timings: ServerTimings?
  var error: ErrorBody?
}

import Foundation

/// The settings that shape what a model writes (and so belong in a cache key): the command
/// line's flags over the model profile's values (see `RequestedSettings`).
public struct GenerationSettings: Sendable, Equatable, Codable {
  public var model: String?
  /// The page's token limit; when `contextTokens` is known it is worked out per page instead.
  public var maxTokens = 4096
  public var temperature = 0.2
  public var topP = 0.9
  /// An optional text part sent beside the image; LightOnOCR needs none.
  public var prompt: String?
  /// Adds the text part `grounding`: LightOnOCR-3 then boxes every layout block.
  public var grounding = false
  /// Sends `chat_template_kwargs: {"enable_thinking": false}` (Qwen3.5-based models).
  public var disablesThinking = false
  /// The context one request may fill (the server's), when `--max-tokens` was not given:
  /// `max_tokens` is then what the page's image leaves of it (`TokenBudget`).
  public var contextTokens: Int?
  /// Pixels per side of one image token, for that estimate (`ModelProfile.imageTokenSide`).
  public var imageTokenSide = 28

  public init(
    model: String? = nil, maxTokens: Int = 4096, temperature: Double = 0.2, topP: Double = 0.9,
    prompt: String? = nil
  ) {
    self.model = model
    self.maxTokens = maxTokens
    self.temperature = temperature
    self.topP = topP
    self.prompt = prompt
  }

  /// `max_tokens` for this page.
  public func maxTokens(for image: PageImage) -> Int {
    guard let contextTokens else { return maxTokens }
    return TokenBudget.maxTokens(
      contextTokens: contextTokens, width: image.width, height: image.height,
      tokenSide: imageTokenSide)
  }

  /// The most any page may be asked for: what bounds what a server may send back.
  public var maxTokensBound: Int { contextTokens == nil ? maxTokens : TokenBudget.ceiling }

  /// The part of an engine's identity these settings make (see `OCREngine.outputIdentity`);
  /// unchanged from before profiles for settings that did not exist then.
  var identity: String {
    let limit = contextTokens.map { "context \($0)/\(imageTokenSide)px" } ?? "\(maxTokens)"
    var text =
      "max_tokens=\(limit) temperature=\(temperature) top_p=\(topP) prompt=\(prompt ?? "")"
    if grounding { text += " grounding" }
    if disablesThinking { text += " no_thinking" }
    return text
  }
}

/// Builds the JSON body of a `/v1/chat/completions` request for one page image.
public enum ChatRequest {
  /// `top_logprobs` sent with `logprobs: true`. One, not none: llama-server reads a missing
  /// `top_logprobs` as 20 alternatives a token (`oaicompat_chat_params_parse`,
  /// tools/server/server-common.cpp: `n_probs = json_value(body, "top_logprobs", 20)`) — 20
  /// entries of JSON per token, which would outgrow a batch body's limit — and 0 as none at all
  /// (`populate_token_probs` runs only for `n_probs > 0`). vLLM gives the sampled token's
  /// log-probability at 0 too, and one alternative costs it next to nothing.
  public static let topLogprobs = 1

  /// - Parameters:
  ///   - logprobs: ask for each token's log-probability (`logprobs: true`).
  ///   - imageURL: where the server finds the image instead of inline bytes (a batch export's
  ///     `file://` PNG, for `vllm run-batch --allowed-local-media-path`); nil: a data URL.
  public static func body(
    for image: PageImage, mode: OCRMode, settings: GenerationSettings, logprobs: Bool = false,
    imageURL: String? = nil
  )
    -> [UInt8]
  {
    var content = [Part(type: "image_url", imageURL: .init(url: imageURLPlaceholder))]
    // LightOn's client: the image, then the word `grounding` in grounding mode.
    if settings.grounding { content.append(Part(type: "text", text: "grounding")) }
    if let prompt = settings.prompt, !prompt.isEmpty {
      content.append(Part(type: "text", text: prompt))
    }
    let body = Body(
      model: settings.model, stream: mode == .stream,
      streamOptions: mode == .stream ? StreamOptions(includeUsage: true) : nil,
      maxTokens: settings.maxTokens(for: image),
      temperature: settings.temperature, topP: settings.topP,
      messages: [Message(role: "user", content: content)],
      chatTemplateKwargs: settings.disablesThinking ? ["enable_thinking": false] : nil,
      logprobs: logprobs ? true : nil, topLogprobs: logprobs ? topLogprobs : nil)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    let encoded = Array((try? encoder.encode(body)) ?? Data())
    guard let placeholder = encoded.firstRange(of: Array(imageURLPlaceholder.utf8)) else {
      return encoded
    }
    if let imageURL {
      // A URL the caller made (a file path): escaped as JSON, unlike base64 it may need it.
      let quoted = Array((try? encoder.encode(imageURL)) ?? Data()).dropFirst().dropLast()
      return Array(encoded[..<placeholder.lowerBound]) + quoted
        + encoded[placeholder.upperBound...]
    }
    let base64 = Data(image.bytes).base64EncodedData()
    var spliced = Array(encoded[..<placeholder.lowerBound])
    spliced.reserveCapacity(encoded.count + base64.count + 64)
    spliced += "data:\(image.mimeType);base64,".utf8
    spliced += base64
    spliced += encoded[placeholder.upperBound...]
    return spliced
  }

  /// Stands for the image's data URL while the rest of the body is encoded; the URL is then
  /// spliced in as bytes. Base64 needs no JSON escaping, and scanning hundreds of KB of it for
  /// escapes was ~2 % of the client's CPU a page. Unique per process, so no model name or
  /// prompt can contain it (and the image part comes first anyway).
  private static let imageURLPlaceholder = "ocrview-image-\(UUID().uuidString)"

  private struct Body: Encodable {
    var model: String?
    var stream: Bool
    var streamOptions: StreamOptions?
    var maxTokens: Int
    var temperature: Double
    var topP: Double
    var messages: [Message]
    var chatTemplateKwargs: [String: Bool]?
    var logprobs: Bool?
    var topLogprobs: Int?

    enum CodingKeys: String, CodingKey {
      case model, stream, temperature, messages, logprobs
      case topLogprobs = "top_logprobs"
      case chatTemplateKwargs = "chat_template_kwargs"
      case maxTokens = "max_tokens"
      case topP = "top_p"
      case streamOptions = "stream_options"
    }
  }

  /// Asks vLLM (and OpenAI) for `usage` in the last chunk; llama-server sends `timings` anyway.
  private struct StreamOptions: Encodable {
    var includeUsage: Bool
    enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
  }

  private struct Message: Encodable {
    var role: String
    var content: [Part]
  }

  private struct Part: Encodable {
    struct ImageURL: Encodable { var url: String }
    var type: String
    var text: String?
    var imageURL: ImageURL?

    enum CodingKeys: String, CodingKey {
      case type, text
      case imageURL = "image_url"
    }
  }
}

import Foundation

/// The settings that shape what a model writes (and so belong in a cache key).
public struct GenerationSettings: Sendable, Equatable, Codable {
  public var model: String?
  public var maxTokens = 4096
  public var temperature = 0.2
  public var topP = 0.9
  /// An optional text part sent beside the image; LightOnOCR needs none.
  public var prompt: String?

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
}

/// Builds the JSON body of a `/v1/chat/completions` request for one page image.
public enum ChatRequest {
  public static func body(for image: PageImage, mode: OCRMode, settings: GenerationSettings)
    -> [UInt8]
  {
    var content = [
      Part(
        type: "image_url",
        imageURL: .init(
          url: "data:\(image.mimeType);base64,\(Data(image.bytes).base64EncodedString())"))
    ]
    if let prompt = settings.prompt, !prompt.isEmpty {
      content.append(Part(type: "text", text: prompt))
    }
    let body = Body(
      model: settings.model, stream: mode == .stream,
      streamOptions: mode == .stream ? StreamOptions(includeUsage: true) : nil,
      maxTokens: settings.maxTokens,
      temperature: settings.temperature, topP: settings.topP,
      messages: [Message(role: "user", content: content)])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return Array((try? encoder.encode(body)) ?? Data())
  }

  private struct Body: Encodable {
    var model: String?
    var stream: Bool
    var streamOptions: StreamOptions?
    var maxTokens: Int
    var temperature: Double
    var topP: Double
    var messages: [Message]

    enum CodingKeys: String, CodingKey {
      case model, stream, temperature, messages
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

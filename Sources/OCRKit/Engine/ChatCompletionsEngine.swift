import Foundation

/// OCR by an OpenAI-compatible server (llama-server, vLLM): one chat request per page.
public struct ChatCompletionsEngine: OCREngine {
  public var endpoint: ServerEndpoint
  public var settings: GenerationSettings
  /// Sent as `Authorization: Bearer`; comes from the environment, never from argv.
  public var apiKey: String?
  public var connectTimeout: Duration = .seconds(5)
  /// A page fails when the server sends nothing for this long (in batch mode it sends
  /// nothing until the page is done, so this also bounds a batch page).
  public var idleTimeout: Duration = .seconds(120)
  public var insecure = false
  private let transport: CurlTransport

  public init(
    endpoint: ServerEndpoint, settings: GenerationSettings, apiKey: String?,
    transport: CurlTransport
  ) {
    self.endpoint = endpoint
    self.settings = settings
    self.apiKey = apiKey
    self.transport = transport
  }

  public var label: String { "server \(endpoint.baseURL)" }
  public var kind: EngineKind { .server }

  /// Without a model name the server decides the model, so the server is part of it.
  public var outputIdentity: String {
    let model = settings.model ?? "whatever \(endpoint.baseURL) serves"
    return "chat-completions model=\(model) max_tokens=\(settings.maxTokens) "
      + "temperature=\(settings.temperature) top_p=\(settings.topP) prompt=\(settings.prompt ?? "")"
  }

  public func recognize(_ page: PageImage, mode: OCRMode) -> AsyncThrowingStream<
    EngineOutput, Error
  > {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: EngineOutput.self)
    let task = Task {
      do {
        try await exchange(page, mode: mode, yield: { continuation.yield($0) })
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }

  private func exchange(
    _ page: PageImage, mode: OCRMode, yield: (EngineOutput) -> Void
  ) async throws {
    var headers = ["Content-Type: application/json"]
    if mode == .stream { headers.append("Accept: text/event-stream") }
    if let apiKey, !apiKey.isEmpty { headers.append("Authorization: Bearer \(apiKey)") }
    let request = HTTPRequest(
      url: endpoint.chatCompletionsURL, headers: headers,
      body: ChatRequest.body(for: page, mode: mode, settings: settings),
      connectTimeout: connectTimeout, idleTimeout: idleTimeout, insecure: insecure)

    var response = ResponseReader(mode: mode)
    do {
      for try await event in transport.send(request) {
        for delta in try response.read(event) { yield(.delta(delta)) }
        // After the text that came before it: the server's own error ends the page.
        if let failure = response.streamError { throw failure }
      }
    } catch let error as TransportError {
      throw serverError(error)
    }
    try Task.checkCancellation()
    let (text, info) = try response.finish(baseURL: endpoint.baseURL)
    if let text, !text.isEmpty { yield(.delta(text)) }
    yield(.finished(info))
  }

  private func serverError(_ error: TransportError) -> ServerError {
    switch error {
    case .couldNotConnect(let detail): .unreachable(url: endpoint.baseURL, detail: detail)
    case .idleTimeout(let limit): .idleTimeout(seconds: limit.seconds)
    case .cutOff(let detail): .cutOff(detail: detail)
    case .tls(let detail): .tls(detail: detail)
    case .other(let detail): .transfer(detail: detail)
    }
  }
}

/// Interprets one HTTP response: SSE deltas, a JSON body, or an HTTP error.
struct ResponseReader {
  private var status = 0
  private var isEventStream: Bool
  private var parser = ChatStreamParser()
  private var body: [UInt8] = []
  private var deltaCount = 0

  init(mode: OCRMode) { isEventStream = mode == .stream }

  /// A mid-stream error event the server sent, once the text before it has been read.
  var streamError: ServerError? { parser.streamError }

  /// Returns the text deltas this event completes (SSE only).
  mutating func read(_ event: HTTPEvent) throws(ServerError) -> [String] {
    switch event {
    case .head(let status, let contentType):
      self.status = status
      if let contentType { isEventStream = contentType.lowercased().hasPrefix("text/event-stream") }
      return []
    case .body(let bytes):
      guard status / 100 == 2, isEventStream else {
        if body.count < 1 << 26 { body += bytes }
        return []
      }
      let deltas = try parser.feed(bytes)
      deltaCount += deltas.count
      return deltas
    }
  }

  /// After the last byte: the whole text (batch) and how the answer ended, or why it failed.
  mutating func finish(baseURL: String) throws(ServerError) -> (String?, CompletionInfo) {
    if status == 503 { throw .loading(url: baseURL) }
    guard status / 100 == 2 else {
      throw .http(status: status, message: Self.errorMessage(body, status: status))
    }
    if isEventStream {
      guard parser.isComplete else {
        if deltaCount == 0, parser.info.malformedChunks > 0 {
          throw .invalidResponse(detail: "\(parser.info.malformedChunks) events were not JSON")
        }
        throw .incomplete
      }
      return (nil, parser.info)
    }
    let text = try parser.parseBatch(body)
    return (text, parser.info)
  }

  /// The server's own message from an error body (OpenAI, llama-server and vLLM shapes).
  static func errorMessage(_ body: [UInt8], status: Int) -> String {
    struct Shapes: Decodable {
      struct Inner: Decodable { var message: String? }
      var error: Inner?
      var message: String?
      var detail: String?
    }
    if let shapes = try? JSONDecoder().decode(Shapes.self, from: Data(body)),
      let message = shapes.error?.message ?? shapes.message ?? shapes.detail
    {
      return message
    }
    let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if text.isEmpty || text.hasPrefix("<") {
      // An HTML error page says nothing useful; most likely not an OpenAI-compatible API.
      return "no details (is this an OpenAI-compatible server?)"
    }
    return ChatStreamParser.excerpt(Array(text.utf8))
  }
}

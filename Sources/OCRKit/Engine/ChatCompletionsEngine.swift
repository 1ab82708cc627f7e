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
  /// One attempt at a page fails when it has not ended this long after its request began,
  /// however busy the stream looks (keep-alives, empty deltas); its text so far is kept.
  public var pageTimeout: Duration = .seconds(600)
  public var insecure = false
  /// How long a complete answer (`finish_reason` or `[DONE]` seen) may take to end its body
  /// before the page stops reading it (see `FinishGrace`).
  public var finishGrace: Duration = .seconds(1)
  /// The served model's profile as in use; nil until the server was asked (`adopt`).
  public var profile: ActiveProfile?
  private let transport: CurlTransport
  /// Shared by the copies of this engine: the server's own request to wait.
  private let wait = ServerWait()
  /// Ask for each token's log-probability (the page's `confidence`) while the server gives
  /// them; false: never.
  public var asksLogprobs = true
  /// Shared by the copies of this engine: whether the server refused log-probabilities.
  private let logprobs = LogprobsSupport()

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

  public func acceptingRequests() async { await wait.passed() }

  /// Takes the settings of the model the server serves, under the flags the command line
  /// gave, and the server's context.
  public mutating func adopt(_ requested: RequestedSettings, facts: ServerFacts) {
    let profile = requested.profile(for: facts)
    settings = requested.settings(profile: profile.model, contextTokens: facts.contextTokens)
    self.profile = profile
  }
  public var kind: EngineKind { .server }

  /// Without a model name the server decides the model, so the server is part of it.
  public var outputIdentity: String {
    Self.outputIdentity(settings: settings, endpoint: endpoint)
  }

  /// The identity of an engine with these settings at `endpoint`, without one (a batch export
  /// names the journal its pages will be imported into, as a live run would).
  public static func outputIdentity(settings: GenerationSettings, endpoint: ServerEndpoint)
    -> String
  {
    let model = settings.model ?? "whatever \(endpoint.baseURL) serves"
    return "chat-completions model=\(model) \(settings.identity)"
  }

  public var temperature: Double? { settings.temperature }

  public func recognize(_ page: PageImage, _ options: ReadOptions) -> AsyncThrowingStream<
    EngineOutput, Error
  > {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: EngineOutput.self)
    var settings = settings
    if let temperature = options.temperature { settings.temperature = temperature }
    let ask = asksLogprobs && logprobs.isOffered
    let task = Task { [settings, logprobs] in
      do {
        do {
          try await exchange(
            page, mode: options.mode, settings: settings, logprobs: ask,
            yield: { continuation.yield($0) })
        } catch let error as ServerError where ask && LogprobsSupport.isRefusal(error) {
          // Refused before any text: remembered, and the page sent again at once without.
          logprobs.refused()
          try await exchange(
            page, mode: options.mode, settings: settings, logprobs: false,
            yield: { continuation.yield($0) })
        }
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }

  private func exchange(
    _ page: PageImage, mode: OCRMode, settings: GenerationSettings, logprobs: Bool,
    yield: (EngineOutput) -> Void
  ) async throws {
    var headers = ["Content-Type: application/json"]
    if mode == .stream { headers.append("Accept: text/event-stream") }
    if let apiKey, !apiKey.isEmpty { headers.append("Authorization: Bearer \(apiKey)") }
    let request = HTTPRequest(
      url: endpoint.chatCompletionsURL, headers: headers,
      body: ChatRequest.body(for: page, mode: mode, settings: settings, logprobs: logprobs),
      connectTimeout: connectTimeout, idleTimeout: idleTimeout, timeLimit: pageTimeout,
      insecure: insecure)

    // Whatever a server sends may quote the key or the URL's password back, in an error or
    // in the page text itself.
    let secrets = endpoint.secrets(apiKey: apiKey)
    var response = ResponseReader(
      mode: mode, baseURL: endpoint.baseURL,
      textLimit: ChatStreamParser.textLimit(maxTokens: settings.maxTokensBound), secrets: secrets)
    var text = RedactingStream(secrets: secrets)
    let reader = FinishGrace(transport.send(request), grace: finishGrace)
    defer { reader.stop() }
    do {
      do {
        for try await step in reader.steps {
          // Anything but an event: the page was complete, then the server went quiet.
          guard case .event(let event) = step else { break }
          for delta in try response.read(event) {
            let safe = text.feed(delta)
            if !safe.isEmpty { yield(.delta(safe)) }
          }
          // After the text that came before it: the server's own error ends the page.
          if let failure = response.failure { throw failure }
          if response.isComplete { reader.arm() }
        }
      } catch TransportError.cutOff where response.isComplete {
        // The server had said the answer was complete; only the end of the body was lost.
      }
      try Task.checkCancellation()
      var (batchText, info) = try response.finish()
      info.maxTokens = settings.maxTokens(for: page)
      info.finishReason = info.finishReason.map {
        FinishReason(rawValue: secrets.redact($0.rawValue))
      }
      let rest = text.feed(batchText ?? "") + text.finish(cut: info.finishReason == .length)
      if !rest.isEmpty { yield(.delta(rest)) }
      yield(.finished(info))
    } catch let error as TransportError {
      throw serverError(error).redacting(secrets)
    } catch let error as ServerError {
      if case .tooManyRequests(let delay?, _) = error { wait.asked(toWait: delay) }
      throw error.redacting(secrets)
    }
  }

  private func serverError(_ error: TransportError) -> ServerError {
    switch error {
    case .couldNotConnect(let detail): .unreachable(url: endpoint.baseURL, detail: detail)
    case .idleTimeout(let limit): .idleTimeout(seconds: limit.seconds)
    case .timeLimit(let limit): .pageTimeout(seconds: limit.seconds)
    case .cutOff(let detail): .cutOff(detail: detail)
    case .tls(let detail): .tls(detail: detail)
    case .other(let detail): .transfer(detail: detail)
    }
  }
}

/// Interprets one HTTP response: SSE deltas, a JSON body, or an HTTP error.
///
/// Bounded: a body is kept up to `bodyLimit` (an error body up to `errorBodyLimit`), stream
/// text up to the parser's `textLimit`; past that the page fails, keeping the text before.
struct ResponseReader {
  /// An error body says what went wrong in its first bytes.
  static let errorBodyLimit = 64 << 10
  private var status = 0
  private var retryAfter: Duration?
  private var isEventStream: Bool
  private let baseURL: String
  private var parser: ChatStreamParser
  private var body: [UInt8] = []
  /// A `chat.completion` body with `textLimit` bytes of text, each escaped as `\uXXXX`, and
  /// 1 MiB for the rest.
  private let bodyLimit: Int
  private var deltaCount = 0

  /// Kept out of an error body's excerpt, which is cut.
  private let secrets: Secrets

  init(mode: OCRMode, baseURL: String, textLimit: Int, secrets: Secrets = .none) {
    isEventStream = mode == .stream
    self.baseURL = baseURL
    self.secrets = secrets
    parser = ChatStreamParser(textLimit: textLimit, secrets: secrets)
    bodyLimit = 6 * textLimit + (1 << 20)
  }

  /// Why the page cannot go on, once the text before it has been read: a mid-stream error
  /// event, or too much from the server.
  var failure: ServerError? { parser.failure }

  /// The server said the answer is complete; only the end of its body may still follow.
  var isComplete: Bool { status / 100 == 2 && isEventStream && parser.isComplete }

  /// Returns the text deltas this event completes (SSE only).
  mutating func read(_ event: HTTPEvent) throws(ServerError) -> [String] {
    switch event {
    case .head(let status, let contentType):
      self.status = status
      if let contentType { isEventStream = contentType.lowercased().hasPrefix("text/event-stream") }
      return []
    case .retryAfter(let delay):
      retryAfter = delay
      return []
    case .body(let bytes):
      guard status / 100 == 2, isEventStream else {
        let limit = status / 100 == 2 ? bodyLimit : Self.errorBodyLimit
        body += bytes.prefix(limit - body.count)
        guard body.count < limit else {
          // An error body that will not end says no more than its start: stop reading it.
          throw status / 100 == 2 ? .tooLarge(.body(bytes: limit)) : httpFailure()
        }
        return []
      }
      let deltas = try parser.feed(bytes)
      deltaCount += deltas.count
      return deltas
    }
  }

  /// After the last byte: the whole text (batch) and how the answer ended, or why it failed.
  mutating func finish() throws(ServerError) -> (String?, CompletionInfo) {
    guard status / 100 == 2 else { throw httpFailure() }
    if isEventStream {
      let malformed = parser.info.malformedChunks
      // Nothing but malformed events is no answer at all, whatever ended the stream.
      if deltaCount == 0, malformed > 0 {
        throw .invalidResponse(
          detail: "\(malformed) event\(malformed == 1 ? " was" : "s were") not JSON")
      }
      guard parser.isComplete else { throw .incomplete }
      return (nil, parser.info)
    }
    let text = try parser.parseBatch(body)
    return (text, parser.info)
  }

  private func httpFailure() -> ServerError {
    if status == 503 { return .loading(url: baseURL) }
    if status == 429 {
      return .tooManyRequests(
        retryAfter: retryAfter, message: Self.errorMessage(body, status: status, secrets: secrets))
    }
    return .http(
      status: status, message: Self.errorMessage(body, status: status, secrets: secrets))
  }

  /// The server's own message from an error body (OpenAI, llama-server and vLLM shapes), as
  /// one safe line; an excerpt of any other body, without `secrets`.
  static func errorMessage(_ body: [UInt8], status: Int, secrets: Secrets = .none) -> String {
    struct Shapes: Decodable {
      struct Inner: Decodable { var message: String? }
      var error: Inner?
      var message: String?
      var detail: String?
    }
    if let shapes = LenientJSON.decode(Shapes.self, from: body),
      let message = shapes.error?.message ?? shapes.message ?? shapes.detail
    {
      return ServerText.oneLine(message)
    }
    let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if text.isEmpty || text.hasPrefix("<") {
      // An HTML error page says nothing useful; most likely not an OpenAI-compatible API.
      return status == 401 ? "no details" : "no details (is this an OpenAI-compatible server?)"
    }
    return ChatStreamParser.excerpt(Array(text.utf8), secrets: secrets)
  }
}

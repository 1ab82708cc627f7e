import Foundation

/// Quick questions to an OCR server: is it there, what does it serve, how many slots.
public struct ServerProbe: Sendable {
  public let endpoint: ServerEndpoint
  public let transport: CurlTransport
  public var apiKey: String?
  public var insecure = false

  public init(endpoint: ServerEndpoint, transport: CurlTransport, apiKey: String? = nil) {
    self.endpoint = endpoint
    self.transport = transport
    self.apiKey = apiKey
  }

  /// The most a probe reads of an answer.
  public static let bodyLimit = 256 * 1024

  /// The status and body of a GET, or nil when nothing answered within `timeout`.
  public func get(_ url: String, timeout: Duration, limit: Int = bodyLimit) async -> (
    status: Int, body: [UInt8]
  )? {
    let request = HTTPRequest(
      url: url,
      headers: apiKey.flatMap { $0.isEmpty ? nil : ["Authorization: Bearer \($0)"] } ?? [],
      connectTimeout: timeout, idleTimeout: timeout, insecure: insecure)
    return await withTaskGroup(of: (Int, [UInt8])?.self) { group in
      group.addTask {
        var status = 0
        var body: [UInt8] = []
        do {
          for try await event in transport.send(request) {
            switch event {
            case .head(let code, _): status = code
            case .retryAfter: break
            case .body(let bytes):
              // Health, props and model lists are small: a server sending more is not answered.
              guard body.count + bytes.count <= limit else { return nil }
              body += bytes
            }
          }
        } catch { return nil }
        return status > 0 ? (status, body) : nil
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return nil
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first
    }
  }

  /// How long a probe waits for an answer: no server at all refuses the connection at once,
  /// while one busy reading pages (or a test's fake on a loaded machine) may take a moment —
  /// and 1 s once made a run fall back to the built-in engine beside a server that was there.
  public static let answerTime: Duration = .seconds(5)

  /// `GET /health`: nil when no server answered; otherwise its HTTP status (503: loading).
  public func health(timeout: Duration = answerTime) async -> Int? {
    await get(endpoint.healthURL, timeout: timeout)?.status
  }

  /// How long `facts` waits for `/props` and `/v1/models`: longer than `answerTime`, because
  /// what they say decides a run's settings and its journal, and a server that is there may
  /// answer late (a llama-server whose HTTP threads are all busy streaming; a loaded machine,
  /// where a 5 s probe once missed `/props` and the run journaled under another identity). One
  /// that is not there refuses at once either way.
  public static let factsTime: Duration = .seconds(30)

  /// What the server says about itself (`GET /props` and `GET /v1/models`, asked at once):
  /// its models, slots and context. A server without `/props` (vLLM) says less.
  public func facts(timeout: Duration = factsTime) async -> ServerFacts {
    async let props = get(endpoint.propsURL, timeout: timeout)
    async let models = get(endpoint.modelsURL, timeout: timeout)
    func body(_ answer: (status: Int, body: [UInt8])?) -> [UInt8]? {
      answer.flatMap { $0.status == 200 ? $0.body : nil }
    }
    let (propsAnswer, modelsAnswer) = await (props, models)
    var facts = ServerFacts.parse(props: body(propsAnswer), models: body(modelsAnswer))
    facts.answered = propsAnswer != nil || modelsAnswer != nil
    facts.complete = propsAnswer != nil && modelsAnswer != nil
    facts.loading = propsAnswer?.status == 503 || modelsAnswer?.status == 503
    // A model id is the server's text, shown by `doctor`, `--stats` and the viewer: one that
    // echoes the `Authorization` header must not show the key.
    let secrets = endpoint.secrets(apiKey: apiKey)
    facts.modelIDs = facts.modelIDs.map(secrets.redact)
    return facts
  }

  /// The facts once the server has loaded its model. A loading llama-server answers `/props`
  /// and `/v1/models` with 503, and settings chosen then are an unknown model's — another
  /// prompt, image size and token limit, and another journal, so an interrupted run started
  /// again beside a restarting server read every page again. Asks `/health` every `every`
  /// until it stops answering 503, for at most `limit`; then the facts as they are. `facts`:
  /// what the server said just now (asked again only once it has loaded). Facts not answered
  /// in full (a server busy starting, a loaded machine: a `/props` that timed out beside a
  /// `/v1/models` that did not leaves no context, and `max_tokens` an unknown model's 4096) are
  /// asked again until the deadline; then the most that was answered.
  public func factsOnceLoaded(
    _ facts: ServerFacts, waitingUpTo limit: Duration, every: Duration = .seconds(1)
  ) async -> ServerFacts {
    var facts = facts
    let deadline = ContinuousClock.now + limit
    while facts.loading, ContinuousClock.now < deadline, !Task.isCancelled {
      try? await Task.sleep(for: every)
      if await health() == 503 { continue }
      facts = Self.settled(
        facts, asked: await self.facts(), lastChance: ContinuousClock.now >= deadline)
    }
    return facts
  }

  /// The facts to go on with after asking again past a loading wait: what was asked when it
  /// answered in full, or on the last chance at least in part; else the facts as they were
  /// (still loading, so asked again).
  static func settled(_ facts: ServerFacts, asked: ServerFacts, lastChance: Bool) -> ServerFacts {
    asked.complete || lastChance && asked.answered ? asked : facts
  }
}

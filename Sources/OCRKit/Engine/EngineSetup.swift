/// What the command line (and environment) say about reading pages, as plain data: which
/// engine, which servers and how to talk to them, and how a run goes. The viewer and the
/// headless commands build their engines, probes, run plans and journals from it, the same way.
public struct EngineSetup: Sendable {
  public var choice: EngineChoice = .auto
  public var servers: [ServerEndpoint]
  /// The request settings the flags gave; the served model's profile fills in the rest.
  public var requested = RequestedSettings()
  /// Sent as `Authorization: Bearer`; from the environment or the config file, never argv.
  public var apiKey: String?
  public var connectTimeout: Duration = .seconds(5)
  public var idleTimeout: Duration = .seconds(120)
  /// Bounds one attempt at a page from its request's start (`--page-timeout`).
  public var pageTimeout: Duration = .seconds(600)
  public var insecure = false
  /// The built-in engine's languages, e.g. `kor+eng`.
  public var languages = "eng"
  /// Pages in flight; nil: the servers' slots, or one per built-in worker.
  public var concurrency: Int?
  /// The most pages in flight an adaptive limit grows to (servers without `/props` slots).
  public var maxConcurrency = EngineSelection.defaultMaxConcurrency
  /// Built-in engine threads when `concurrency` does not say (one per core).
  public var workers: Int
  public var retry = RetryPolicy()
  public var loopGuard = true
  /// How many reads a page that ends badly gets (`--rescue`).
  public var rescue = RescuePolicy()
  /// Read every page again, voiding what the journal kept (`--fresh`).
  public var fresh = false
  /// Threads rendering and encoding a PDF's pages (`--render-workers`).
  public var renderWorkers = OpenedDocument.defaultWorkers

  public init(servers: [ServerEndpoint], workers: Int) {
    self.servers = servers
    self.workers = max(1, workers)
  }

  /// Picks the engine as `choice` says, probing the servers; `loading` as in
  /// `EngineSelection.remote`.
  public func select(
    transport: CurlTransport, loading: (@Sendable (_ servers: String) -> Void)? = nil
  ) async throws(TesseractError) -> EngineSelection {
    try await EngineSelection.select(
      choice, servers: serverEngines(transport: transport), probes: probes(transport: transport),
      requested: requested, languages: languages, workers: workers, concurrency: concurrency,
      maxConcurrency: maxConcurrency, loadingWait: retry.loadingWait, loading: loading)
  }

  /// The engine of `kind`, as `e` switches to it: the servers with their probed slots, or the
  /// built-in engine.
  public func engine(_ kind: EngineKind, transport: CurlTransport, reason: String)
    async throws(TesseractError) -> EngineSelection
  {
    switch kind {
    case .builtIn:
      try EngineSelection.builtIn(
        languages: languages, workers: workers, concurrency: concurrency,
        maxSide: requested.maxSide(profile: nil), reason: reason)
    case .server:
      await EngineSelection.remote(
        serverEngines(transport: transport), probes: probes(transport: transport),
        requested: requested, concurrency: concurrency, maxConcurrency: maxConcurrency,
        loadingWait: retry.loadingWait, reason: reason)
    }
  }

  /// One engine per server, as configured; an unknown model's settings until the servers were
  /// asked (`EngineSelection.remote`).
  public func serverEngines(transport: CurlTransport) -> [ChatCompletionsEngine] {
    let settings = requested.settings(profile: .unknown, contextTokens: nil)
    return servers.map { endpoint in
      var engine = ChatCompletionsEngine(
        endpoint: endpoint, settings: settings, apiKey: apiKey, transport: transport)
      engine.connectTimeout = connectTimeout
      engine.idleTimeout = idleTimeout
      engine.pageTimeout = pageTimeout
      engine.insecure = insecure
      return engine
    }
  }

  /// One probe per server (health, slots, models).
  public func probes(transport: CurlTransport) -> [ServerProbe] {
    servers.map { endpoint in
      var probe = ServerProbe(endpoint: endpoint, transport: transport, apiKey: apiKey)
      probe.insecure = insecure
      return probe
    }
  }

  /// A run plan for `selection`: its image size and pages in flight, this setup's retries and
  /// loop guard.
  public func plan(pages: [Int], mode: OCRMode, for selection: EngineSelection) -> RunPlan {
    var plan = RunPlan(
      pages: pages, mode: mode, maxSide: selection.maxSide, concurrency: selection.concurrency)
    plan.retry = retry
    plan.loopGuard = loopGuard
    plan.rescue = rescue
    plan.serverLoad = selection.serverLoad
    plan.poolLoad = selection.poolLoad
    return plan
  }

  /// Why `--grounding` cannot be used with the selected engine, or nil.
  public func groundingRefusal(_ selection: EngineSelection) -> ProfileError? {
    requested.groundingRefusal(
      profile: selection.engine.kind == .server ? selection.profile?.model ?? .unknown : nil)
  }

  /// `select`, then a `--grounding` the chosen engine cannot honour is refused (the engine shut
  /// down): what `ocrview ocr`, `bench` and the viewer start with. Throws `TesseractError` or
  /// `ProfileError`. `loading` is told the servers' addresses when they are loading their
  /// models and the selection starts waiting for them (up to `retry.loadingWait`), so whoever
  /// started it can say so meanwhile.
  public func selectAsRequested(
    transport: CurlTransport, loading: (@Sendable (_ servers: String) -> Void)? = nil
  ) async throws -> EngineSelection {
    let selection = try await select(transport: transport, loading: loading)
    if let refusal = groundingRefusal(selection) {
      await selection.engine.shutdown()
      throw refusal
    }
    return selection
  }

  /// Where runs of `selection`'s engine are journaled, keyed by the settings that change the
  /// text: the engine's, the image size and the loop guard.
  public func journal(for selection: EngineSelection, store: JournalStore) -> RunJournal {
    RunJournal(
      store: store,
      identity: journalIdentity(
        engine: selection.engine.outputIdentity, maxSide: selection.maxSide),
      use: fresh ? .forget : .restore)
  }

  /// The journal identity of runs of an engine of identity `engine` at `maxSide`: what
  /// `journal(for:store:)` keys runs by, and what a batch export names for its import.
  public func journalIdentity(engine: String, maxSide: Int) -> String {
    engine + " max_side=\(maxSide) loop_guard=\(loopGuard)"
  }
}

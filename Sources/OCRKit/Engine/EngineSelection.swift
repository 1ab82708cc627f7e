/// Which engine reads pages: `--engine` / `OCRVIEW_ENGINE`.
public enum EngineChoice: String, Sendable, CaseIterable {
  /// The server when it answers `/health` (within a second; nothing listening answers at once),
  /// else the built-in engine.
  case auto
  case server
  case tesseract
}

/// The engine picked for a run, with the reason people are shown.
public struct EngineSelection: Sendable {
  public var engine: any OCREngine
  /// Pages in flight that keep this engine busy: server slots or tesseract workers, or
  /// adapted for servers that do not say how many they serve at once.
  public var concurrency: Concurrency
  /// Why this engine, e.g. "no server at http://127.0.0.1:8080 — using built-in Tesseract".
  public var reason: String
  /// Every server still answered 503 after `loadingWait`: they are loading their models
  /// (pages wait for them, with an unknown model's settings).
  public var serverLoading = false
  /// The served model's profile as in use (the first server's): `profile?.summary` is the
  /// line to show. Nil for the built-in engine.
  public var profile: ActiveProfile?
  /// The longest side, in pixels, of the image sent for a page: `--max-side`, else the served
  /// model's (the first server's: a page is rendered before a server is picked), else
  /// `RequestedSettings.defaultMaxSide`. Resolved here, once, as the engine is selected; the
  /// run plan, the journal's key, the viewer's header and page pane all read this.
  public var maxSide: Int
  /// The server whose own queue figures set the pages in flight (`QueueLimit`): one server,
  /// when `--concurrency` did not fix them. Nil for the built-in engine and for pools.
  public var serverLoad: ServerLoadSource?
  /// A pool's servers, each read for its own figures (`--concurrency` not given).
  public var poolLoad: PoolLoadSource?

  /// The most pages in flight an adaptive limit grows to, unless `--max-concurrency` says.
  public static let defaultMaxConcurrency = 64
  /// Where an adaptive limit starts.
  public static let adaptiveStart = 8

  public init(
    engine: any OCREngine, concurrency: Concurrency, reason: String,
    maxSide: Int = RequestedSettings.defaultMaxSide
  ) {
    self.engine = engine
    self.concurrency = concurrency
    self.reason = reason
    self.maxSide = maxSide
  }

  /// Picks the engine. `server` uses the servers (a `ServerPool` when there are several);
  /// `tesseract` and an `auto` that finds no server answering use the built-in engine with
  /// `workers` threads. Default concurrency: the servers' slots added up, or the workers.
  /// Servers are probed all at once, so several slow ones cost one timeout, not one each.
  public static func select(
    _ choice: EngineChoice, servers: [ChatCompletionsEngine], probes: [ServerProbe],
    requested: RequestedSettings = RequestedSettings(), languages: String, workers: Int,
    concurrency: Int?, maxConcurrency: Int = defaultMaxConcurrency,
    loadingWait: Duration = RetryPolicy().loadingWait,
    loading: (@Sendable (_ servers: String) -> Void)? = nil
  ) async throws(TesseractError) -> EngineSelection {
    let urls = servers.map(\.endpoint.baseURL).joined(separator: ", ")
    switch choice {
    case .tesseract:
      return try builtIn(
        languages: languages, workers: workers, concurrency: concurrency,
        maxSide: requested.maxSide(profile: nil), reason: "built-in Tesseract (--engine tesseract)")
    case .server:
      return await remote(
        servers, probes: probes, requested: requested, concurrency: concurrency,
        maxConcurrency: maxConcurrency, loadingWait: loadingWait, loading: loading,
        reason: "server \(urls) (--engine server)")
    case .auto:
      let statuses = await concurrentMap(probes) { await $0.health() }.compactMap { $0 }
      guard !statuses.isEmpty else {
        return try builtIn(
          languages: languages, workers: workers, concurrency: concurrency,
          maxSide: requested.maxSide(profile: nil),
          reason: "no server at \(urls) — using built-in Tesseract")
      }
      var selection = await remote(
        servers, probes: probes, requested: requested, concurrency: concurrency,
        maxConcurrency: maxConcurrency, loadingWait: loadingWait, loading: loading,
        reason: servers.count == 1 ? "server \(urls) is up" : "servers \(urls) are up")
      if selection.serverLoading { selection.reason = "server \(urls) (still loading its model)" }
      return selection
    }
  }

  /// The built-in engine with `concurrency ?? workers` threads, reading pages `maxSide` px
  /// long (`RequestedSettings.maxSide(profile: nil)`).
  public static func builtIn(
    languages: String, workers: Int, concurrency: Int?, maxSide: Int, reason: String
  ) throws(TesseractError) -> EngineSelection {
    let count = concurrency ?? workers
    return EngineSelection(
      engine: try TesseractEngine(languages: languages, workers: count),
      concurrency: .fixed(count), reason: reason, maxSide: maxSide)
  }

  /// The servers as one engine: one server, or a `ServerPool` routing by the slot counts the
  /// servers report (`/props`, probed at once). Each server takes its served model's profile
  /// and context under the `requested` flags.
  ///
  /// Pages in flight: `concurrency` when given; else the slots added up when every server
  /// reports them (one for a server that did not answer); else (vLLM, hosted APIs: no `/props`) adaptive, starting at
  /// `adaptiveStart` plus the known slots and growing up to `maxConcurrency` in all. In a pool
  /// a server that does not say gets `maxConcurrency` slots, so the pool never caps what the
  /// adaptive limit finds; the least busy server (by share of its slots) still gets each page.
  /// When every server answers 503 (loading its model), they are waited for, up to
  /// `loadingWait`: the settings are then their model's, not an unknown one's. `loading` is
  /// told their addresses as the wait begins.
  public static func remote(
    _ servers: [ChatCompletionsEngine], probes: [ServerProbe],
    requested: RequestedSettings = RequestedSettings(), concurrency: Int?,
    maxConcurrency: Int = defaultMaxConcurrency,
    loadingWait: Duration = RetryPolicy().loadingWait,
    loading: (@Sendable (_ servers: String) -> Void)? = nil, reason: String
  ) async -> EngineSelection {
    var facts = await concurrentMap(probes) { await $0.facts() }
    // A server loading its model says what it serves only once loaded; a pool with a server
    // ready goes on with it.
    let allLoading = { (facts: [ServerFacts]) in !facts.isEmpty && facts.allSatisfy(\.loading) }
    if allLoading(facts), loadingWait > .zero {
      loading?(servers.map(\.endpoint.baseURL).joined(separator: ", "))
      let loadingFacts = facts
      facts = await concurrentMap(Array(probes.indices)) {
        await probes[$0].factsOnceLoaded(loadingFacts[$0], waitingUpTo: loadingWait)
      }
    }
    let maxConcurrency = max(1, maxConcurrency)
    // A server that did not answer counts as one slot, as before; one that answered without
    // saying (vLLM) is not capped.
    let said = facts.map { $0.slots ?? ($0.answered ? nil : 1) }
    let slots = said.map { $0 ?? maxConcurrency }
    let known = said.compactMap { $0 }.reduce(0, +)
    let unknown = said.count(where: { $0 == nil })
    let tuned = zip(servers, facts).map { server, facts in
      var server = server
      server.adopt(requested, facts: facts)
      return server
    }
    let engine: any OCREngine =
      tuned.count == 1 ? tuned[0] : ServerPool(servers: tuned, slots: slots)
    let inFlight: Concurrency =
      if let concurrency {
        .fixed(concurrency)
      } else if unknown == 0 {
        .fixed(known)
      } else {
        .adaptive(
          start: min(known + adaptiveStart, maxConcurrency), max: max(maxConcurrency, known))
      }
    var selection = EngineSelection(
      engine: engine, concurrency: inFlight, reason: reason,
      maxSide: requested.maxSide(profile: tuned.first?.profile?.model))
    selection.profile = tuned.first?.profile
    selection.serverLoading = allLoading(facts)
    // A server that reports its queue (`/metrics`, `/slots`) is read while pages wait; one
    // that does not is asked a few times, then the limit stays fixed or AIMD.
    if concurrency == nil, probes.count == 1, facts[0].answered {
      selection.serverLoad = ServerLoadSource(
        reader: ServerLoadReader(probe: probes[0]), capacity: facts[0].slots)
    } else if concurrency == nil, let pool = engine as? ServerPool {
      selection.poolLoad = PoolLoadSource(
        pool: pool,
        servers: zip(probes, facts).map { probe, facts in
          ServerLoadSource(reader: ServerLoadReader(probe: probe), capacity: facts.slots)
        }, maximum: maxConcurrency)
    }
    return selection
  }
}

/// `transform` applied to every element at once; the results in the elements' order.
func concurrentMap<Element: Sendable, Result: Sendable>(
  _ elements: [Element], _ transform: @escaping @Sendable (Element) async -> Result
) async -> [Result] {
  await withTaskGroup(of: (Int, Result).self) { group in
    for (index, element) in elements.enumerated() {
      group.addTask { (index, await transform(element)) }
    }
    var results: [Int: Result] = [:]
    for await (index, result) in group { results[index] = result }
    return elements.indices.map { results[$0]! }
  }
}

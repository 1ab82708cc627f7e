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
  /// Pages in flight that keep this engine busy (server slots, or tesseract workers).
  public var concurrency: Int
  /// Why this engine, e.g. "no server at http://127.0.0.1:8080 — using built-in Tesseract".
  public var reason: String
  /// Every server answered 503: it is still loading its model (pages wait for it).
  public var serverLoading = false
  /// The served model's profile as in use (the first server's): `profile?.summary` is the
  /// line to show. Nil for the built-in engine.
  public var profile: ActiveProfile?

  public init(engine: any OCREngine, concurrency: Int, reason: String) {
    self.engine = engine
    self.concurrency = concurrency
    self.reason = reason
  }

  /// Picks the engine. `server` uses the servers (a `ServerPool` when there are several);
  /// `tesseract` and an `auto` that finds no server answering use the built-in engine with
  /// `workers` threads. Default concurrency: the servers' slots added up, or the workers.
  /// Servers are probed all at once, so several slow ones cost one timeout, not one each.
  public static func select(
    _ choice: EngineChoice, servers: [ChatCompletionsEngine], probes: [ServerProbe],
    requested: RequestedSettings = RequestedSettings(), languages: String, workers: Int,
    concurrency: Int?
  ) async throws(TesseractError) -> EngineSelection {
    let urls = servers.map(\.endpoint.baseURL).joined(separator: ", ")
    switch choice {
    case .tesseract:
      return try builtIn(
        languages: languages, workers: workers, concurrency: concurrency,
        reason: "built-in Tesseract (--engine tesseract)")
    case .server:
      return await remote(
        servers, probes: probes, requested: requested, concurrency: concurrency,
        reason: "server \(urls) (--engine server)")
    case .auto:
      let statuses = await concurrentMap(probes) { await $0.health() }.compactMap { $0 }
      guard !statuses.isEmpty else {
        return try builtIn(
          languages: languages, workers: workers, concurrency: concurrency,
          reason: "no server at \(urls) — using built-in Tesseract")
      }
      let loading = statuses.allSatisfy { $0 == 503 }
      var selection = await remote(
        servers, probes: probes, requested: requested, concurrency: concurrency,
        reason: loading
          ? "server \(urls) (still loading its model)"
          : servers.count == 1 ? "server \(urls) is up" : "servers \(urls) are up")
      selection.serverLoading = loading
      return selection
    }
  }

  /// The built-in engine with `concurrency ?? workers` threads.
  public static func builtIn(
    languages: String, workers: Int, concurrency: Int?, reason: String
  ) throws(TesseractError) -> EngineSelection {
    let count = concurrency ?? workers
    return EngineSelection(
      engine: try TesseractEngine(languages: languages, workers: count), concurrency: count,
      reason: reason)
  }

  /// The servers as one engine: one server, or a `ServerPool` routing by the slot counts the
  /// servers report (`/props`, probed at once; 1 for a server that does not say). Each server
  /// takes its served model's profile and context under the `requested` flags.
  public static func remote(
    _ servers: [ChatCompletionsEngine], probes: [ServerProbe],
    requested: RequestedSettings = RequestedSettings(), concurrency: Int?, reason: String
  ) async -> EngineSelection {
    let facts = await concurrentMap(probes) { await $0.facts() }
    let slots = facts.map { $0.slots ?? 1 }
    let tuned = zip(servers, facts).map { server, facts in
      var server = server
      server.adopt(requested, facts: facts)
      return server
    }
    let engine: any OCREngine =
      tuned.count == 1 ? tuned[0] : ServerPool(servers: tuned, slots: slots)
    var selection = EngineSelection(
      engine: engine, concurrency: concurrency ?? slots.reduce(0, +), reason: reason)
    selection.profile = tuned.first?.profile
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

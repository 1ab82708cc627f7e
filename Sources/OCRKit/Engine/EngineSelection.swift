/// Which engine reads pages: `--engine` / `OCRVIEW_ENGINE`.
public enum EngineChoice: String, Sendable, CaseIterable {
  /// The server when it answers `/health` (within 300 ms), else the built-in engine.
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

  public init(engine: any OCREngine, concurrency: Int, reason: String) {
    self.engine = engine
    self.concurrency = concurrency
    self.reason = reason
  }

  /// Picks the engine. `server` uses the servers (a `ServerPool` when there are several);
  /// `tesseract` and an `auto` that finds no server answering use the built-in engine with
  /// `workers` threads. Default concurrency: the servers' slots added up, or the workers.
  public static func select(
    _ choice: EngineChoice, servers: [ChatCompletionsEngine], probes: [ServerProbe],
    languages: String, workers: Int, concurrency: Int?
  ) async throws(TesseractError) -> EngineSelection {
    func builtIn(_ reason: String) throws(TesseractError) -> EngineSelection {
      let count = concurrency ?? workers
      return EngineSelection(
        engine: try TesseractEngine(languages: languages, workers: count), concurrency: count,
        reason: reason)
    }
    func remote(_ reason: String) async -> EngineSelection {
      var slots: [Int] = []
      for probe in probes { slots.append(await probe.slots() ?? 1) }
      let engine: any OCREngine =
        servers.count == 1 ? servers[0] : ServerPool(servers: servers, slots: slots)
      return EngineSelection(
        engine: engine, concurrency: concurrency ?? slots.reduce(0, +), reason: reason)
    }
    let urls = servers.map(\.endpoint.baseURL).joined(separator: ", ")
    switch choice {
    case .tesseract:
      return try builtIn("built-in Tesseract (--engine tesseract)")
    case .server:
      return await remote("server \(urls) (--engine server)")
    case .auto:
      var statuses: [Int] = []
      for probe in probes { if let status = await probe.health() { statuses.append(status) } }
      guard !statuses.isEmpty else {
        return try builtIn("no server at \(urls) — using built-in Tesseract")
      }
      if statuses.allSatisfy({ $0 == 503 }) {
        return await remote("server \(urls) (still loading its model)")
      }
      return await remote(servers.count == 1 ? "server \(urls) is up" : "servers \(urls) are up")
    }
  }
}

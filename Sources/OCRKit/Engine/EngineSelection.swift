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

  /// Picks the engine. `server` builds the server engine; `tesseract` and an `auto` that finds
  /// no server build the built-in one with `workers` threads.
  public static func select(
    _ choice: EngineChoice, server: ChatCompletionsEngine, probe: ServerProbe,
    languages: String, workers: Int, concurrency: Int?
  ) async throws(TesseractError) -> EngineSelection {
    func builtIn(_ reason: String) throws(TesseractError) -> EngineSelection {
      let count = concurrency ?? workers
      return EngineSelection(
        engine: try TesseractEngine(languages: languages, workers: count), concurrency: count,
        reason: reason)
    }
    func remote(_ reason: String) async -> EngineSelection {
      let slots = concurrency == nil ? await probe.slots() : nil
      return EngineSelection(engine: server, concurrency: concurrency ?? slots ?? 1, reason: reason)
    }
    let url = server.endpoint.baseURL
    switch choice {
    case .tesseract:
      return try builtIn("built-in Tesseract (--engine tesseract)")
    case .server:
      return await remote("server \(url) (--engine server)")
    case .auto:
      guard let status = await probe.health() else {
        return try builtIn("no server at \(url) — using built-in Tesseract")
      }
      return await remote(
        status == 503 ? "server \(url) (still loading its model)" : "server \(url) is up")
    }
  }
}

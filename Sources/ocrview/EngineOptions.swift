import ArgumentParser
import Foundation
import OCRKit

/// The options every command that reads pages shares: which engine, which server, how.
struct EngineOptions: ParsableArguments {
  @Option(
    help:
      "Engine: auto (the server if it answers, else built-in Tesseract), server or tesseract (default: $OCRVIEW_ENGINE or auto)."
  )
  var engine: EngineChoice?

  @Option(
    help:
      "OpenAI-compatible server; repeat for several (default: $OCRVIEW_SERVER, a comma list, or http://127.0.0.1:8080)."
  )
  var server: [String] = []

  @Option(help: "Model name to send (default: none; the server's own).")
  var model: String?

  @Option(help: "Most tokens generated per page.")
  var maxTokens = 4096

  @Option(help: "Sampling temperature.")
  var temperature = 0.2

  @Option(help: "Nucleus sampling threshold.")
  var topP = 0.9

  @Option(help: "A text prompt sent beside each image (LightOnOCR needs none).")
  var prompt: String?

  @Option(help: "Longest side, in pixels, of the image sent for a page.")
  var maxSide = 1540

  @Option(help: "Languages of the built-in engine, e.g. eng or kor+eng.")
  var lang = "eng"

  @Option(
    help: "Pages in flight at once (default: the server's slots, or one per core for Tesseract).")
  var concurrency: Int?

  @Option(help: "Password of an encrypted PDF (or set OCRVIEW_PDF_PASSWORD).")
  var password: String?

  @Option(help: "Seconds without a byte from the server before a page fails.")
  var idleTimeout = 120.0

  @Option(help: "Seconds to wait for a connection to the server.")
  var connectTimeout = 5.0

  @Flag(help: "Skip TLS certificate checks for an https server.")
  var insecure = false

  @Option(
    help:
      "Times a page is tried again after a broken connection, a stall or a 5xx; a loading server (503) is waited for up to 30 × 4 × --retry-delay (0: no retries at all)."
  )
  var retries = 2

  @Option(help: "Seconds before the first retry; each further one waits twice as long.")
  var retryDelay = 0.5

  /// The retry policy these options describe.
  var retryPolicy: RetryPolicy {
    RetryPolicy(
      retries: retries, delay: .milliseconds(Int(retryDelay * 1000)),
      loadingRetries: retries == 0 ? 0 : 30)
  }

  @Flag(help: "Let a page run on when its text ends in a repetition loop.")
  var noLoopGuard = false

  @Flag(help: "Read every page again, ignoring what the journal kept from earlier runs.")
  var fresh = false

  /// Where runs are journaled (the environment's store unless given), and the key of the
  /// settings that change the text: the engine's, the image size and the loop guard.
  func journal(for engine: any OCREngine, store: JournalStore? = nil) -> RunJournal {
    RunJournal(
      store: store ?? .standard(environment: environment),
      identity: engine.outputIdentity + " max_side=\(maxSide) loop_guard=\(!noLoopGuard)",
      use: fresh ? .forget : .restore)
  }

  /// A run plan with these options' image size, retries and loop guard.
  func plan(pages: [Int], mode: OCRMode, concurrency: Int) -> RunPlan {
    var plan = RunPlan(pages: pages, mode: mode, maxSide: maxSide, concurrency: concurrency)
    plan.retry = retryPolicy
    plan.loopGuard = !noLoopGuard
    return plan
  }

  func validate() throws {
    guard maxTokens > 0 else { throw ValidationError("--max-tokens must be at least 1") }
    guard (64...10_000).contains(maxSide) else {
      throw ValidationError("--max-side must be between 64 and 10000 pixels")
    }
    if let concurrency, concurrency < 1 {
      throw ValidationError("--concurrency must be at least 1")
    }
    guard idleTimeout > 0, connectTimeout > 0 else {
      throw ValidationError("--idle-timeout and --connect-timeout must be positive")
    }
    guard (0...2).contains(temperature) else {
      throw ValidationError("--temperature must be between 0 and 2")
    }
    guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1]") }
    guard retries >= 0, retryDelay >= 0 else {
      throw ValidationError("--retries and --retry-delay must not be negative")
    }
    guard endpoints.count == serverTexts.count else {
      throw ValidationError(
        "--server must be an http:// or https:// URL, e.g. http://127.0.0.1:8080")
    }
    do throws(ConfigError) { _ = try ConfigFile.apiKey(environment: environment) } catch {
      throw ValidationError(error.description)
    }
    if engine == nil, let name = environment["OCRVIEW_ENGINE"], EngineChoice(rawValue: name) == nil
    {
      throw ValidationError("OCRVIEW_ENGINE must be auto, server or tesseract (it is \"\(name)\")")
    }
  }

  var environment: [String: String] { ProcessInfo.processInfo.environment }

  /// The servers as given: flags, else the environment's comma list, else the default.
  private var serverTexts: [String] {
    if !server.isEmpty { return server }
    if let list = environment["OCRVIEW_SERVER"], !list.isEmpty {
      return list.split(separator: ",").map(String.init)
    }
    return ["http://127.0.0.1:8080"]
  }

  var endpoints: [ServerEndpoint] { serverTexts.compactMap(ServerEndpoint.init) }

  var engineChoice: EngineChoice {
    engine ?? environment["OCRVIEW_ENGINE"].flatMap(EngineChoice.init(rawValue:)) ?? .auto
  }

  var pdfPassword: String? { password ?? environment["OCRVIEW_PDF_PASSWORD"] }

  /// From the environment or the config file (checked by `validate`), never from argv.
  var apiKey: String? { try? ConfigFile.apiKey(environment: environment) }

  /// The server engines these options describe (used when a server is chosen).
  func serverEngines(transport: CurlTransport) -> [ChatCompletionsEngine] {
    endpoints.map { serverEngine($0, transport: transport) }
  }

  private func serverEngine(_ endpoint: ServerEndpoint, transport: CurlTransport)
    -> ChatCompletionsEngine
  {
    var engine = ChatCompletionsEngine(
      endpoint: endpoint,
      settings: GenerationSettings(
        model: model, maxTokens: maxTokens, temperature: temperature, topP: topP, prompt: prompt),
      apiKey: apiKey, transport: transport)
    engine.connectTimeout = .milliseconds(Int(connectTimeout * 1000))
    engine.idleTimeout = .milliseconds(Int(idleTimeout * 1000))
    engine.insecure = insecure
    return engine
  }

  func probes(transport: CurlTransport) -> [ServerProbe] {
    endpoints.map { endpoint in
      var probe = ServerProbe(endpoint: endpoint, transport: transport, apiKey: apiKey)
      probe.insecure = insecure
      return probe
    }
  }

  /// Picks the engine as `--engine` says; throws the user-facing reason it cannot.
  func selectEngine(transport: CurlTransport) async throws(TesseractError) -> EngineSelection {
    try await EngineSelection.select(
      engineChoice, servers: serverEngines(transport: transport),
      probes: probes(transport: transport),
      languages: lang, workers: ProcessInfo.processInfo.activeProcessorCount,
      concurrency: concurrency)
  }
}

extension EngineChoice: ExpressibleByArgument {}

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

  @Option(
    help:
      "Model name to send (default: none; the server's own). Its name also picks the model profile."
  )
  var model: String?

  // Numbers are parsed `.unconditional`ly: `--retries -1` then reaches the range check in
  // `validate()` ("must be between 0 and 100") instead of "-1" being taken for a flag and the
  // option said to be "Missing value".
  @Option(
    parsing: .unconditional,
    help:
      "Most tokens generated per page (default: what the server's context leaves after the image, at most 16384; 4096 when the server does not say)."
  )
  var maxTokens: Int?

  @Option(
    parsing: .unconditional, help: "Sampling temperature (default: the model profile's, 0.2).")
  var temperature: Double?

  @Option(
    parsing: .unconditional,
    help: "Nucleus sampling threshold (default: the model profile's: 0.9, 1.0 for LightOnOCR-3).")
  var topP: Double?

  @Option(help: "A text prompt sent beside each image (LightOnOCR needs none).")
  var prompt: String?

  @Option(
    parsing: .unconditional,
    help:
      "Longest side, in pixels, of the image sent for a page (default: the model profile's: 1540, 2048 for LightOnOCR-3-0.8B and -4B)."
  )
  var maxSide: Int?

  @Flag(
    help:
      "Ask a LightOnOCR-3 model for layout blocks with boxes (![label](x1,y1,x2,y2) before each block)."
  )
  var grounding = false

  @Option(help: "Languages of the built-in engine, e.g. eng or kor+eng.")
  var lang = "eng"

  @Option(
    parsing: .unconditional,
    help:
      "Pages in flight at once (default: the server's slots; adapted between 1 and --max-concurrency for a server that does not say, such as vLLM; one per core for Tesseract)."
  )
  var concurrency: Int?

  @Option(
    parsing: .unconditional,
    help: "The most pages in flight a server without /props slots (vLLM) is adapted up to.")
  var maxConcurrency = 64

  @Option(
    parsing: .unconditional,
    help: "Threads that render and encode PDF pages (default: one per core).")
  var renderWorkers: Int?

  @Option(help: "Password of an encrypted PDF (or set OCRVIEW_PDF_PASSWORD).")
  var password: String?

  @Option(
    parsing: .unconditional, help: "Seconds without a byte from the server before a page fails.")
  var idleTimeout = 120.0

  @Option(
    parsing: .unconditional,
    help:
      "Seconds one attempt at a page may take from its request's start, however busy the stream looks (keep-alives, empty deltas); then it fails (and is retried), keeping its text."
  )
  var pageTimeout = 600.0

  @Option(
    parsing: .unconditional, help: "Seconds to wait for a connection to the server.")
  var connectTimeout = 5.0

  @Flag(help: "Skip TLS certificate checks for an https server.")
  var insecure = false

  @Option(
    parsing: .unconditional,
    help:
      "Times a page is tried again after a broken connection, a stall or a 5xx; a loading server (503) is waited for up to 30 × 4 × --retry-delay (0: no retries at all)."
  )
  var retries = 2

  @Option(
    parsing: .unconditional,
    help: "Seconds before the first retry; each further one waits twice as long.")
  var retryDelay = 0.5

  @Flag(help: "Let a page run on when its text ends in a repetition loop.")
  var noLoopGuard = false

  @Option(
    parsing: .unconditional,
    help:
      "Reads a page gets at most, the first included: a page that loops, is cut at the token limit or comes back empty is read again at once, warmer (olmOCR's ladder 0.1, 0.2, 0.3, 0.5, 0.8, 0.9, 1.0), keeping the best read; 1 turns this off."
  )
  var rescue = RescuePolicy.defaultReads

  @Flag(help: "Read every page again, ignoring what the journal kept from earlier runs.")
  var fresh = false

  /// Checks the flags alone: ranges and forms. Files (the config file) are read by `setup()`.
  func validate() throws {
    if let maxTokens { try Self.check("--max-tokens", Double(maxTokens), in: 1...1_000_000) }
    if let maxSide {
      try Self.check("--max-side", Double(maxSide), in: 64...10_000, unit: " pixels")
    }
    if let concurrency { try Self.check("--concurrency", Double(concurrency), in: 1...1024) }
    try Self.check("--max-concurrency", Double(maxConcurrency), in: 1...1024)
    try Self.check("--idle-timeout", idleTimeout, in: 0.001...86_400, unit: " seconds")
    try Self.check("--page-timeout", pageTimeout, in: 0.001...604_800, unit: " seconds")
    try Self.check("--connect-timeout", connectTimeout, in: 0.001...3_600, unit: " seconds")
    if let renderWorkers { try Self.check("--render-workers", Double(renderWorkers), in: 1...256) }
    if let temperature { try Self.check("--temperature", temperature, in: 0...2) }
    if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
    try Self.check("--retries", Double(retries), in: 0...100)
    try Self.check(
      "--rescue", Double(rescue),
      in: Double(RescuePolicy.readsRange.lowerBound)...Double(RescuePolicy.readsRange.upperBound))
    try Self.check("--retry-delay", retryDelay, in: 0...3_600, unit: " seconds")
    for text in serverTexts {
      if let problem = ServerEndpoint.problem(with: text) {
        let name = server.isEmpty ? "OCRVIEW_SERVER" : "--server"
        throw ValidationError(
          "\(name) \(Secrets.none.redact(text)): \(problem) — e.g. http://127.0.0.1:8080")
      }
    }
    if engine == nil, let name = environment["OCRVIEW_ENGINE"], EngineChoice(rawValue: name) == nil
    {
      throw ValidationError("OCRVIEW_ENGINE must be auto, server or tesseract (it is \"\(name)\")")
    }
  }

  /// A numeric flag within its range (also refusing inf and nan, which no range contains).
  private static func check(
    _ flag: String, _ value: Double, in range: ClosedRange<Double>, unit: String = ""
  ) throws {
    guard range.contains(value) else {
      func number(_ bound: Double) -> String {
        bound == bound.rounded() ? String(Int(bound)) : String(bound)
      }
      throw ValidationError(
        "\(flag) must be between \(number(range.lowerBound)) and \(number(range.upperBound))\(unit)"
      )
    }
  }

  /// What these options describe, as the data engines are built from; reads the API key (from
  /// the environment or the private config file) once.
  func setup() throws(ConfigError) -> EngineSetup {
    var setup = EngineSetup(
      servers: endpoints, workers: ProcessInfo.processInfo.activeProcessorCount)
    setup.choice = engineChoice
    setup.requested = RequestedSettings(
      model: model, maxTokens: maxTokens, temperature: temperature, topP: topP, prompt: prompt,
      maxSide: maxSide, grounding: grounding)
    setup.apiKey = try ConfigFile.apiKey(environment: environment)
    setup.connectTimeout = .milliseconds(Int(connectTimeout * 1000))
    setup.idleTimeout = .milliseconds(Int(idleTimeout * 1000))
    setup.pageTimeout = .milliseconds(Int(pageTimeout * 1000))
    setup.insecure = insecure
    setup.languages = lang
    setup.concurrency = concurrency
    setup.maxConcurrency = maxConcurrency
    setup.retry = RetryPolicy(
      retries: retries, delay: .milliseconds(Int(retryDelay * 1000)),
      loadingRetries: retries == 0 ? 0 : 30)
    setup.loopGuard = !noLoopGuard
    setup.rescue = RescuePolicy(reads: rescue)
    setup.fresh = fresh
    if let renderWorkers { setup.renderWorkers = renderWorkers }
    return setup
  }

  /// Says on stderr that the servers are loading their models and waited for (`setup`'s
  /// `selectAsRequested`), so a run that starts beside a restarting server is not silent.
  static func sayLoading(waitingUpTo wait: Duration) -> @Sendable (String) -> Void {
    { servers in
      OutputFile.standardError.write(
        "ocrview: \(servers) is loading its model — waiting for it (up to "
          + "\(max(1, wait.components.seconds)) s) so its pages get the model's settings\n")
    }
  }

  /// `setup()`, or its one-line reason on stderr and exit 2.
  func setupOrExit() throws -> EngineSetup {
    do throws(ConfigError) { return try setup() } catch {
      OutputFile.standardError.write("ocrview: \(error.description)\n")
      throw ExitCode(ExitStatus.usage)
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
}

extension EngineChoice: ExpressibleByArgument {}

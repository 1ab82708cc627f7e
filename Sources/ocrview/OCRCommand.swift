import ArgumentParser
import Foundation
import OCRKit

/// `ocrview ocr FILE...`: the engine without the screen, for scripts and pipelines.
struct OCRCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ocr",
    abstract: "OCR images and PDFs page by page, printing text as it arrives.",
    discussion: """
      Markdown output opens every page with a line `<!-- page N -->` (and, with several \
      files, each file with `<!-- file: PATH -->`); a page that did not finish ends with \
      `<!-- page N: failed -->` or `<!-- page N: cancelled -->` after its partial text. \
      Plain text separates pages with a form feed. JSON Lines gives one object per page.

      The API key is read from OCRVIEW_API_KEY only (sent as Authorization: Bearer).
      """)

  @Argument(help: "PDF or image files (recognised by content, not extension).")
  var files: [String]

  @Flag(help: "Print each delta as it arrives (default) or wait for whole pages.")
  var mode: OCRMode = .stream

  @Option(
    name: [.short, .customLong("output")],
    help: "Also write the transcript to this file, as it arrives.")
  var output: String?

  @Option(help: "Pages to OCR, e.g. 1-3,7 or 5- (default: all).")
  var pages: String?

  @Option(help: "OpenAI-compatible server (default: $OCRVIEW_SERVER or http://127.0.0.1:8080).")
  var server: String?

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

  @Option(help: "Output format: md, txt or jsonl.")
  var format: TranscriptFormat = .md

  @Flag(help: "Print per-page and per-document stats (TTFT, E2E latency, tokens/s) on stderr.")
  var stats = false

  @Option(help: "Password of an encrypted PDF (or set OCRVIEW_PDF_PASSWORD).")
  var password: String?

  @Option(help: "Pages in flight at once.")
  var concurrency = 1

  @Option(help: "Seconds without a byte from the server before a page fails.")
  var idleTimeout = 120.0

  @Option(help: "Seconds to wait for a connection to the server.")
  var connectTimeout = 5.0

  @Flag(help: "Skip TLS certificate checks for an https server.")
  var insecure = false

  func validate() throws {
    guard maxTokens > 0 else { throw ValidationError("--max-tokens must be at least 1") }
    guard (64...10_000).contains(maxSide) else {
      throw ValidationError("--max-side must be between 64 and 10000 pixels")
    }
    guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
    guard idleTimeout > 0, connectTimeout > 0 else {
      throw ValidationError("--idle-timeout and --connect-timeout must be positive")
    }
    guard (0...2).contains(temperature) else {
      throw ValidationError("--temperature must be between 0 and 2")
    }
    guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1]") }
    guard endpoint != nil else {
      throw ValidationError(
        "--server must be an http:// or https:// URL, e.g. http://127.0.0.1:8080")
    }
  }

  private var environment: [String: String] { ProcessInfo.processInfo.environment }

  private var endpoint: ServerEndpoint? {
    ServerEndpoint(server ?? environment["OCRVIEW_SERVER"] ?? "http://127.0.0.1:8080")
  }

  func run() async throws {
    var engine = ChatCompletionsEngine(
      endpoint: endpoint!,
      settings: GenerationSettings(
        model: model, maxTokens: maxTokens, temperature: temperature, topP: topP, prompt: prompt),
      apiKey: environment["OCRVIEW_API_KEY"], transport: CurlTransport())
    engine.connectTimeout = .milliseconds(Int(connectTimeout * 1000))
    engine.idleTimeout = .milliseconds(Int(idleTimeout * 1000))
    engine.insecure = insecure

    let headless = HeadlessRun(
      files: files, engine: engine, mode: mode, pages: pages, maxSide: maxSide,
      concurrency: concurrency, format: format, showStats: stats,
      password: password ?? environment["OCRVIEW_PDF_PASSWORD"])
    let status = await headless.run(outputPath: output)
    if status != ExitStatus.ok { throw ExitCode(status) }
  }
}

extension OCRMode: EnumerableFlag {}
extension TranscriptFormat: ExpressibleByArgument {}

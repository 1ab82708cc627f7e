import ArgumentParser
import Foundation
import OCRKit

/// `ocrview batch export`: every page not yet in the journal as one request line.
struct BatchExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write one OpenAI batch request per page (the live request) and a manifest.",
    discussion: """
      The requests carry the settings the same flags give `ocrview ocr` (model profile, image \
      size, sampling, max_tokens, grounding). No server is asked, so max_tokens is --max-tokens, \
      else what each page's image leaves of --context (as live against a server with that \
      context), else 4096. Run `ocrview ocr` afterwards with the same flags, against a server \
      with that context when --context was given, to find the imported pages. Pages the \
      journal has finished already are not exported.
      """)

  @Argument(
    help: "PDF or image files (recognised by content, not extension), or directories of them.")
  var files: [String]

  @Option(help: "Folder for the request files, images and manifest.json (created if needed).")
  var out: String

  @Option(help: "Pages to export from each document, e.g. 1-3,7 or 5- (default: all).")
  var pages: String?

  @Option(
    help:
      "Images inline as data URLs (default), or as PNG files beside the requests, referenced as file:// (for vllm run-batch --allowed-local-media-path)."
  )
  var images: BatchExport.Images = .inline

  @Option(
    parsing: .unconditional,
    help:
      "Tokens one request may fill on the batch engine (vLLM's --max-model-len, llama-server's per-slot context): max_tokens is what each page's image leaves of it, as live; ignored with --max-tokens."
  )
  var context: Int?

  @Option(parsing: .unconditional, help: "Most request lines in one file.")
  var maxLines = 50_000

  @Option(parsing: .unconditional, help: "Most megabytes (10^6 bytes) in one request file.")
  var maxMb = 200

  @OptionGroup var options: EngineOptions

  func validate() throws {
    guard (1...50_000).contains(maxLines) else {
      throw ValidationError("--max-lines must be between 1 and 50000")
    }
    guard (1...200).contains(maxMb) else {
      throw ValidationError("--max-mb must be between 1 and 200")
    }
    if let context, !(512...10_000_000).contains(context) {
      throw ValidationError("--context must be between 512 and 10000000 tokens")
    }
  }

  func run() async throws {
    let setup = try options.setupOrExit()
    guard let model = setup.requested.model, let endpoint = setup.servers.first else {
      throw Self.usage(BatchError.needsModel.description)
    }
    let profile = ModelProfile.choose([model])
    if let refusal = setup.requested.groundingRefusal(profile: profile) {
      throw Self.usage(refusal.description)
    }
    let settings = setup.requested.settings(profile: profile, contextTokens: context)
    let maxSide = setup.requested.maxSide(profile: profile)
    let identity = setup.journalIdentity(
      engine: ChatCompletionsEngine.outputIdentity(settings: settings, endpoint: endpoint),
      maxSide: maxSide)
    let input = InputFiles.expand(files)
    for line in input.skipped { OutputFile.standardError.write("ocrview: \(line)\n") }
    guard !input.documents.isEmpty else {
      if input.skipped.isEmpty {
        OutputFile.standardError.write(
          "ocrview: no PDFs or images in \(files.joined(separator: ", "))\n")
      }
      throw ExitCode(ExitStatus.usage)
    }
    var export = BatchExport(
      paths: input.documents, settings: settings, identity: identity, maxSide: maxSide,
      directory: BatchExportCommand.absolute(out),
      store: .standard(environment: options.environment))
    export.pages = pages
    export.images = images
    export.password = options.pdfPassword
    export.renderWorkers = setup.renderWorkers
    export.maxLines = maxLines
    export.maxBytes = maxMb * 1_000_000
    // On a terminal, one progress line redrawn in place (as `ocrview ocr` draws its own);
    // the documents' lines print over it.
    let live = isatty(STDERR_FILENO) == 1
    export.report = { line in
      OutputFile.standardError.write((live ? "\r\u{1B}[2K" : "") + "ocrview: \(line)\n")
    }
    if live {
      export.progress = { written, elapsed in
        OutputFile.standardError.write(
          "\r\u{1B}[2K" + ProgressLine.text(done: written, total: nil, elapsed: elapsed))
      }
    }
    let summary: BatchExport.Summary
    do throws(BatchError) { summary = try await export.run() } catch {
      throw Self.usage(error.description)
    }
    if live { OutputFile.standardError.write("\r\u{1B}[2K") }
    let files = summary.manifest.files
    let megabytes = Double(files.reduce(0) { $0 + $1.bytes }) / 1_000_000
    print(
      "exported \(summary.exported) page\(summary.exported == 1 ? "" : "s") in \(files.count) "
        + "file\(files.count == 1 ? "" : "s") (\(String(format: "%.1f", megabytes)) MB) to "
        + "\(ServerText.name(out))"
        + (summary.alreadyDone > 0 ? "; \(summary.alreadyDone) already in the journal" : ""))
    for file in files { print("  \(file.name)  \(file.lines) lines") }
    if summary.failures > 0 || !input.skipped.isEmpty { throw ExitCode(ExitStatus.pagesFailed) }
  }

  static func usage(_ message: String) -> ExitCode {
    OutputFile.standardError.write("ocrview: \(message)\n")
    return ExitCode(ExitStatus.usage)
  }

  static func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }
}

extension BatchExport.Images: ExpressibleByArgument {}

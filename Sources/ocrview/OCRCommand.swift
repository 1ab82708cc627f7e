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

      The API key (sent as Authorization: Bearer) is read from OCRVIEW_API_KEY, else from \
      api_key = … in ~/.config/ocrview/config (mode 0600), never from the command line.
      """)

  @Argument(
    help: "PDF or image files (recognised by content, not extension), or directories of them.")
  var files: [String]

  @Flag(help: "Print each delta as it arrives (default) or wait for whole pages.")
  var mode: OCRMode = .stream

  @Option(
    name: [.short, .customLong("output")],
    help: "Also write the transcript to this file, as it arrives.")
  var output: String?

  @Flag(help: "Let -o replace an existing file (without it, an existing file is an error).")
  var overwrite = false

  @Option(
    help:
      "Write one transcript per document into this directory (NAME.ocr.md, …; never replacing a file)."
  )
  var outDir: String?

  @Option(help: "Pages to OCR, e.g. 1-3,7 or 5- (default: all).")
  var pages: String?

  @Option(
    help:
      "Output format: md, txt, jsonl, or hocr (the model's words where they stand, placed by the built-in engine's reading of each page)."
  )
  var format: TranscriptFormat = .md

  @Option(
    help: ArgumentHelp(
      "Also write a searchable PDF: the input's pages as they are, the model's text an invisible layer where each word stands (one document).",
      valueName: "file"))
  var pdf: String?

  @Flag(
    help:
      "With --pdf: replace another OCR's invisible text layer on pages that have one (default: such pages are left as they are). Text a page shows is never replaced."
  )
  var redoText = false

  @Flag(
    help: "With --pdf: write it linearised (fast web view: page 1 shows before the rest arrives).")
  var linearize = false

  @Flag(help: "Print per-page and per-document stats (TTFT, E2E latency, tokens/s) on stderr.")
  var stats = false

  @Flag(
    help:
      "Check each page's text against the built-in engine (idle priority): flag pages whose text looks dropped or invented."
  )
  var check = false

  @Option(
    help: ArgumentHelp(
      "With --grounding: leave out blocks of these labels, a comma list (default: keep all).",
      discussion: "Labels: \(GroundingLabel.all.joined(separator: ", ")).",
      valueName: "labels"))
  var drop: String?

  func validate() throws {
    if redoText && pdf == nil { throw ValidationError("--redo-text goes with --pdf") }
    if linearize && pdf == nil { throw ValidationError("--linearize goes with --pdf") }
    guard let drop else { return }
    do throws(GroundingLabelError) { _ = try GroundingLabel.parseList(drop) } catch {
      throw ValidationError(error.description)
    }
  }

  @OptionGroup var options: EngineOptions

  func run() async throws {
    // An `-o` or `--pdf` that would be refused is refused before anything is probed or read.
    for path in [output, pdf].compactMap({ $0 }) {
      if let refusal = OutputFile.refusal(creating: path, overwrite: overwrite, inputs: files) {
        OutputFile.standardError.write("ocrview: \(ServerText.name(refusal.description))\n")
        throw ExitCode(ExitStatus.usage)
      }
    }
    if let pdf, let input = HeadlessRun.input(namedBy: pdf, among: files) {
      OutputFile.standardError.write(
        "ocrview: \(ServerText.name(pdf)) is the input \(ServerText.name(input)) — writing the "
          + "searchable PDF there would destroy it; pick another --pdf name\n")
      throw ExitCode(ExitStatus.usage)
    }
    let setup = try options.setupOrExit()
    let selection: EngineSelection
    do {
      selection = try await setup.selectAsRequested(
        transport: CurlTransport(),
        loading: EngineOptions.sayLoading(waitingUpTo: setup.retry.loadingWait))
    } catch {
      OutputFile.standardError.write("ocrview: \(error)\n")
      throw ExitCode(ExitStatus.usage)
    }
    if stats {
      OutputFile.standardError.write(
        "engine: \(selection.engine.label)\(selection.profile.map { " · " + $0.summary } ?? "") — \(selection.reason); mode: \(mode.rawValue), \(selection.concurrency)\n"
      )
    }
    let input = InputFiles.expand(files)
    for line in input.skipped { OutputFile.standardError.write("ocrview: \(line)\n") }
    let documents = input.documents
    guard !documents.isEmpty else {
      if input.skipped.isEmpty {
        OutputFile.standardError.write(
          "ocrview: no PDFs or images in \(files.joined(separator: ", "))\n")
      }
      throw ExitCode(ExitStatus.usage)
    }
    // hOCR is one XHTML document: several go to --out-dir, one file each.
    if pdf != nil || format == .hocr && outDir == nil, documents.count != 1 {
      let asker = pdf != nil ? "--pdf makes one searchable PDF" : "--format hocr writes one file"
      OutputFile.standardError.write(
        "ocrview: \(asker) of one document; \(documents.count) were given — run once per "
          + "document\(pdf == nil ? ", or use --out-dir" : "")\n")
      throw ExitCode(ExitStatus.usage)
    }
    var referee: PageReferee?
    if check {
      switch setup.referee(
        for: selection.engine.kind, keepsReadings: pdf != nil || format == .hocr)
      {
      case .success(let started): referee = started
      case .failure(let reason): OutputFile.standardError.write("ocrview: \(reason)\n")
      }
    }
    var textLayer: TextLayerPass?
    if pdf != nil || format == .hocr {
      switch referee.map({ .success($0) }) ?? setup.textLayerReader() {
      case .success(let reader): textLayer = TextLayerPass(reader: reader)
      case .failure(let error):
        let asker = pdf != nil ? "--pdf" : "--format hocr"
        OutputFile.standardError.write("ocrview: \(asker) needs the built-in engine: \(error)\n")
        throw ExitCode(ExitStatus.usage)
      }
    }
    let headless = HeadlessRun(
      files: documents, engine: selection.engine, pages: pages,
      plan: { setup.plan(pages: $0, mode: mode, for: selection) },
      format: format, grounding: grounding(selection), showStats: stats,
      notice: Self.notice(setup, selection),
      password: options.pdfPassword, renderWorkers: setup.renderWorkers,
      journal: setup.journal(
        for: selection, store: .standard(environment: options.environment)),
      overwrite: overwrite, referee: referee, textLayer: textLayer,
      searchablePDF: pdf.map {
        SearchablePDFOutput(path: $0, redoText: redoText, linearize: linearize)
      })
    let status = await headless.run(outputPath: output, outputDirectory: outDir)
    await selection.engine.shutdown()
    // A file skipped in a folder is a page not read.
    if status != ExitStatus.ok || !input.skipped.isEmpty {
      throw ExitCode(status == ExitStatus.ok ? ExitStatus.pagesFailed : status)
    }
  }

  /// How transcripts treat box markup: only when the pages are asked for it.
  private func grounding(_ selection: EngineSelection) -> GroundingOutput? {
    guard selection.profile?.grounding == true else { return nil }
    return GroundingOutput(drop: Set((try? GroundingLabel.parseList(drop ?? "")) ?? []))
  }

  /// What a user must not miss about the engine: certificates not checked, or `auto` falling
  /// back to the built-in engine when they may have expected their model.
  static func notice(_ setup: EngineSetup, _ selection: EngineSelection) -> String? {
    switch selection.engine.kind {
    case .server where setup.insecure:
      return "TLS certificates are NOT verified (--insecure)"
    case .builtIn where setup.choice == .auto:
      let urls = setup.servers.map(\.baseURL).joined(separator: ", ")
      return "no OCR server at \(urls) — reading with the built-in Tesseract engine "
        + "(--engine server to require the server)"
    default:
      return nil
    }
  }
}

extension OCRMode: EnumerableFlag {}
extension TranscriptFormat: ExpressibleByArgument {}

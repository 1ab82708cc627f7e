import Foundation
import OCRKit

/// Runs documents one after another and writes their transcripts as the text arrives to stdout,
/// or — stdout then quiet, like `curl -o` — to a file (`-o`) or one file per document in an
/// output directory (`--out-dir`); reports failures, stats and, on a terminal, a progress line
/// on stderr for several documents or an output file. Returns the exit status.
///
/// The driver of `HeadlessReport`: it opens documents, starts their checked runs and performs
/// what the report answers; every decision about what to say, write and return is the
/// report's.
struct HeadlessRun {
  var files: [String]
  var engine: any OCREngine
  var pages: String?
  /// The run plan for a document's selected pages.
  var plan: ([Int]) -> RunPlan
  var format: TranscriptFormat
  /// Grounding pages: markup out of md/txt, blocks into jsonl (nil: plain pages).
  var grounding: GroundingOutput? = nil
  var showStats: Bool
  /// Said once, when the first document opens (which engine reads it).
  var notice: String? = nil
  var password: String?
  /// Threads rendering a PDF's pages (`--render-workers`).
  var renderWorkers = OpenedDocument.defaultWorkers
  var journal: RunJournal
  /// `-o` may replace an existing file.
  var overwrite = false
  /// `--check`: the built-in engine's second opinion on each finished page.
  var referee: PageReferee? = nil
  /// `--pdf` or `--format hocr`: the model's words placed on the built-in engine's reading of
  /// each page (its reader is `referee` when checking too).
  var textLayer: TextLayerPass? = nil
  /// `--pdf`: the one document's searchable PDF.
  var searchablePDF: SearchablePDFOutput? = nil

  func run(outputPath: String?, outputDirectory: String?) async -> Int32 {
    // Not while the transcript streams to the same terminal: the line would cut into its text.
    let toFiles = outputPath != nil || outputDirectory != nil
    let progress =
      (files.count > 1 || toFiles) && isatty(STDERR_FILENO) == 1
      && (toFiles || isatty(STDOUT_FILENO) == 0)
    var report = HeadlessReport(
      files: files, format: format, showStats: showStats, checking: referee != nil,
      notice: notice, showsProgress: progress)
    let sinks = TranscriptSinks(
      format: format, outputPath: outputPath, overwrite: overwrite,
      outputDirectory: outputDirectory)
    var out = Performer(sinks: sinks, stderr: StatusLines(progress: nil), referee: referee)
    if let outputPath, let input = Self.input(namedBy: outputPath, among: files) {
      await out.perform(report.consume(.outputIsInput(output: outputPath, input: input)), &report)
      return report.status
    }
    if progress { out.stderr = StatusLines(progress: Progress(files, password, pages: pages)) }
    // A reader closing stdout (`| head`) is a failed write to report, not a silent death.
    signal(SIGPIPE, SIG_IGN)
    let interrupter = Interrupter()
    for path in files {
      guard !interrupter.interrupted, !sinks.allFailed else { break }
      await read(path, &report, out, interrupter)
    }
    await referee?.shutdown()
    await textLayer?.reader.shutdown()
    if let signal = interrupter.interruption {
      await out.perform(report.consume(.interrupted(by: signal)), &report)
    }
    let finished = HeadlessReport.Event.finished(sinks.finish(), allFailed: sinks.allFailed)
    await out.perform(report.consume(finished), &report)
    return report.status
  }

  /// Reads one document through its checked run, telling `report` what happens.
  private func read(
    _ path: String, _ report: inout HeadlessReport, _ out: Performer, _ interrupter: Interrupter
  ) async {
    let document: OpenedDocument
    let selected: [Int]
    switch await open(path) {
    case .success(let opened): (document, selected) = opened
    case .failure(let error):
      return await out.perform(report.consume(.skipped(error.description)), &report)
    }
    await out.perform(report.consume(.opened(path: path, pages: selected.count)), &report)
    do throws(OutputFileError) {
      try out.sinks.begin(
        document: path, pages: selected, separator: report.separator(for: path),
        grounding: grounding)
    } catch {
      // This document has nowhere to go; the others (and -o's finished transcript) go on.
      return await out.perform(report.consume(.skipped(error.description)), &report)
    }
    let (plan, writer, warning) = await journal.prepare(plan(selected), for: document)
    let restored = plan.restored.values.filter(\.isFinished).count
    let prepared = HeadlessReport.Event.journal(
      warning: warning, works: writer != nil, restored: restored)
    await out.perform(report.consume(prepared), &report)
    // A text layer without --check: the reader is offered the pages' images as the model's
    // requests leave, but asked for no check.
    let reader = referee ?? textLayer?.reader
    let checked = CheckedRun(
      starting: RunRecipe(document: document, engine: engine, plan: plan, journal: writer),
      referee: { reader }, grounded: grounding != nil,
      asking: referee != nil || textLayer == nil ? .everyFinishedPage : .whenAsked)
    if referee == nil { checked.endAsking() }
    var out = out
    (out.run, out.journal) = (checked.running, writer)
    interrupter.watch(checked.running)
    // Pages with text of their own get no second layer in the PDF (hOCR has every page).
    var asked =
      if let searchablePDF {
        await BlockingQueue.onThread { searchablePDF.survey(of: document) }
      } else { SearchablePDFOutput.Survey() }
    // Only the pages asked for (`--pages`) are said to be kept or replaced.
    let pagesAsked = Set(selected)
    (asked.shown, asked.layered, asked.replacing) = (
      asked.shown.intersection(pagesAsked), asked.layered.intersection(pagesAsked),
      asked.replacing.intersection(pagesAsked)
    )
    let (survey, kept) = (asked, asked.kept)
    var layer = TextLayerPages(
      pass: textLayer, document: document, maxSide: plan.maxSide, grounded: grounding != nil,
      checking: referee != nil, kept: format == .hocr ? [] : kept)
    for await item in checked.items {
      if let signal = interrupter.interruption {
        await out.perform(report.consume(.interrupted(by: signal)), &report)
      }
      layer.consume(item)
      await out.perform(report.consume(.item(item)), &report)
    }
    interrupter.watch(nil)
    let (placed, missing) = await layer.collect(
      selected: selected, interrupted: interrupter.interrupted)
    if let searchablePDF {
      let pages = placed.filter { !kept.contains($0.number) }
      let outcome = await BlockingQueue.onThread {
        searchablePDF.write(pages, missing: missing, document: document, survey: survey)
      }
      await out.perform(report.consume(.searchablePDF(outcome)), &report)
    }
    var hocr: String?
    if format == .hocr {
      // An image's boxes count in its own pixels, not those of the page read.
      let size = document.imagePixelSize
      let pages = placed.map { size.map($0.scaled) ?? $0 }
      let name = URL(fileURLWithPath: path).lastPathComponent
      hocr = String(
        decoding: HOCRWriter.document(
          pages: pages, image: name, system: "ocrview \(Version.number)"),
        as: UTF8.self)
      if searchablePDF == nil, !missing.isEmpty {
        let said = SearchablePDFOutput.Outcome(
          path: "hOCR", placed: placed.map(\.number), missing: missing, kept: [])
        await out.perform(report.consume(.searchablePDF(said)), &report)
      }
    }
    await reader?.forget(document)
    await writer?.flush()
    await out.perform(
      report.consume(.documentEnded(out.sinks.endDocument(whole: hocr))), &report)
  }

  /// The document and its selected pages (`--pages`), or why not.
  private func open(_ path: String) async -> Result<(OpenedDocument, [Int]), DocumentError> {
    do throws(DocumentError) {
      let document = try await OpenedDocument.open(
        path: path, password: password, workers: renderWorkers)
      let selected =
        try pages.map { spec throws(DocumentError) in
          try PageRange.parse(spec, pageCount: document.pageCount)
        } ?? Array(1...document.pageCount)
      return .success((document, selected))
    } catch {
      return .failure(error)
    }
  }

  /// The input `output` names — the same file by device and inode, however it is reached (a
  /// hard link, a symlink, `/proc/self/fd/N`) — if any.
  static func input(namedBy output: String, among inputs: [String]) -> String? {
    guard let target = FileIdentity(path: output) else { return nil }
    return inputs.first { FileIdentity(path: $0) == target }
  }
}

/// Performs `HeadlessReport`'s outputs: stderr, the transcript sinks, the run and the referee.
/// `.checkWrites` is answered at once, so a failed write is said where it happened.
private struct Performer {
  let sinks: TranscriptSinks
  var stderr: StatusLines
  let referee: PageReferee?
  /// The document's run and journal, while it runs.
  var run: RunControl?
  var journal: JournalWriter?

  func perform(_ outputs: [HeadlessReport.Output], _ report: inout HeadlessReport) async {
    for output in outputs {
      switch output {
      case .say(let line): stderr.report(line)
      case .stats(let lines): stderr.write(lines)
      case .transcript(let event): sinks.consume(event)
      case .checkWrites:
        let written = HeadlessReport.Event.written(
          sinks.failures(), journal: journal?.takeFailure(), allFailed: sinks.allFailed)
        await perform(report.consume(written), &report)
      case .progress(let done, let failed, let inFlight):
        stderr.progress(done: done, failed: failed, inFlight: inFlight)
      case .endProgress: stderr.endProgress()
      case .cancelRun: run?.cancel()
      case .stopChecking: await referee?.shutdown()
      }
    }
  }
}

import Foundation
import OCRKit
import Synchronization

/// Runs documents one after another and writes their transcripts to stdout (and a file, or one
/// file per document in an output directory) as the text arrives; reports failures, stats and
/// — for several documents on a terminal — a progress line on stderr. Returns the exit status.
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
  /// Said once, when the first document opens (which engine reads it), so a run that reads
  /// nothing — a mistyped path — ends with the one line that says why.
  var notice: String? = nil
  var password: String?
  /// Threads rendering a PDF's pages (`--render-workers`).
  var renderWorkers = OpenedDocument.defaultWorkers
  var journal: RunJournal
  /// `-o` may replace an existing file.
  var overwrite = false
  /// `--check`: the built-in engine's second opinion on each finished page.
  var referee: PageReferee? = nil

  private let stderr = StatusLines()

  func run(outputPath: String?, outputDirectory: String?) async -> Int32 {
    if let outputPath, let input = Self.input(namedBy: outputPath, among: files) {
      stderr.report(
        "\(outputPath) is the input \(input) — writing the transcript there would destroy it; "
          + "pick another -o name")
      return ExitStatus.usage
    }
    // A reader closing stdout (`| head`) is a failed write to report, not a silent death.
    signal(SIGPIPE, SIG_IGN)
    let sinks = TranscriptSinks(
      format: format, outputPath: outputPath, overwrite: overwrite,
      outputDirectory: outputDirectory)
    let interrupter = Interrupter()
    var reporter = FailureReporter()
    var writes = WriteReport()
    var inputError = false
    var pagesFailed = 0
    let progress =
      files.count > 1 && isatty(STDERR_FILENO) == 1 ? Progress(files, password) : nil
    var pagesDone = 0
    var inFlight: Int?  // an adaptive run's limit, for the progress line
    var journalWorks = true

    var noticeGiven = false
    var checks = CheckSummary()
    for path in files {
      guard !interrupter.interrupted, !sinks.allFailed else { break }
      let document: OpenedDocument
      let selected: [Int]
      do throws(DocumentError) {
        document = try await OpenedDocument.open(
          path: path, password: password, workers: renderWorkers)
        selected =
          try pages.map { spec throws(DocumentError) in
            try PageRange.parse(spec, pageCount: document.pageCount)
          } ?? Array(1...document.pageCount)
      } catch {
        stderr.report(error.description)
        inputError = true
        continue
      }
      if let notice, !noticeGiven {
        stderr.report(notice)
        noticeGiven = true
      }
      let separator =
        files.count > 1 && format == .md
        ? TranscriptFormat.fileMarker(path) + "\n\n"
        : format == .txt && path != files.first ? "\u{0C}" : ""  // documents part like pages
      do throws(OutputFileError) {
        try sinks.begin(
          document: path, pages: selected, separator: separator, grounding: grounding)
      } catch {
        // This document has nowhere to go; the others (and -o's finished transcript) go on.
        stderr.report(error.description)
        inputError = true
        continue
      }
      let (plan, writer, warning) = await journal.prepare(plan(selected), for: document)
      if let warning { stderr.report(warning) }
      if writer == nil { journalWorks = false }
      let finished = plan.restored.values.filter(\.isFinished).count
      if finished > 0 {
        stderr.report(
          "\(path): \(finished) page\(finished == 1 ? "" : "s") restored from the journal "
            + "(--fresh reads \(finished == 1 ? "it" : "them") again)")
      }
      let checked = CheckedRun(
        starting: DocumentRun(document: document, engine: engine, plan: plan, journal: writer),
        referee: { [referee] in referee }, grounded: grounding != nil, asking: .everyFinishedPage)
      let run = checked.running
      interrupter.watch(run)
      let place = files.count > 1 ? "\(path): " : ""
      func reportWriteFailures() {
        for line in writes.lines(sinks.failures(), journal: writer, document: path) {
          stderr.report(line)
        }
      }
      // jsonl carries each page's check in its line, so the line waits for it.
      var held = CheckedEvents(holding: referee != nil && format == .jsonl)
      for await item in checked.items {
        let event: RunEvent
        let passOn: [RunEvent]
        switch item {
        case .run(let runEvent):
          event = runEvent
          passOn = held.run(runEvent)
        case .checked(let page, let result):
          let check = try? result.get()
          if !interrupter.interrupted { checks.add(file: path, page: page, check) }
          if let reason = check?.reason { stderr.report("\(place)page \(page): \(reason)") }
          if case .failure(let failure) = result, !interrupter.interrupted {
            stderr.report("\(place)page \(page): not checked — \(failure)")
          }
          for event in held.checked(page: page, check) { sinks.consume(event) }
          reportWriteFailures()
          continue
        }
        if case .documentFinished = event, interrupter.interrupted {
          await referee?.shutdown()  // interrupted: the checks still to come are not waited for
        }
        for event in passOn { sinks.consume(event) }
        reportWriteFailures()
        if sinks.allFailed { run.cancel() }  // nowhere left to show the text but the journal
        switch event {
        case .pageFinished(let page, _, let stats):
          pagesDone += 1
          if let warning = stats.warning { stderr.report("\(place)page \(page): \(warning)") }
          if showStats { stderr.write(StatsText.page(page, stats)) }
        case .pageRetrying(let page, let attempt, let error, let delay):
          stderr.report(
            "\(place)page \(page): \(error) — retry \(attempt) in \(StatsText.duration(delay))")
        case .pageFailed(let page, let error, _, let stats):
          pagesDone += 1
          pagesFailed += 1
          if let line = reporter.line(page: page, error: error, file: files.count > 1 ? path : nil)
          {
            stderr.report(line)
          }
          if showStats, let stats, stats.deltaCount > 0 {
            stderr.write(StatsText.page(page, stats))
          }
        case .documentFinished(let stats):
          if showStats { stderr.write(StatsText.document(stats, pageCount: selected.count)) }
          inFlight = nil
        case .concurrencyChanged(let limit):
          inFlight = limit
        default:
          break
        }
        if let progress, event.endsPage || inFlight != nil && event.page == nil {
          stderr.progress(progress.line(done: pagesDone, inFlight: inFlight))
        }
      }
      interrupter.watch(nil)
      await referee?.forget(document)
      await writer?.flush()
      if let failure = sinks.endDocument() { writes.record(failure) }
      reportWriteFailures()
    }
    await referee?.shutdown()
    if let failure = sinks.finish() { writes.record(failure) }
    for line in writes.lines([], journal: nil, document: nil) { stderr.report(line) }
    stderr.endProgress()
    if let summary = reporter.summary() { stderr.report(summary) }
    if let line = checks.line(severalFiles: files.count > 1, jsonl: format == .jsonl) {
      stderr.report(line)
    }
    if interrupter.interrupted {
      stderr.report("interrupted; the text received so far was written")
      return ExitStatus.interrupted
    }
    if inputError { return ExitStatus.usage }
    if writes.any {
      // Nothing could be written anywhere: no transcript, no journal.
      let nothing = sinks.allFailed && (!journalWorks || writes.journalFailed)
      return nothing ? ExitStatus.usage : ExitStatus.pagesFailed
    }
    return pagesFailed > 0 ? ExitStatus.pagesFailed : ExitStatus.ok
  }

  /// The input `output` names — the same file by device and inode, however it is reached (a
  /// hard link, a symlink, `/proc/self/fd/N`) — if any.
  static func input(namedBy output: String, among inputs: [String]) -> String? {
    guard let target = FileIdentity(path: output) else { return nil }
    return inputs.first { FileIdentity(path: $0) == target }
  }
}

/// Says each failed write once, naming the file and what to do about the text that did not
/// reach it.
struct WriteReport {
  private(set) var any = false
  private(set) var journalFailed = false
  private var pending: [WriteError] = []

  /// Notes a failure found outside a document's events (replacing a file at the end).
  mutating func record(_ failure: WriteError) { pending.append(failure) }

  /// The lines for these transcript failures and the journal's, plus any recorded ones.
  mutating func lines(_ failures: [WriteError], journal: JournalWriter?, document: String?)
    -> [String]
  {
    var lines = (pending + failures).map { failure in
      guard failure.code != EPIPE else { return "\(failure) — stopped printing" }
      return "\(failure) — the text it misses is in the journal"
        + (document.map { " (ocrview journal show \($0))" } ?? "")
    }
    if let failure = journal?.takeFailure() {
      journalFailed = true
      lines.append(
        "\(failure) — the journal stops here (pages will not be restored after a crash); "
          + "the transcript still gets the text")
    }
    pending = []
    any = any || !lines.isEmpty
    return lines
  }
}

/// The progress line of a folder run. Its page total is counted in the background (opening
/// every document), so the first request never waits for it.
private final class Progress: Sendable {
  private let total = Mutex<Int?>(nil)
  private let started = ContinuousClock.now

  init(_ files: [String], _ password: String?) {
    Task.detached { [self] in
      var count = 0
      for file in files {
        count += (try? await OpenedDocument.open(path: file, password: password).pageCount) ?? 0
      }
      total.withLock { $0 = count }
    }
  }

  func line(done: Int, inFlight: Int?) -> String {
    ProgressLine.text(
      done: done, total: total.withLock { $0 }, elapsed: .now - started, inFlight: inFlight)
  }
}

/// stderr for people: reports and stats lines, with a progress line kept at the bottom.
private final class StatusLines {
  private let output = OutputFile.standardError
  private var progressShown = ""

  func report(_ line: String) { write("ocrview: \(ServerText.name(line))") }

  func write(_ line: String) {
    output.write(clearProgress() + line + "\n" + progressShown)
  }

  func progress(_ line: String) {
    progressShown = line
    output.write("\r\u{1B}[2K" + line)
  }

  func endProgress() {
    guard !progressShown.isEmpty else { return }
    output.write("\n")
    progressShown = ""
  }

  private func clearProgress() -> String { progressShown.isEmpty ? "" : "\r\u{1B}[2K" }
}

/// Says each distinct failure once: when the server is down, fifty pages fail alike and the
/// user needs one line, not fifty.
struct FailureReporter {
  private var lastMessage: String?
  private var repeats = 0

  /// The line to print for this failure, or nil when it repeats the previous one.
  mutating func line(page: Int, error: OCRError, file: String?) -> String? {
    let message = error.description
    if message == lastMessage {
      repeats += 1
      return nil
    }
    lastMessage = message
    let place = file.map { "\($0): page \(page)" } ?? "page \(page)"
    return "\(place): \(message)"
  }

  /// A closing line counting the repeats that were not printed.
  func summary() -> String? {
    repeats > 0 ? "\(repeats) more page\(repeats == 1 ? "" : "s") failed the same way" : nil
  }
}

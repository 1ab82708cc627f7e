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
  var password: String?
  var journal: RunJournal
  /// `-o` may replace an existing file.
  var overwrite = false

  private let stderr = StatusLines()

  func run(outputPath: String?, outputDirectory: String?) async -> Int32 {
    var shared = [OutputFile.standardOutput]
    if let outputPath {
      do throws(OutputFileError) {
        shared.append(try OutputFile(creating: outputPath, overwrite: overwrite))
      } catch {
        stderr.report(error.description)
        return ExitStatus.usage
      }
    }
    let interrupter = Interrupter()
    var reporter = FailureReporter()
    var inputError = false
    var pagesFailed = 0
    let progress =
      files.count > 1 && isatty(STDERR_FILENO) == 1 ? Progress(files, password) : nil
    var pagesDone = 0

    for path in files {
      guard !interrupter.interrupted else { break }
      let document: OpenedDocument
      let selected: [Int]
      do throws(DocumentError) {
        document = try await OpenedDocument.open(path: path, password: password)
        selected =
          try pages.map { spec throws(DocumentError) in
            try PageRange.parse(spec, pageCount: document.pageCount)
          } ?? Array(1...document.pageCount)
      } catch {
        stderr.report(error.description)
        inputError = true
        continue
      }
      var sinks = shared
      if let outputDirectory {
        do throws(OutputFileError) {
          sinks.append(try OutputFile(newFor: path, in: outputDirectory, format: format))
        } catch {
          stderr.report(error.description)
          return ExitStatus.usage
        }
      }
      if files.count > 1, format == .md {
        shared.write(TranscriptFormat.fileMarker(path) + "\n\n")
      } else if format == .txt, path != files.first {
        shared.write("\u{0C}")  // documents are separated like pages
      }
      let (plan, writer, warning) = await journal.prepare(plan(selected), for: document)
      if let warning { stderr.report(warning) }
      let finished = plan.restored.values.filter(\.isFinished).count
      if finished > 0 {
        stderr.report(
          "\(path): \(finished) page\(finished == 1 ? "" : "s") restored from the journal "
            + "(--fresh reads \(finished == 1 ? "it" : "them") again)")
      }
      let run = DocumentRun(document: document, engine: engine, plan: plan, journal: writer)
        .start()
      interrupter.watch(run)
      var transcript = TranscriptStreamer(
        format: format, pages: selected, filePath: path, grounding: grounding)
      let place = files.count > 1 ? "\(path): " : ""
      for await event in run.events {
        let text = transcript.consume(event)
        sinks.write(text)
        switch event {
        case .pageFinished(let page, _, let stats):
          sinks.sync()
          pagesDone += 1
          if let warning = stats.warning { stderr.report("\(place)page \(page): \(warning)") }
          if showStats { stderr.write(StatsText.page(page, stats)) }
        case .pageRetrying(let page, let attempt, let error, let delay):
          stderr.report(
            "\(place)page \(page): \(error) — retry \(attempt) in \(StatsText.duration(delay))")
        case .pageFailed(let page, let error, _, let stats):
          sinks.sync()
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
        default:
          break
        }
        if let progress, event.endsPage { stderr.progress(progress.line(done: pagesDone)) }
      }
      interrupter.watch(nil)
    }
    stderr.endProgress()
    if let summary = reporter.summary() { stderr.report(summary) }
    if interrupter.interrupted {
      stderr.report("interrupted; the text received so far was written")
      return ExitStatus.interrupted
    }
    if inputError { return ExitStatus.usage }
    return pagesFailed > 0 ? ExitStatus.pagesFailed : ExitStatus.ok
  }
}

extension RunEvent {
  var endsPage: Bool {
    switch self {
    case .pageFinished, .pageFailed: true
    default: false
    }
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

  func line(done: Int) -> String {
    ProgressLine.text(done: done, total: total.withLock { $0 }, elapsed: .now - started)
  }
}

/// stderr for people: reports and stats lines, with a progress line kept at the bottom.
private final class StatusLines {
  private let output = OutputFile.standardError
  private var progressShown = ""

  func report(_ line: String) { write("ocrview: \(line)") }

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

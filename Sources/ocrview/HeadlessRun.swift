import OCRKit

/// Runs documents one after another and writes their transcripts to stdout (and a file) as
/// the text arrives; reports failures and stats on stderr. Returns the exit status.
struct HeadlessRun {
  var files: [String]
  var engine: any OCREngine
  var mode: OCRMode
  var pages: String?
  /// The run plan for a document's selected pages.
  var plan: ([Int]) -> RunPlan
  var format: TranscriptFormat
  var showStats: Bool
  var password: String?

  private let stderr = OutputFile.standardError

  func run(outputPath: String?) async -> Int32 {
    var sinks = [OutputFile.standardOutput]
    if let outputPath {
      do throws(OutputFileError) { sinks.append(try OutputFile(creating: outputPath)) } catch {
        report(error.description)
        return ExitStatus.usage
      }
    }
    let interrupter = Interrupter()
    var reporter = FailureReporter()
    var inputError = false
    var pagesFailed = 0

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
        report(error.description)
        inputError = true
        continue
      }
      if files.count > 1, format == .md {
        sinks.forEach { $0.write(TranscriptFormat.fileMarker(path) + "\n\n") }
      }
      let run = DocumentRun(
        document: document, engine: engine,
        plan: plan(selected)
      ).start()
      interrupter.watch(run)
      var transcript = TranscriptStreamer(format: format, pages: selected, filePath: path)
      for await event in run.events {
        let text = transcript.consume(event)
        sinks.forEach { $0.write(text) }
        switch event {
        case .pageFinished(let page, _, let stats):
          sinks.last?.sync()
          if let warning = stats.warning { report("page \(page): \(warning)") }
          if showStats { stderr.write(StatsText.page(page, stats) + "\n") }
        case .pageRetrying(let page, let attempt, let error, let delay):
          report("page \(page): \(error) — retry \(attempt) in \(StatsText.duration(delay))")
        case .pageFailed(let page, let error, _, let stats):
          sinks.last?.sync()
          pagesFailed += 1
          if let line = reporter.line(page: page, error: error, file: files.count > 1 ? path : nil)
          {
            report(line)
          }
          if showStats, let stats, stats.deltaCount > 0 {
            stderr.write(StatsText.page(page, stats) + "\n")
          }
        case .documentFinished(let stats):
          if showStats { stderr.write(StatsText.document(stats, pageCount: selected.count) + "\n") }
        default:
          break
        }
      }
      interrupter.watch(nil)
    }
    if let summary = reporter.summary() { report(summary) }
    if interrupter.interrupted {
      report("interrupted; the text received so far was written")
      return ExitStatus.interrupted
    }
    if inputError { return ExitStatus.usage }
    return pagesFailed > 0 ? ExitStatus.pagesFailed : ExitStatus.ok
  }

  private func report(_ line: String) { stderr.write("ocrview: \(line)\n") }
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

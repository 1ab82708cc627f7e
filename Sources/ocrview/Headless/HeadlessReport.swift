import Foundation
import OCRKit

/// What a headless run says and writes, as a value — `ocrview ocr`'s `update`. It is told what
/// happens (a document opened or skipped, the checked run's items, what failed to write) and
/// answers with what to do: lines for stderr, events for the transcript, the progress line. It
/// owns the counts, the failure reporting, the check summary and the exit status.
///
/// Pure: `HeadlessRun` performs the outputs and tells it what came of them; tests feed it
/// values and read the whole output back (`HeadlessReportTests`).
struct HeadlessReport {
  enum Event: Equatable {
    /// `-o` names one of the inputs: nothing is read.
    case outputIsInput(output: String, input: String)
    /// A document could not be opened, or has nowhere to go: why. The others go on.
    case skipped(String)
    /// A document opened; `pages` of it are to be read.
    case opened(path: String, pages: Int)
    /// Its journal: a warning (it could not be opened), whether it works, how many finished
    /// pages it restored.
    case journal(warning: String?, works: Bool, restored: Int)
    case item(CheckedRun.Item)
    /// Ctrl-C, SIGTERM or SIGHUP (the signal's number): the run is being cancelled.
    case interrupted(by: Int32)
    /// What failed to write since `.checkWrites` last asked: transcript files, the journal;
    /// and whether every transcript output has failed.
    case written([WriteError], journal: WriteError?, allFailed: Bool)
    /// The document's run is over; its `--out-dir` file could not be replaced (or nil).
    case documentEnded(WriteError?)
    /// The last document is done; `-o` could not be replaced (or nil).
    case finished(WriteError?, allFailed: Bool)
    /// `--pdf` was written, or why not; which pages have no text layer.
    case searchablePDF(SearchablePDFOutput.Outcome)
  }

  enum Output: Equatable {
    /// A line for people on stderr ("ocrview: …").
    case say(String)
    /// `--stats` lines, as they are.
    case stats(String)
    /// An event for the transcript (stdout, `-o`, `--out-dir`).
    case transcript(RunEvent)
    /// Find out what failed to write, and answer with `.written`.
    case checkWrites
    /// Pages done (failed ones too) and failed; an adaptive run's limit.
    case progress(done: Int, failed: Int, inFlight: Int?)
    case endProgress
    /// Nowhere is left to show the text but the journal: stop the run.
    case cancelRun
    /// Interrupted: the checks still to come are not waited for.
    case stopChecking
  }

  private let files: [String]
  private let format: TranscriptFormat
  private let showStats: Bool
  private let showsProgress: Bool
  /// Said once, when the first document opens (which engine reads it), so a run that reads
  /// nothing — a mistyped path — ends with the one line that says why.
  private var notice: String?

  private var document: (path: String, pages: Int)?
  private var reporter = FailureReporter()
  /// The trouble each page's last retry line named: an outage that goes on (thirty retries of
  /// a server that is down) is said once a page, and again only when it changes.
  private var retrySaid: [Int: String] = [:]
  private var writes = WriteReport()
  /// jsonl carries each page's check in its line, so the line waits for it.
  private var held: CheckedEvents
  private var checks = CheckSummary()
  private let checking: Bool
  /// Pages read and waiting for their check, whose verdict needs it.
  private var awaitingCheck: [Int: PageStats] = [:]
  private var verdicts = VerdictSummary()
  private var pagesDone = 0
  private var pagesFailed = 0
  /// An adaptive run's limit, for the progress line.
  private var inFlight: Int?
  private var serverLoad: ServerLoad?
  private var refused = false
  private var inputError = false
  private var journalWorks = true
  /// The signal that interrupted the run.
  private var interruption: Int32?
  private var interrupted: Bool { interruption != nil }
  private var allFailed = false
  /// `--pdf` could not be made (its input unreadable to libqpdf, say).
  private var pdfFailed = false

  /// `checking`: pages come with checks (`--check` is on); `showsProgress`: several documents
  /// or an output file, and stderr is a terminal.
  init(
    files: [String], format: TranscriptFormat, showStats: Bool = false, checking: Bool = false,
    notice: String? = nil, showsProgress: Bool = false
  ) {
    self.files = files
    self.format = format
    self.showStats = showStats
    self.showsProgress = showsProgress
    self.notice = notice
    self.checking = checking
    held = CheckedEvents(holding: checking && format == .jsonl)
  }

  /// What separates `path`'s transcript from the previous document's.
  func separator(for path: String) -> String {
    if files.count > 1 && format == .md { return TranscriptFormat.fileMarker(path) + "\n\n" }
    return format == .txt && path != files.first ? "\u{0C}" : ""  // documents part like pages
  }

  mutating func consume(_ event: Event) -> [Output] {
    switch event {
    case .outputIsInput(let output, let input):
      refused = true
      return [
        .say(
          "\(output) is the input \(input) — writing the transcript there would destroy it; "
            + "pick another -o name")
      ]
    case .skipped(let reason):
      inputError = true
      return [.say(reason)]
    case .opened(let path, let pages):
      judgeUnchecked()
      document = (path, pages)
      retrySaid = [:]
      defer { notice = nil }
      return notice.map { [.say($0)] } ?? []
    case .journal(let warning, let works, let restored):
      if !works { journalWorks = false }
      return (warning.map { [.say($0)] } ?? []) + restoredLine(restored)
    case .item(.run(let event)):
      return run(event)
    case .item(.checked(let page, let result)):
      return checked(page, result)
    case .interrupted(let signal):
      if interruption == nil { interruption = signal }
      return []
    case .written(let failures, let journal, let allFailed):
      self.allFailed = allFailed
      return writes.lines(failures, journal: journal, document: document?.path).map { .say($0) }
        + (allFailed ? [.cancelRun] : [])
    case .documentEnded(let failure):
      if let failure { writes.record(failure) }
      return [.checkWrites]
    case .finished(let failure, let allFailed):
      self.allFailed = allFailed
      if let failure { writes.record(failure) }
      return finish()
    case .searchablePDF(let outcome):
      return searchablePDF(outcome)
    }
  }

  /// What a user must know of `--pdf`: that it was not written (a write that failed is said
  /// with the others, the text being in the journal), or which pages it has no text for.
  private mutating func searchablePDF(_ outcome: SearchablePDFOutput.Outcome) -> [Output] {
    var out: [Output] = []
    switch outcome.failure {
    case .write(let failure)?:
      writes.record(failure)
      return [.checkWrites]
    case let failure?:
      pdfFailed = true
      return [.say("could not write the searchable PDF \(outcome.path): \(failure)")]
    case nil:
      break
    }
    if !outcome.shown.isEmpty {
      let one = outcome.shown.count == 1
      out.append(
        .say(
          "\(outcome.path): \(one ? "page" : "pages") \(PageRange.text(outcome.shown)) "
            + "\(one ? "has" : "have") visible text of \(one ? "its" : "their") own — left as "
            + "it is\(outcome.redoText ? " even with --redo-text" : "")"))
    }
    if !outcome.kept.isEmpty {
      let one = outcome.kept.count == 1
      out.append(
        .say(
          "\(outcome.path): \(one ? "page" : "pages") \(PageRange.text(outcome.kept)) "
            + "already \(one ? "has" : "have") a text layer — left as it is "
            + "(--redo-text replaces it)"))
    }
    let reasons = Dictionary(grouping: outcome.missing, by: \.reason)
    for (reason, pages) in reasons.sorted(by: { $0.value[0].page < $1.value[0].page }) {
      let numbers = pages.map(\.page)
      out.append(
        .say(
          "\(outcome.path): \(numbers.count == 1 ? "page" : "pages") "
            + "\(PageRange.text(numbers)) without a text layer — \(reason)"))
    }
    if showStats {
      out.append(
        .stats(
          "searchable PDF \(outcome.path): \(outcome.placed.count) "
            + "page\(outcome.placed.count == 1 ? "" : "s") with a text layer"))
    }
    return out
  }

  /// The exit status, once the run has finished.
  var status: Int32 {
    if refused { return ExitStatus.usage }
    if let interruption { return ExitStatus.signalled(interruption) }
    if inputError { return ExitStatus.usage }
    // A journal that could not be opened (its path a directory, a symlink; a read-only
    // state folder) is a failed write like the others.
    if writes.any || !journalWorks {
      // Nothing could be written anywhere: no transcript, no journal.
      let nothing = allFailed && (!journalWorks || writes.journalFailed)
      return nothing ? ExitStatus.usage : ExitStatus.pagesFailed
    }
    return pagesFailed > 0 || pdfFailed ? ExitStatus.pagesFailed : ExitStatus.ok
  }

  /// "a.pdf: page 3: " with several documents, nothing with one.
  private var place: String { files.count > 1 ? "\(document?.path ?? ""): " : "" }

  private func restoredLine(_ restored: Int) -> [Output] {
    guard restored > 0, let path = document?.path else { return [] }
    let one = restored == 1
    return [
      .say(
        "\(path): \(restored) page\(one ? "" : "s") restored from the journal "
          + "(--fresh reads \(one ? "it" : "them") again)")
    ]
  }

  private mutating func run(_ event: RunEvent) -> [Output] {
    var out: [Output] = []
    if case .documentFinished = event, interrupted { out.append(.stopChecking) }
    out += held.run(event).map { .transcript($0) } + [.checkWrites]
    switch event {
    case .pageFinished(let page, _, let stats):
      pagesDone += 1
      if let warning = stats.warning { out.append(.say("\(place)page \(page): \(warning)")) }
      if showStats { out.append(.stats(StatsText.page(page, stats))) }
      // Judged once its check is in, when checking (restored pages are checked too); a check
      // that never comes is made up for at the document's end (`judgeUnchecked`).
      if checking, stats.check == nil {
        awaitingCheck[page] = stats
      } else {
        verdicts.add(PageVerdict.of(stats), page: page, file: document?.path ?? "")
      }
    case .pageRetrying(let page, let attempt, let error, let delay):
      guard retrySaid[page] != error.whileRetrying else { break }
      retrySaid[page] = error.whileRetrying
      out.append(
        .say(
          "\(place)page \(page): \(error.whileRetrying) — retry \(attempt) in "
            + StatsText.duration(delay)))
    case .pageRescuing(let page, let attempt, _, let next):
      out.append(.say("\(place)page \(page): " + RescueText.rescuing(attempt, next: next)))
    case .pageFailed(let page, let error, _, let stats):
      pagesDone += 1
      pagesFailed += 1
      verdicts.addFailed()
      let file = files.count > 1 ? document?.path : nil
      if let line = reporter.line(page: page, error: error, file: file) { out.append(.say(line)) }
      if showStats, let stats, stats.deltaCount > 0 {
        out.append(.stats(StatsText.page(page, stats)))
      }
    case .documentFinished(let stats):
      if showStats {
        out.append(.stats(StatsText.document(stats, pageCount: document?.pages ?? 0)))
      }
      inFlight = nil
    case .concurrencyChanged(let limit):
      inFlight = limit
    case .serverLoad(let load):
      // Said with the stats: what the server reported while pages waited to be sent — its
      // first figures, and whenever its queue starts or stops (not each poll's change).
      let queues = { (load: ServerLoad?) in (load?.waiting ?? 0) > 0 }
      if showStats, serverLoad == nil || queues(serverLoad) != queues(load) {
        let each = load.perServer.map { " (each: \($0))" } ?? ""
        out.append(.stats("server (\(load.source.rawValue)): \(load.summary())\(each)"))
      }
      serverLoad = load
      return out
    default:
      break
    }
    if showsProgress, event.endsPage || inFlight != nil && event.page == nil {
      out.append(.progress(done: pagesDone, failed: pagesFailed, inFlight: inFlight))
    }
    return out
  }

  private mutating func checked(_ page: Int, _ result: Result<PageCheck, PageReferee.Failure>)
    -> [Output]
  {
    let check = try? result.get()
    var out: [Output] = []
    if !interrupted { checks.add(file: document?.path ?? "", page: page, check) }
    if let stats = awaitingCheck.removeValue(forKey: page) {
      verdicts.add(PageVerdict.of(stats, check: check), page: page, file: document?.path ?? "")
    }
    if let reason = check?.reason { out.append(.say("\(place)page \(page): \(reason)")) }
    if case .failure(let failure) = result, !interrupted {
      out.append(.say("\(place)page \(page): not checked — \(failure)"))
    }
    return out + held.checked(page: page, check).map { .transcript($0) } + [.checkWrites]
  }

  /// Pages whose check never came (the run was interrupted, the referee stopped) are judged
  /// without it.
  private mutating func judgeUnchecked() {
    for (page, stats) in awaitingCheck.sorted(by: { $0.key < $1.key }) {
      verdicts.add(PageVerdict.of(stats), page: page, file: document?.path ?? "")
    }
    awaitingCheck = [:]
  }

  private mutating func finish() -> [Output] {
    judgeUnchecked()
    var out = writes.lines([], journal: nil, document: nil).map { Output.say($0) }
    if showsProgress { out.append(.endProgress) }
    if let summary = reporter.summary() { out.append(.say(summary)) }
    if let line = checks.line(severalFiles: files.count > 1, jsonl: format == .jsonl) {
      out.append(.say(line))
    }
    // Said when some page needs a look: a run whose every page is ok stays quiet.
    if verdicts.needsReview, let line = verdicts.line(severalFiles: files.count > 1) {
      out.append(.say(line))
    }
    if interrupted { out.append(.say("interrupted; the text received so far was written")) }
    return out
  }
}

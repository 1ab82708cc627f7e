import Foundation
import OCRKit
import Testing

@testable import ocrview

/// `ocrview ocr`'s reducer as values: what happens in, the whole output back — no processes,
/// files or servers.
@Suite struct HeadlessReportTests {
  typealias Event = HeadlessReport.Event
  typealias Output = HeadlessReport.Output

  static let stats = PageStats.unmeasured(.stream)
  static let down = OCRError.engine("the server is down")
  static let flagged = PageCheck(
    agreement: 0.4, precision: 1, tesseractWords: 100, modelWords: 40, ink: 0.05, flag: .missing)
  static let nothingFailed = Event.written([], journal: nil, allFailed: false)

  /// Feeds `events` as `HeadlessRun` does: each `.checkWrites` is answered at once — by
  /// `writes` in turn, then by nothing having failed — and left out of the outputs returned.
  static func feed(_ report: inout HeadlessReport, _ events: [Event], writes: [Event] = [])
    -> [Output]
  {
    var answers = writes[...]
    var outputs: [Output] = []
    for event in events {
      var queue = report.consume(event)[...]
      while let output = queue.popFirst() {
        guard output == .checkWrites else {
          outputs.append(output)
          continue
        }
        queue = ArraySlice(report.consume(answers.popFirst() ?? nothingFailed) + queue)
      }
    }
    return outputs
  }

  static func document(_ path: String, pages: Int, _ run: [RunEvent]) -> [Event] {
    [.opened(path: path, pages: pages), .journal(warning: nil, works: true, restored: 0)]
      + run.map { .item(.run($0)) } + [.documentEnded(nil)]
  }

  @Test func aDocumentReadWellGoesToTheTranscriptAndNothingIsSaid() {
    var report = HeadlessReport(files: ["a.pdf"], format: .md)
    let run: [RunEvent] = [
      .pageStarted(page: 1, mode: .stream), .delta(page: 1, text: "Hello"),
      .pageFinished(page: 1, text: "Hello", stats: Self.stats), .documentFinished(DocumentStats()),
    ]
    #expect(report.separator(for: "a.pdf") == "")
    let outputs = Self.feed(
      &report, Self.document("a.pdf", pages: 1, run) + [.finished(nil, allFailed: false)])
    #expect(outputs == run.map { .transcript($0) })
    #expect(report.status == ExitStatus.ok)
  }

  /// A server down for thirty retries once printed thirty near-identical lines per page: each
  /// page says its trouble once, and again only when the trouble changes.
  @Test func anOutageIsSaidOncePerPageAndAgainWhenItChanges() {
    var report = HeadlessReport(files: ["a.pdf"], format: .md)
    let loading = OCRError.server(.loading(url: "http://gpu:8080"))
    let refused = OCRError.server(.unreachable(url: "http://gpu:8080", detail: "refused"))
    let retries: [RunEvent] =
      (1...30).map { .pageRetrying(page: 1, attempt: $0, error: loading, after: .seconds(2)) }
      + [.pageRetrying(page: 2, attempt: 1, error: loading, after: .seconds(2))]
      + (31...32).map { .pageRetrying(page: 1, attempt: $0, error: refused, after: .seconds(2)) }
    let said = Self.feed(&report, Self.document("a.pdf", pages: 2, retries)).compactMap {
      if case .say(let line) = $0 { line } else { nil }
    }
    // A retry says what happened, not the advice for a page that failed for good.
    let stillLoading = "the server at http://gpu:8080 is still loading its model (HTTP 503)"
    #expect(
      said == [
        "page 1: \(stillLoading) — retry 1 in 2.00 s",
        "page 2: \(stillLoading) — retry 1 in 2.00 s",
        "page 1: no OCR server at http://gpu:8080 (refused) — retry 31 in 2.00 s",
      ])
  }

  @Test func withSeveralFilesLinesNameTheFileAndAFailureIsSaidOnce() {
    var report = HeadlessReport(files: ["a.pdf", "b.pdf"], format: .md)
    #expect(report.separator(for: "b.pdf") == "<!-- file: b.pdf -->\n\n")
    let failed = { (page: Int) in
      RunEvent.pageFailed(page: page, error: Self.down, partial: "", stats: nil)
    }
    let end = RunEvent.documentFinished(DocumentStats())
    let retry = RunEvent.pageRetrying(page: 2, attempt: 1, error: Self.down, after: .seconds(2))
    let outputs = Self.feed(
      &report,
      Self.document("a.pdf", pages: 2, [failed(1), retry, failed(2), end])
        + Self.document("b.pdf", pages: 1, [failed(1), end]) + [.finished(nil, allFailed: false)])
    #expect(
      outputs == [
        .transcript(failed(1)), .say("a.pdf: page 1: the server is down"), .transcript(retry),
        .say("a.pdf: page 2: the server is down — retry 1 in 2.00 s"), .transcript(failed(2)),
        .transcript(end), .transcript(failed(1)), .transcript(end),
        .say("2 more pages failed the same way"),
      ])
    #expect(report.status == ExitStatus.pagesFailed)
  }

  @Test func jsonlHoldsEachPageForItsCheckAndTheRunEndsWithTheFlaggedPages() {
    var report = HeadlessReport(files: ["a.pdf"], format: .jsonl, checking: true)
    let end = RunEvent.documentFinished(DocumentStats())
    var checkedStats = Self.stats
    checkedStats.check = Self.flagged
    let outputs = Self.feed(
      &report,
      [.opened(path: "a.pdf", pages: 1), .journal(warning: nil, works: true, restored: 0)]
        + [
          .item(.run(.pageFinished(page: 1, text: "Hello", stats: Self.stats))), .item(.run(end)),
          .item(.checked(page: 1, .success(Self.flagged))), .documentEnded(nil),
          .finished(nil, allFailed: false),
        ])
    #expect(
      outputs == [
        .say("page 1: \(Self.flagged.reason!)"),
        .transcript(.pageFinished(page: 1, text: "Hello", stats: checkedStats)), .transcript(end),
        .say("1 page flagged: 1 — their check in the jsonl says why"),
        .say("1 page: 0 ok, 1 flagged (text missing on 1)"),
      ])
    #expect(report.status == ExitStatus.ok)
  }

  /// The run ends with its pages counted by verdict when some page needs a look; the exit
  /// status stays as documented (a cut-off page is read, not failed).
  @Test func theRunEndsWithTheVerdictsWhenSomePageNeedsALook() {
    var report = HeadlessReport(files: ["a.pdf"], format: .md)
    var cut = Self.stats
    cut.finishReason = "length"
    let run: [RunEvent] = [
      .pageFinished(page: 1, text: "Hello", stats: Self.stats),
      .pageFinished(page: 2, text: "Hel", stats: cut),
      .pageFailed(page: 3, error: Self.down, partial: "", stats: nil),
      .documentFinished(DocumentStats()),
    ]
    let outputs = Self.feed(
      &report, Self.document("a.pdf", pages: 3, run) + [.finished(nil, allFailed: false)])
    #expect(outputs.last == .say("3 pages: 1 ok, 1 flagged (cut off on 2), 1 failed"))
    #expect(report.status == ExitStatus.pagesFailed)
  }

  /// `--pdf`: quiet when every page has its layer; which pages have none and why, grouped;
  /// pages left with their own text; a file that could not be made fails the run, and one
  /// that could not be written is said with the other failed writes.
  @Test func theSearchablePDFSaysOnlyWhatIsMissing() {
    typealias Outcome = SearchablePDFOutput.Outcome
    let whole = Outcome(path: "out.pdf", placed: [1, 2, 3], missing: [], kept: [])
    var report = HeadlessReport(files: ["a.pdf"], format: .md)
    #expect(Self.feed(&report, [.searchablePDF(whole)]).isEmpty)
    #expect(report.status == ExitStatus.ok)
    let partial = Outcome(
      path: "out.pdf", placed: [1],
      missing: [
        .init(page: 2, reason: "not read"), .init(page: 3, reason: "tesseract failed"),
        .init(page: 4, reason: "not read"),
      ], kept: [5, 6])
    #expect(
      Self.feed(&report, [.searchablePDF(partial)]) == [
        .say(
          "out.pdf: pages 5–6 already have a text layer — left as it is (--redo-text replaces it)"),
        .say("out.pdf: pages 2, 4 without a text layer — not read"),
        .say("out.pdf: page 3 without a text layer — tesseract failed"),
      ])
    #expect(report.status == ExitStatus.ok)
    var failed = whole
    failed.failure = .pdf("damaged xref")
    #expect(
      Self.feed(&report, [.searchablePDF(failed)]) == [
        .say(
          "could not write the searchable PDF out.pdf: the PDF could not be written (damaged xref)")
      ])
    #expect(report.status == ExitStatus.pagesFailed)
    var full = HeadlessReport(files: ["a.pdf"], format: .md)
    var unwritten = whole
    unwritten.failure = .write(WriteError(path: "out.pdf", code: ENOSPC))
    let said = Self.feed(
      &full,
      Self.document("a.pdf", pages: 1, []) + [
        .searchablePDF(unwritten), .finished(nil, allFailed: false),
      ])
    #expect(
      said.contains {
        $0
          == .say(
            WriteError(path: "out.pdf", code: ENOSPC).description
              + " — the text it misses is in the journal (ocrview journal show a.pdf)")
      }, "\(said)")
    #expect(full.status == ExitStatus.pagesFailed)
  }

  /// Pages that show text of their own are kept and said, and with `--redo-text` the report
  /// says that it did not change that; another OCR's layer kept only without it.
  @Test func pagesWithVisibleTextAreSaidKeptEvenWithRedoText() {
    typealias Outcome = SearchablePDFOutput.Outcome
    var report = HeadlessReport(files: ["a.pdf"], format: .md)
    let plain = Outcome(
      path: "out.pdf", placed: [1], missing: [], kept: [2], failure: nil, shown: [3])
    #expect(
      Self.feed(&report, [.searchablePDF(plain)]) == [
        .say("out.pdf: page 3 has visible text of its own — left as it is"),
        .say(
          "out.pdf: page 2 already has a text layer — left as it is (--redo-text replaces it)"),
      ])
    let redone = Outcome(
      path: "out.pdf", placed: [1, 2], missing: [], kept: [], failure: nil, shown: [3, 4],
      redoText: true)
    #expect(
      Self.feed(&report, [.searchablePDF(redone)]) == [
        .say(
          "out.pdf: pages 3–4 have visible text of their own — left as it is even with --redo-text")
      ])
    #expect(report.status == ExitStatus.ok)
  }

  @Test func anInterruptedRunStopsItsChecksCountsNoneAfterAndExits130() {
    var report = HeadlessReport(files: ["a.pdf"], format: .md, checking: true)
    let finished = { (page: Int) in RunEvent.pageFinished(page: page, text: "", stats: Self.stats) }
    let end = RunEvent.documentFinished(DocumentStats())
    let outputs = Self.feed(
      &report,
      [.opened(path: "a.pdf", pages: 2), .journal(warning: nil, works: true, restored: 0)]
        + [
          .item(.run(finished(1))),
          .item(.checked(page: 1, .failure(.init(description: "no ink")))),
          .interrupted(by: SIGINT), .item(.run(finished(2))), .item(.run(end)),
          .item(.checked(page: 2, .failure(.stopped))), .documentEnded(nil),
          .finished(nil, allFailed: false),
        ])
    #expect(
      outputs == [
        .transcript(finished(1)), .say("page 1: not checked — no ink"), .transcript(finished(2)),
        .stopChecking, .transcript(end),
        .say("0 pages checked, none flagged; 1 page could not be checked"),
        .say("interrupted; the text received so far was written"),
      ])
    #expect(report.status == ExitStatus.interrupted)
  }

  /// 128 + the signal's number, as a shell says it; the first signal decides.
  @Test func anInterruptedRunExitsWithItsSignalsStatus() {
    for (signal, status) in [(SIGINT, 130), (SIGHUP, 129), (SIGTERM, 143)] {
      var report = HeadlessReport(files: ["a.pdf"], format: .md)
      _ = Self.feed(
        &report,
        [
          .opened(path: "a.pdf", pages: 1), .interrupted(by: signal), .interrupted(by: SIGINT),
          .documentEnded(nil), .finished(nil, allFailed: false),
        ])
      #expect(report.status == Int32(status), "signal \(signal)")
    }
  }

  @Test func aFailedWriteIsSaidOnceWhereItHappenedAndTheRunExits1() {
    var report = HeadlessReport(files: ["a.pdf"], format: .md)
    let page = RunEvent.pageFinished(page: 1, text: "Hello", stats: Self.stats)
    let end = RunEvent.documentFinished(DocumentStats())
    let full = Event.written(
      [WriteError(path: "out.md", code: ENOSPC)], journal: nil, allFailed: false)
    let outputs = Self.feed(
      &report,
      Self.document("a.pdf", pages: 1, [page, end])
        + [.finished(WriteError(path: "out.md", code: EIO), allFailed: false)],
      writes: [full])
    #expect(
      outputs == [
        .transcript(page),
        .say(
          "cannot write out.md (disk full) — the text it misses is in the journal "
            + "(ocrview journal show a.pdf)"),
        .transcript(end),
        .say("cannot write out.md (I/O error) — the text it misses is in the journal"),
      ])
    #expect(report.status == ExitStatus.pagesFailed)
  }

  @Test func withNowhereLeftToWriteTheRunIsStoppedAndExits2() {
    var report = HeadlessReport(files: ["a.pdf"], format: .md)
    let page = RunEvent.pageFinished(page: 1, text: "Hello", stats: Self.stats)
    let nowhere = Event.written(
      [WriteError(path: "stdout", code: EPIPE)], journal: WriteError(path: "j", code: ENOSPC),
      allFailed: true)
    let outputs = Self.feed(
      &report, Self.document("a.pdf", pages: 1, [page]) + [.finished(nil, allFailed: true)],
      writes: [nowhere])
    #expect(
      outputs == [
        .transcript(page), .say("cannot write stdout (the reader closed it) — stopped printing"),
        .say(
          "cannot write j (disk full) — the journal stops here (pages will not be restored "
            + "after a crash); the transcript still gets the text"),
        .cancelRun,
      ])
    #expect(report.status == ExitStatus.usage)
  }

  @Test func anOutputThatIsAnInputIsRefused() {
    var report = HeadlessReport(files: ["a.pdf"], format: .md)
    #expect(
      report.consume(.outputIsInput(output: "out.md", input: "a.pdf")) == [
        .say(
          "out.md is the input a.pdf — writing the transcript there would destroy it; "
            + "pick another -o name")
      ])
    #expect(report.status == ExitStatus.usage)
  }

  @Test func theNoticeComesWithTheFirstDocumentOpenedAndTheJournalSaysWhatItRestored() {
    var report = HeadlessReport(
      files: ["a.pdf", "b.pdf", "c.pdf"], format: .txt, notice: "no OCR server — built-in")
    #expect(report.separator(for: "a.pdf") == "")
    #expect(report.separator(for: "b.pdf") == "\u{0C}")
    let outputs = Self.feed(
      &report,
      [
        .skipped("a.pdf: no such file"), .opened(path: "b.pdf", pages: 3),
        .journal(warning: "the journal cannot be opened", works: false, restored: 2),
        .documentEnded(nil), .opened(path: "c.pdf", pages: 1),
        .journal(warning: nil, works: true, restored: 1), .documentEnded(nil),
        .finished(nil, allFailed: false),
      ])
    #expect(
      outputs == [
        .say("a.pdf: no such file"), .say("no OCR server — built-in"),
        .say("the journal cannot be opened"),
        .say("b.pdf: 2 pages restored from the journal (--fresh reads them again)"),
        .say("c.pdf: 1 page restored from the journal (--fresh reads it again)"),
      ])
    #expect(report.status == ExitStatus.usage)
  }

  @Test func statsFollowEachPageAndTheDocumentAndProgressEachEndedPage() {
    var report = HeadlessReport(
      files: ["a.pdf", "b.pdf"], format: .md, showStats: true, showsProgress: true)
    let page = RunEvent.pageFinished(page: 1, text: "Hello", stats: Self.stats)
    var documentStats = DocumentStats()
    documentStats.pagesDone = 1
    let run: [RunEvent] = [
      .concurrencyChanged(limit: 4), .pageStarted(page: 1, mode: .stream), page,
      .documentFinished(documentStats),
    ]
    let outputs = Self.feed(
      &report, Self.document("a.pdf", pages: 1, run) + [.finished(nil, allFailed: false)])
    #expect(
      outputs == [
        .transcript(run[0]), .progress(done: 0, failed: 0, inFlight: 4), .transcript(run[1]),
        .transcript(page), .stats(StatsText.page(1, Self.stats)),
        .progress(done: 1, failed: 0, inFlight: 4),
        .transcript(run[3]), .stats(StatsText.document(documentStats, pageCount: 1)),
        .endProgress,
      ])
  }

  /// `--stats` says what the server reports: its first figures, then only when its queue
  /// starts or empties — not every poll's change.
  @Test func statsSayTheServersFiguresWhenItsQueueStartsOrEmpties() {
    var report = HeadlessReport(files: ["a.pdf"], format: .md, showStats: true)
    func load(_ running: Int, _ waiting: Int) -> RunEvent {
      .serverLoad(
        ServerLoad(source: .vllmMetrics, running: running, waiting: waiting, capacity: 12))
    }
    let run = [load(8, 0), load(12, 0), load(12, 3), load(12, 1), load(11, 0)]
    let said = Self.feed(&report, Self.document("a.pdf", pages: 1, run)).compactMap {
      output -> String? in
      if case .stats(let line) = output { line } else { nil }
    }
    #expect(
      said == [
        "server (vLLM /metrics): 8/12 busy, 0 waiting",
        "server (vLLM /metrics): 12/12 busy, 3 waiting",
        "server (vLLM /metrics): 11/12 busy, 0 waiting",
      ])
  }
}

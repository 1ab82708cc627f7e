import OCRKit
import Testing

@testable import OCRViewUI

/// The page list's marks tell every state apart: restored pages, and the check's verdicts
/// (passed, pending, not judged, flagged) besides plain done; the header says how far the check
/// has come.
@Suite struct PageMarksTests {
  /// One page in each state, a server's engine, checking on.
  static func model() -> Model {
    var model = Fixtures.document(size: Size(width: 80, height: 18))
    model.engine.info = CheckViewTests.server
    model.checking = true
    var document = DocumentState(path: "/docs/sample.pdf", pageCount: 12, openedAt: Fixtures.start)
    document.readingSince = Fixtures.start
    let progress: [PageProgress] = [
      .queued, .rendering, .waiting, .streaming, .done, .done, .done, .done, .done, .done,
      .failed, .cancelled,
    ]
    for (index, state) in progress.enumerated() {
      document.pages[index].progress = state
      document.pages[index].mode = state == .queued ? nil : .stream
      document.pages[index].run = 1
      if state == .done { document.pages[index].stats = Fixtures.stats(.stream, ttft: 0.4, e2e: 2) }
    }
    document.pages[5].stats?.restored = true
    document.pages[6].check = .pending
    document.pages[7].check = .checked(CheckViewTests.fine)
    document.pages[8].check = .unchecked("the page image could not be rendered again")
    document.pages[9].check = .checked(CheckViewTests.missing)
    model.document = document
    return model
  }

  @Test func everyStateHasItsOwnMark() {
    #expect(
      render(Self.model()).lines() == [
        " ocrview sample.pdf — 12 pages            LightOnOCR-1B   STREAM · checked 3/10 ",
        " pg  mode   TTFT      E2E   │ Page 1 — queued                                   ",
        "·  1                        │                                                   ",
        "◌  2 stream                 │                                                   ",
        "…  3 stream                 │                                                   ",
        "▸  4 stream                 │                                                   ",
        "✓  5 stream 400 ms    2.00 s│                                                   ",
        "↺  6 stream 400 ms    2.00 s│                                                   ",
        "◔  7 stream 400 ms    2.00 s│                                                   ",
        "✔  8 stream 400 ms    2.00 s│ queued                                            ",
        "?  9 stream 400 ms    2.00 s│                                                   ",
        "! 10 stream 400 ms    2.00 s│                                                   ",
        "✗ 11 stream           failed│                                                   ",
        "⊘ 12 stream                 │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        " STREAM │ page 1/12 │ 6/12 done, 1 failed (F), 5.00 s                           ",
        "m:mode v:page M:render /:find y:copy s:save r:re-run q:quit … ?:all keys        ",
      ])
  }
}

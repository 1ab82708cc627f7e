import OCRKit
import Testing

@testable import OCRViewUI

/// A server that goes away mid-document: every screen says so, the failed pages are counted
/// and `F` reads them again, keeping what is done; and the document's total is reading time.
@Suite struct ServerOutageTests {
  static let down = OCRError.server(
    .unreachable(url: "http://gpu:8080", detail: "Connection refused"))

  /// Page 1 done, page 2 streaming, page 3 queued, read by a server.
  static func model() -> Model { InFlightHeaderTests.model() }

  /// The server dies: page 2 fails after 1 ms of nothing, page 3 fails too.
  static func outage() -> Model {
    var model = model()
    var refused = PageStats.unmeasured(.stream)
    refused.e2e = .milliseconds(1)
    for page in [2, 3] {
      _ = update(
        &model, .run(.pageFailed(page: page, error: down, partial: "", stats: refused), run: 1))
    }
    _ = update(&model, .key(.character("j")))
    return model
  }

  @Test func anOutageShowsInTheHeaderTheStatsBarAndThePage() {
    let model = Self.outage()
    let screen = render(model)
    #expect(
      screen.lines() == [
        " ocrview sample.pdf — 3 pages  ⚠ no OCR server at http://gpu:8080 (Co…   STREAM ",
        " pg  mode   TTFT      E2E   │ Page 2 — failed (stream)                          ",
        "✓  1 stream 420 ms    3.20 s│                                                   ",
        "✗  2 stream           failed│                                                   ",
        "✗  3                  failed│ ✗ no OCR server at http://gpu:8080 (Connection    ",
        "                            │ refused) — start the server, then F reads the     ",
        "                            │ failed pages again (e: the built-in engine)       ",
        "                            │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        " STREAM │ page 2/3 │ failed │ 1/3 done, 2 failed (F), first text 450 ms, 5.00 s ",
        "m:mode v:page M:render /:find y:copy s:save r:re-run q:quit … ?:all keys        ",
      ], "\n\(screen.lines().joined(separator: "\n"))")
    // The header's outage is drawn as an error.
    #expect(screen[33, 0].style == Theme(monochrome: false).error)
  }

  @Test func fReadsTheFailedPagesAgainKeepingWhatIsDone() {
    var model = Self.outage()
    let effects = update(&model, .key(.character("F")))
    #expect(
      effects == [
        .startRun(
          run: 2, document: 0, pages: [2, 3], mode: .stream, engine: .server,
          journal: .readAgain)
      ])
    #expect(model.document?.pages.map(\.progress) == [.done, .queued, .queued])
    #expect(model.message?.text == "reading 2 failed pages again")
    // The server answers: the outage is over.
    _ = update(&model, .run(.pageStarted(page: 2, mode: .stream), run: 2))
    #expect(model.engine.outage != nil)
    _ = update(&model, .run(.delta(page: 2, text: "back"), run: 2))
    #expect(model.engine.outage == nil)
    #expect(render(model).lines()[0].contains("LightOnOCR-2-1B"))
    #expect(!render(model).lines()[0].contains("⚠"))
    // Nothing failed: F says so and starts nothing.
    var fine = Self.model()
    #expect(update(&fine, .key(.character("F"))) == [])
    #expect(fine.message?.text == "no failed pages to read again")
  }

  /// A page refused for itself (a 400 for a bad image) is no outage: the header stays calm.
  @Test func aPageRefusedForItselfIsNoOutage() {
    var model = Self.model()
    let refused = OCRError.server(.http(status: 400, message: "Failed to load image"))
    _ = update(&model, .run(.pageFailed(page: 2, error: refused, partial: "", stats: nil), run: 1))
    #expect(model.engine.outage == nil)
    #expect(
      model.document?.pages[1].error
        == "the server answered HTTP 400: Failed to load image — F reads the failed pages again")
  }

  /// The total once counted the idle time before an `r`: 10 s of reading, 90 s of review and a
  /// 3-second re-read said 103 s.
  @Test func theDocumentsTotalIsReadingTimeNotIdleTime() {
    var model = Self.model()
    let start = Fixtures.start
    _ = update(&model, .tick(start + .seconds(10)))
    for page in [2, 3] {
      _ = update(
        &model,
        .run(
          .pageFinished(page: page, text: "text", stats: Fixtures.stats(.stream, ttft: 1, e2e: 2)),
          run: 1))
    }
    _ = update(&model, .tick(start + .seconds(100)))
    #expect(model.document?.totalTime(at: model.now) == .seconds(10))
    _ = update(&model, .key(.character("r")))
    _ = update(&model, .tick(start + .seconds(103)))
    _ = update(
      &model,
      .run(
        .pageFinished(page: 1, text: "again", stats: Fixtures.stats(.stream, ttft: 1, e2e: 3)),
        run: 2))
    _ = update(&model, .tick(start + .seconds(200)))
    #expect(model.document?.totalTime(at: model.now) == .seconds(13))
    #expect(statsLine(model, model.document!).hasSuffix("3/3 done, first text 450 ms, 13.00 s"))
  }
}

import OCRKit
import Testing

@testable import OCRViewUI

/// `K`: checking pages against the built-in engine, as values and whole frames.
@Suite struct CheckViewTests {
  static let server = EngineInfo(
    kind: .server, label: "LightOnOCR-1B", reason: "server http://127.0.0.1:8080")

  static let missing = PageCheck(
    agreement: 0.4, precision: 0.98, tesseractWords: 120, modelWords: 50, ink: 0.06,
    flag: .missing)
  static let fine = PageCheck(
    agreement: 0.97, precision: 0.99, tesseractWords: 120, modelWords: 118, ink: 0.06, flag: nil)

  /// The fixture document read by a server.
  static func document() -> Model {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.engine.info = server
    return model
  }

  @Test func kChecksTheFinishedPagesAndThenEachPageAsItFinishes() {
    var model = Self.document()
    let effects = update(&model, .key(.character("K")))
    #expect(model.checking)
    #expect(
      effects == [
        .checkPages(
          document: 0, [CheckRequest(page: 1, run: 1, text: "# Title\n\nFirst page text.")])
      ])
    #expect(model.document?.pages[0].check == .pending)
    // Page 2 finishes: it is checked too.
    let finished = update(
      &model,
      .run(
        .pageFinished(page: 2, text: "스트리밍", stats: Fixtures.stats(.stream, ttft: 0.4, e2e: 2)),
        run: 1))
    #expect(
      finished == [
        .checkPages(document: 0, [CheckRequest(page: 2, run: 1, text: "스트리밍")])
      ])
    // Results land on the pages they were asked for.
    _ = update(&model, .pageChecked(document: 0, page: 1, run: 1, .success(Self.missing)))
    _ = update(
      &model,
      .pageChecked(document: 0, page: 2, run: 1, .failure(.init(description: "no image"))))
    #expect(model.document?.pages[0].check == .checked(Self.missing))
    #expect(model.document?.pages[1].check == .unchecked("no image"))
    // K again stops; a page still pending is left unchecked, and late results are ignored.
    model.document?.pages[1].check = .pending
    #expect(update(&model, .key(.character("K"))) == [.stopChecking])
    #expect(!model.checking)
    #expect(model.document?.pages[1].check == nil)
    _ = update(&model, .pageChecked(document: 0, page: 2, run: 1, .success(Self.fine)))
    #expect(model.document?.pages[1].check == nil)
    #expect(model.document?.pages[0].check == .checked(Self.missing))
  }

  @Test func aResultForAnEarlierReadingOfThePageIsIgnored() {
    var model = Self.document()
    _ = update(&model, .key(.character("K")))
    _ = update(&model, .key(.character("r")))  // page 1 read again: run 2
    _ = update(&model, .pageChecked(document: 0, page: 1, run: 1, .success(Self.missing)))
    #expect(model.document?.pages[0].check == nil)
  }

  @Test func withTheBuiltInEngineThereIsNothingToCheck() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    #expect(update(&model, .key(.character("K"))).isEmpty)
    #expect(!model.checking)
    #expect(model.message?.text.contains("nothing to check") == true)
    // `--check` with no server: turned off when the built-in engine is chosen.
    var started = Model(size: Size(width: 60, height: 15), directory: "/docs")
    started.checking = true
    _ = update(&started, .engineSelected(Fixtures.builtIn))
    #expect(!started.checking)
  }

  @Test func theServerRuleIsSaidOneWayNamingTheSwitch() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    _ = update(&model, .key(.character("K")))
    #expect(
      model.message
        == Model.Message(
          "K compares a server's text with the built-in engine; nothing to check", isError: true))
    var started = Model(size: Size(width: 60, height: 15), directory: "/docs")
    started.checking = true
    _ = update(&started, .engineSelected(Fixtures.builtIn))
    #expect(
      started.message
        == Model.Message(
          "--check compares a server's text with the built-in engine; nothing to check"))
  }

  @Test func aMissingLanguageTurnsCheckingOffWithTheReason() {
    var model = Self.document()
    _ = update(&model, .key(.character("K")))
    _ = update(&model, .checkUnavailable(message: "K cannot check: tesseract has no data"))
    #expect(!model.checking)
    #expect(model.document?.pages[0].check == nil)
    #expect(model.message == Model.Message("K cannot check: tesseract has no data", isError: true))
  }

  @Test func aFlaggedPageIsMarkedInTheListAndSaysWhyAboveItsText() {
    var model = Self.document()
    _ = update(&model, .key(.character("K")))
    _ = update(&model, .pageChecked(document: 0, page: 1, run: 1, .success(Self.missing)))
    model.message = nil
    let expected = [
      " ocrview sample.pdf    LightOnOCR-1B   STREAM · checked 1/3 ",
      " pg  mode   TTFT      E2E   │ Page 1 — done (stream)        ",
      "!  1 stream 420 ms    3.20 s│ ⚠ check: model text has 40 %  ",
      "▸  2 stream 0.40s     2.00s…│ of the words Tesseract finds  ",
      "·  3                        │ on this page — lines may be   ",
      "                            │ missing                       ",
      "                            │                               ",
      "                            │ # Title                       ",
      "                            │                               ",
      "                            │ First page text.              ",
      "                            │                               ",
      "                            │                               ",
      "                            │                               ",
      " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s …",
      "m:mode v:page /:find s:save r:re-run q:quit … ?:all keys    ",
    ]
    let canvas = render(model)
    #expect(canvas.lines() == expected)
    let theme = Theme(monochrome: false)
    #expect(canvas[30, 2].style == theme.warning)
    // Off the selected row, the mark has the error colour: the page is not to be trusted.
    var other = model
    other.document?.selected = 3
    #expect(render(other)[0, 2].style == theme.error)
    // A page checked fine has the passed mark and shows no line.
    _ = update(&model, .pageChecked(document: 0, page: 1, run: 1, .success(Self.fine)))
    model.document?.pages[0].check = .checked(Self.fine)
    let lines = render(model).lines()
    #expect(lines[2] == "✔  1 stream 420 ms    3.20 s│ # Title                       ")
  }

  @Test func theHelpAndHintsNameK() {
    var model = Self.document()
    model.size = Size(width: 100, height: 30)
    #expect(render(model).lines()[29].contains("K:check"))
    model.overlay = .help
    #expect(render(model).lines().contains { $0.contains("K ") && $0.contains("built-in engine") })
  }
}

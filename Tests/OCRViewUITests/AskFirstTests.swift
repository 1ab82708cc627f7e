import OCRKit
import Testing

@testable import OCRViewUI

/// Keys that would lose work ask first (`R`, opening another file while one is read), and
/// those that act at once say what they did (`c`); Esc leaves the cursor on the open document.
@Suite struct AskFirstTests {
  /// The fixture document, running, with the picker listing its folder.
  static func model() -> Model {
    var model = Fixtures.document()
    model.picker = Fixtures.picker().picker
    model.picker.entries.append(
      PickerEntry(name: "sample.pdf", kind: .document(.pdf, pageCount: 3), size: 80_000))
    return model
  }

  @Test func escPutsThePickerCursorOnTheOpenDocumentAndEnterGoesBackToIt() {
    var model = Self.model()
    _ = update(&model, .key(.escape))
    #expect(model.screen == .picker)
    #expect(model.picker.selected?.name == "sample.pdf")
    #expect(update(&model, .key(.enter)) == [], "not read again")
    #expect(model.screen == .document && model.overlay == nil)
  }

  @Test func openingAnotherFileWhileOneIsReadAsks() {
    var model = Self.model()
    _ = update(&model, .key(.escape))
    _ = update(&model, .key(.character("g")))
    for _ in 0..<3 { _ = update(&model, .key(.character("j"))) }
    #expect(model.picker.selected?.name == "paper.pdf")
    #expect(update(&model, .key(.enter)) == [])
    #expect(model.overlay == .confirm(.open(path: "/docs/paper.pdf")))
    #expect(
      render(model).lines() == [
        " ocrview open a file — /docs  no server at http://127.0.0.1:8080 — us…   STREAM ",
        " ../                                                                            ",
        " reports/                                                                       ",
        " scan.png                                                       292 KB · 1 page ",
        " paper.pdf                                                    1.4 MB · 12 pages ",
        " locked.pdf                                                   permission denied ",
        " sample.pdf                                                     78 KB · 3 pages ",
        "                                                                                ",
        "   ┌────────────────────────────────────────────────────────────────────────┐   ",
        "   │ Open paper.pdf?                                                        │   ",
        "   │                                                                        │   ",
        "   │ sample.pdf is still being read: 1 page running, 1 not started.         │   ",
        "   │ Opening another file cancels them (what is read stays in the journal). │   ",
        "   │                                                                        │   ",
        "   │ y: open paper.pdf   any other key: stay                                │   ",
        "   └────────────────────────────────────────────────────────────────────────┘   ",
        "                                                                                ",
        "                                                                                ",
        "                                                                                ",
        "                                                                                ",
        "                                                                                ",
        "                                                                                ",
        " 5 entries                                                                      ",
        "Enter:open Backspace:up /:filter .:hidden a:all files q:quit ?:help             ",
      ])
    // Any other key stays; y opens.
    #expect(update(&model, .key(.character("n"))) == [])
    #expect(model.overlay == nil && model.opening == nil)
    _ = update(&model, .key(.enter))
    #expect(
      update(&model, .key(.character("y"))) == [.openDocument(id: 1, path: "/docs/paper.pdf")])
    // A document read to its end is left at once.
    var idle = Self.model()
    idle.document?.pages[1].progress = .done
    idle.document?.pages[2].progress = .done
    idle.screen = .picker
    idle.picker.cursor = 3
    #expect(update(&idle, .key(.enter)) == [.openDocument(id: 1, path: "/docs/paper.pdf")])
  }

  @Test func capitalRAsksBeforeVoidingTheJournal() {
    var model = Self.model()
    #expect(update(&model, .key(.character("R"))) == [])
    #expect(model.overlay == .confirm(.readAllAgain))
    #expect(
      render(model).lines() == [
        " ocrview sample.pdf — 3 pages  no server at http://127.0.0.1:8080 — u…   STREAM ",
        " pg  mode   TTFT      E2E   │ Page 1 — done (stream)                            ",
        "✓  1 stream 420 ms    3.20 s│ # Title                                           ",
        "▸  2 stream 0.40s     2.00s…│                                                   ",
        "·  3                        │ First page text.                                  ",
        "                            │                                                   ",
        "                            │                                                   ",
        "      ┌──────────────────────────────────────────────────────────────────┐      ",
        "      │ Read all 3 pages again?                                          │      ",
        "      │                                                                  │      ",
        "      │ Every page is read again from the start, and what the            │      ",
        "      │ journal kept of the 1 page read so far is void.                  │      ",
        "      │ The page running now stops.                                      │      ",
        "      │                                                                  │      ",
        "      │ y: read all again   any other key: keep them (r: this page only) │      ",
        "      └──────────────────────────────────────────────────────────────────┘      ",
        "                            │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        "                            │                                                   ",
        " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s │ 1/3 done …         ",
        "m:mode v:page M:render /:find y:copy s:save r:re-run q:quit … ?:all keys        ",
      ])
    #expect(update(&model, .key(.escape)) == [])
    #expect(model.overlay == nil)
    _ = update(&model, .key(.character("R")))
    #expect(
      update(&model, .key(.character("y"))) == [
        .cancelRuns,
        .startRun(
          run: 2, document: 0, pages: [1, 2, 3], mode: .stream, engine: .builtIn, journal: .forget),
      ])
  }

  @Test func cSaysWhatItCancelled() {
    var model = Self.model()
    #expect(update(&model, .key(.character("c"))) == [.cancelRuns])
    #expect(
      model.message?.text
        == "cancelled 1 running page and 1 not started — r reads a page again, R the document")
    model.document?.pages[1].progress = .cancelled
    model.document?.pages[2].progress = .cancelled
    #expect(update(&model, .key(.character("c"))) == [])
    #expect(model.message?.text == "nothing to cancel: no page is being read")
  }
}

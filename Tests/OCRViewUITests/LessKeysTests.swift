import OCRKit
import Testing

@testable import OCRViewUI

/// less and vim habits in the text pane: `b`, Ctrl-D/U, Ctrl-F/B scroll; the pane says which
/// lines it shows and whether it follows the growing text; a finished page opens at its top.
@Suite struct LessKeysTests {
  static let forty = (1...40).map { "line \($0)" }.joined(separator: "\n")

  /// The fixture at 80×24 (20 text rows) with a 40-line first page.
  static func model() -> Model {
    var model = Fixtures.document(size: Size(width: 80, height: 24))
    model.document?.pages[0].text = forty
    return model
  }

  @Test func bCtrlDUAndCtrlFBScrollTheText() {
    var model = Self.model()
    let scroll = { (key: Key) -> Int? in
      _ = update(&model, .key(key))
      return model.document?.scroll
    }
    #expect(scroll(.control("d")) == 10)
    #expect(scroll(.control("d")) == 20)
    #expect(scroll(.control("u")) == 10)
    #expect(scroll(.control("b")) == 0)
    #expect(scroll(.control("f")) == 20)
    #expect(scroll(.character("b")) == 0)
    #expect(model.focus == .pages, "they scroll from the page list too, as PgDn does")
  }

  @Test func theTextPaneSaysWhichLinesItShows() {
    var model = Self.model()
    _ = update(&model, .key(.control("d")))
    let text = (11...30).map { "line \($0)" }
    let expected =
      [
        " ocrview sample.pdf — 3 pages  no server at http://127.0.0.1:8080 — u…   STREAM ",
        " pg  mode   TTFT      E2E   │ Page 1 — done (stream)          lines 11–30 of 40 ",
        "✓  1 stream 420 ms    3.20 s│ \(text[0].padding(49)) ",
        "▸  2 stream 0.40s     2.00s…│ \(text[1].padding(49)) ",
        "·  3                        │ \(text[2].padding(49)) ",
      ]
      + text.dropFirst(3).map { "                            │ \($0.padding(49)) " }
      + [
        " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s │ 1/3 done …         ",
        "m:mode v:page M:render /:find y:copy s:save r:re-run q:quit … ?:all keys        ",
      ]
    #expect(render(model).lines() == expected, "\(render(model).lines().joined(separator: "\n"))")
  }

  @Test func aPageRestoredWholeOpensAtItsTop() {
    var model = Model(size: Size(width: 80, height: 24), directory: "/docs", now: Fixtures.start)
    model.engine = Fixtures.ready
    model.opening = Model.Opening(id: 1, path: "/docs/sample.pdf")
    _ = update(&model, .documentOpened(id: 1, path: "/docs/sample.pdf", pageCount: 3))
    var restored = Fixtures.stats(.stream, ttft: 0.42, e2e: 3.2)
    restored.restored = true
    _ = update(&model, .run(.pageFinished(page: 1, text: Self.forty, stats: restored), run: 1))
    let lines = render(model).lines()
    #expect(lines[1].hasSuffix("Page 1 — done (stream)           lines 1–20 of 42 "), "\(lines[1])")
    #expect(lines[2].hasSuffix("│ line 1" + String(repeating: " ", count: 44)), "\(lines[2])")
  }

  @Test func aStreamedPageFollowedToItsEndStaysThere() {
    var model = Self.model()
    model.document?.selected = 2
    model.document?.pages[1].text = Self.forty
    var lines = render(model).lines()
    #expect(lines[1].hasSuffix("Page 2 — streaming (stream)             following "), "\(lines[1])")
    #expect(lines[21].hasSuffix("│ line 40▌" + String(repeating: " ", count: 42)))
    // Scrolled away from the growing end: how to follow again, and the lines shown where
    // there is room.
    _ = update(&model, .key(.control("u")))
    lines = render(model).lines()
    #expect(lines[1].hasSuffix("Page 2 — streaming (stream)             f follows "), "\(lines[1])")
    model.size = Size(width: 100, height: 24)
    lines = render(model).lines()
    #expect(
      lines[1].hasSuffix("(stream)             lines 11–30 of 40 · f follows "), "\(lines[1])")
    model.size = Size(width: 80, height: 24)
    _ = update(&model, .key(.character("f")))
    // The page ends while followed: it shows its end, and says where that is.
    let stats = Fixtures.stats(.stream, ttft: 0.4, e2e: 2)
    _ = update(&model, .run(.pageFinished(page: 2, text: Self.forty, stats: stats), run: 1))
    lines = render(model).lines()
    #expect(lines[1].hasSuffix("Page 2 — done (stream)          lines 21–40 of 40 "), "\(lines[1])")
    #expect(model.document?.follow == false)
    _ = update(&model, .key(.character("b")))
    #expect(model.document?.scroll == 0)
    // f on a finished page goes to its end.
    _ = update(&model, .key(.character("f")))
    #expect(model.document?.scroll == 20)
  }
}

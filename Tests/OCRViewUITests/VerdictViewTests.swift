import OCRKit
import Testing

@testable import OCRViewUI

/// Verdicts in the viewer: marks in the page list (with their legend in the help), the reasons
/// above the text, and `!` to the next page that needs a look.
@Suite struct VerdictViewTests {
  /// Page 1 cut off at the token limit (flagged), page 2 still streaming, page 3 read and
  /// checked with weak agreement (review).
  static func model() -> Model {
    var model = Fixtures.document(size: Size(width: 60, height: 16))
    model.document?.pages[0].stats?.finishReason = "length"
    let warning = model.document?.pages[0].stats?.warning
    model.document?.pages[0].note = warning
    var page = model.document!.pages[2]
    page.progress = .done
    page.mode = .stream
    page.text = "Third page."
    page.stats = Fixtures.stats(.stream, ttft: 0.5, e2e: 2)
    page.check = .checked(
      PageCheck(
        agreement: 0.7, precision: 0.95, tesseractWords: 80, modelWords: 75, ink: 0.04,
        confidentShare: 0.9, flag: nil))
    model.document?.pages[2] = page
    return model
  }

  @Test func marksSayFlaggedAndReviewAndThePaneSaysWhy() {
    var model = Self.model()
    model.document?.selected = 3
    let canvas = render(model)
    let theme = Theme(monochrome: false)
    // Flagged in the error colour, review in the warning colour.
    #expect(canvas[0, 2].style == theme.error)
    #expect(canvas.lines()[4].hasPrefix("~") && canvas[0, 4].style != theme.error)
    #expect(
      render(model).lines() == [
        " ocrview sample.pdf — 3 pages  no server at http:…   STREAM ",
        " pg  mode   TTFT      E2E   │ Page 3 — done (stream)        ",
        "!  1 stream 420 ms    3.20 s│ ⚠ review: --check: the text   ",
        "▸  2 stream 0.40s     2.00s…│ has only 70 % of the words    ",
        "~  3 stream 500 ms    2.00 s│ Tesseract reads on the page   ",
        "                            │                               ",
        "                            │ Third page.                   ",
        "                            │                               ",
        "                            │                               ",
        "                            │                               ",
        "                            │                               ",
        "                            │                               ",
        "                            │                               ",
        "                            │                               ",
        " STREAM │ page 3/3 │ TTFT 500 ms │ E2E 2.00 s │ 66.0 tok/s …",
        "m:mode v:page /:find s:save r:re-run q:quit … ?:all keys    ",
      ])
  }

  @Test func bangGoesToTheNextPageThatNeedsALookAndWrapsAround() {
    var model = Self.model()
    _ = update(&model, .key(.character("!")))
    #expect(model.document?.selected == 3)
    #expect(model.message == Model.Message("page 3: review — weak agreement"))
    _ = update(&model, .key(.character("!")))
    #expect(model.document?.selected == 1)
    #expect(model.message == Model.Message("page 1: flagged — cut off"))
    // With every page ok, it says so and stays.
    model.document?.pages[0].stats?.finishReason = "stop"
    model.document?.pages[2].check = nil
    _ = update(&model, .key(.character("!")))
    #expect(model.document?.selected == 1)
    #expect(model.message == Model.Message("no page needs a look: every page read is ok"))
  }

  /// Page 1's lines 4 and 6 are where the model's doubtful tokens cluster; line 4 wraps to two
  /// rows. The page's confidence is otherwise fine, so its verdict says nothing above the text.
  static func doubtfulModel(monochrome: Bool = false) -> Model {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.monochrome = monochrome
    model.document?.pages[0].text =
      "# Title\n\nRead well.\nThis line the model doubted twice over.\nSure again.\nTotal 41"
    model.document?.pages[0].stats?.confidence = TokenConfidence(
      tokens: 40, meanLogprob: -0.1, lowShare: 0.05, lowLines: [4, 6])
    return model
  }

  @Test func theLinesWhereTheModelWasUnsureAreShaded() {
    let canvas = render(Self.doubtfulModel())
    #expect(
      canvas.lines() == [
        " ocrview sample.pdf — 3 pages  no server at http:…   STREAM ",
        " pg  mode   TTFT      E2E   │ Page 1 — done (stream)        ",
        "✓  1 stream 420 ms    3.20 s│ # Title                       ",
        "▸  2 stream 0.40s     2.00s…│                               ",
        "·  3                        │ Read well.                    ",
        "                            │ This line the model doubted   ",
        "                            │ twice over.                   ",
        "                            │ Sure again.                   ",
        "                            │ Total 41                      ",
        "                            │                               ",
        "                            │                               ",
        "                            │                               ",
        "                            │                               ",
        " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s …",
        "m:mode v:page /:find s:save r:re-run q:quit … ?:all keys    ",
      ])
    let theme = Theme(monochrome: false)
    let styles = (2...8).map { canvas[31, $0].style }
    #expect(
      styles == [
        theme.heading, .plain, .plain, theme.doubtful, theme.doubtful, .plain, theme.doubtful,
      ])
    #expect(theme.doubtful != .plain && theme.doubtful != theme.warning)
    // Without colour the doubtful lines are dim.
    let monochrome = render(Self.doubtfulModel(monochrome: true))
    #expect(monochrome[31, 5].style == Style(dim: true) && monochrome[31, 4].style == .plain)
  }

  @Test func renderedMarkdownAndAPageWithoutConfidenceShadeNothing() {
    var model = Self.doubtfulModel()
    model.rendered = true
    #expect(!render(model).lines().isEmpty)
    #expect(
      (2...11).allSatisfy { render(model)[31, $0].style != Theme(monochrome: false).doubtful })
    model = Self.doubtfulModel()
    model.document?.pages[0].stats?.confidence = nil
    #expect((2...11).allSatisfy { render(model)[31, $0].style == .plain || $0 == 2 })
  }
}

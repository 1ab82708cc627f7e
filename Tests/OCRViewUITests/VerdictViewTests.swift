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
}

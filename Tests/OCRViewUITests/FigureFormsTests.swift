import OCRKit
import Testing

@testable import OCRViewUI

/// The helpers that keep figures whole: short forms, and a hint line that says where the
/// rest of the keys are.
@Suite struct FigureFormsTests {
  @Test func shortFormsFitFiveColumns() {
    #expect(Figures.short(.milliseconds(353)) == "0.35s")
    #expect(Figures.short(.milliseconds(3204)) == "3.20s")
    #expect(Figures.short(.milliseconds(9996)) == "10.0s")
    #expect(Figures.short(.milliseconds(12_345)) == "12.3s")
    #expect(Figures.short(.seconds(123)) == "123s")
    #expect(Figures.short(.seconds(1020)) == "17m")
    #expect(Figures.short(.seconds(5 * 3600)) == "5h")
    #expect(Figures.fitting(.milliseconds(353), width: 6) == "353 ms")
    #expect(Figures.fitting(.milliseconds(2000), suffix: "…", width: 6) == "2.00s…")
    #expect(Figures.fitting(.milliseconds(2000), width: 4) == nil)
  }

  /// Found by the tmux test of `m` on a loaded machine: a batch page of 13.65 s showed
  /// "13.65 s   13.7s", one time in two forms, because only the E2E column was too narrow.
  @Test func aRowShowsItsTwoTimesInOneForm() {
    var page = PageState(number: 3)
    page.progress = .done
    page.mode = .batch
    var stats = PageStats.unmeasured(.batch)
    stats.e2e = .milliseconds(13_650)
    stats.ttft = stats.e2e
    page.stats = stats
    // At 27 columns the E2E column is 6 wide: "13.65 s" does not fit, so neither is written so.
    let narrow = PageListColumns(width: 27)
    #expect(narrow.e2e == 6)
    #expect(narrow.row(page, now: .now) == "  3 batch  13.7s     13.7s")
    // Where both fit, both are whole.
    #expect(PageListColumns(width: 30).row(page, now: .now) == "  3 batch  13.65 s   13.65 s")
    // A short time fits whole in both columns even at 27.
    stats.e2e = .milliseconds(3_200)
    stats.ttft = stats.e2e
    page.stats = stats
    #expect(narrow.row(page, now: .now) == "  3 batch  3.20 s    3.20 s")
  }

  @Test func theHintLineEndsSayingQuestionMarkHasEveryKey() {
    let hints = [
      KeyHint(key: "m", label: "mode", rank: 2), KeyHint(key: "v", label: "page", rank: 1),
      KeyHint(key: "q", label: "quit", rank: 3),
    ]
    #expect(hintLine(hints, width: 40) == "m:mode v:page q:quit ?:help")
    #expect(hintLine(hints, width: 26) == "m:mode q:quit … ?:all keys")
    #expect(hintLine(hints, width: 20) == "q:quit … ?:all keys")
  }
}

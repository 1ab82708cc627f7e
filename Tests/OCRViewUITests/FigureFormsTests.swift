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

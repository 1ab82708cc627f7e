import OCRViewUI
import Testing

@Suite struct CanvasTests {
  let red = Style(foreground: .red, bold: true)
  let blue = Style(background: .blue, underline: true)

  @Test func newCanvasIsBlank() {
    let canvas = Canvas(width: 3, height: 2)
    #expect(canvas.lines() == ["   ", "   "])
    #expect(canvas[2, 1] == .blank)
    #expect(canvas.size == Size(width: 3, height: 2))
    #expect(canvas.area == Rect(x: 0, y: 0, width: 3, height: 2))
  }

  @Test func negativeSizeIsEmpty() {
    let canvas = Canvas(width: -1, height: 3)
    #expect(canvas.width == 0)
    #expect(canvas.lines() == ["", "", ""])
    #expect(canvas.changes(since: nil).isEmpty)
  }

  @Test func writesTextAndReturnsColumnsUsed() {
    var canvas = Canvas(width: 8, height: 2)
    #expect(canvas.write("hello", x: 1, y: 1) == 5)
    #expect(canvas.lines() == ["        ", " hello  "])
    #expect(canvas[1, 1] == Cell(grapheme: "h"))
  }

  @Test func chainedWritesContinueWhereTheLastEnded() {
    var canvas = Canvas(width: 13, height: 1)
    var x = 0
    x += canvas.write("한국", x: x, y: 0, style: red)
    x += canvas.write(" and ", x: x, y: 0)
    x += canvas.write("日本", x: x, y: 0, style: blue)
    #expect(x == 13)
    #expect(canvas.lines() == ["한국 and 日本"])
  }

  @Test func clipsAtTheRightEdge() {
    var canvas = Canvas(width: 8, height: 1)
    #expect(canvas.write("hello world", x: 6, y: 0) == 2)
    #expect(canvas.lines() == ["      he"])
  }

  @Test func clipsToMaxWidth() {
    var canvas = Canvas(width: 8, height: 1)
    #expect(canvas.write("hello", x: 0, y: 0, maxWidth: 3) == 3)
    #expect(canvas.write("abc", x: 4, y: 0, maxWidth: 10) == 3)
    #expect(canvas.write("xyz", x: 0, y: 0, maxWidth: 0) == 0)
    #expect(canvas.write("xyz", x: 0, y: 0, maxWidth: -2) == 0)
    #expect(canvas.lines() == ["hel abc "])
  }

  @Test func writesOutsideTheCanvasChangeNothing() {
    var canvas = Canvas(width: 4, height: 2)
    #expect(canvas.write("abc", x: 0, y: -1) == 0)
    #expect(canvas.write("abc", x: 0, y: 2) == 0)
    #expect(canvas.write("abc", x: 4, y: 0) == 0)
    #expect(canvas.write("abc", x: -3, y: 1) == 3)  // entirely left of the canvas
    #expect(canvas == Canvas(width: 4, height: 2))
  }

  @Test func negativeXClipsOnTheLeft() {
    var canvas = Canvas(width: 6, height: 2)
    #expect(canvas.write("hello", x: -2, y: 0) == 5)
    // The wide character's left half would be at column -1: its visible half is a space.
    #expect(canvas.write("한ab", x: -1, y: 1, style: red) == 4)
    #expect(canvas.lines() == ["llo   ", " ab   "])
    #expect(canvas[0, 1] == Cell(grapheme: " ", style: red))
  }

  @Test func wideCharacterFillsItsCellAndMarksTheNext() {
    var canvas = Canvas(width: 6, height: 1)
    #expect(canvas.write("한글", x: 1, y: 0, style: red) == 4)
    #expect(canvas[1, 0] == Cell(grapheme: "한", style: red))
    #expect(canvas[2, 0] == Cell(grapheme: "", style: red))
    #expect(canvas[2, 0].isContinuation)
    #expect(canvas[3, 0].grapheme == "글")
    #expect(canvas[4, 0].isContinuation)
    #expect(canvas[5, 0] == .blank)
    #expect(canvas.lines() == [" 한글 "])
  }

  @Test func wideCharacterAtTheRightEdgeBecomesASpace() {
    var canvas = Canvas(width: 5, height: 1)
    #expect(canvas.write("ab한", x: 2, y: 0, style: red) == 3)
    #expect(canvas.lines() == ["  ab "])
    #expect(canvas[4, 0] == Cell(grapheme: " ", style: red))
    #expect(canvas.wideCharacterViolation() == nil)
  }

  @Test func wideCharacterCutByMaxWidthBecomesASpace() {
    var canvas = Canvas(width: 8, height: 1)
    canvas.fill(canvas.area, with: Cell(grapheme: "."))
    #expect(canvas.write("한국어", x: 0, y: 0, maxWidth: 5) == 5)
    #expect(canvas.lines() == ["한국 ..."])
    // A narrow character after the cut one is not drawn either: text never skips ahead.
    #expect(canvas.write("한a", x: 0, y: 0, maxWidth: 1) == 1)
    #expect(canvas.lines() == ["  국 ..."])
  }

  @Test func overwritingTheRightHalfOfAWideCharacterBlanksItsLeftHalf() {
    var canvas = Canvas(width: 4, height: 1)
    canvas.write("한", x: 0, y: 0, style: red)
    canvas.write("x", x: 1, y: 0)
    #expect(canvas.lines() == [" x  "])
    #expect(canvas[0, 0] == Cell(grapheme: " ", style: red))  // keeps its style
    #expect(canvas.wideCharacterViolation() == nil)
  }

  @Test func overwritingTheLeftHalfOfAWideCharacterBlanksItsRightHalf() {
    var canvas = Canvas(width: 4, height: 1)
    canvas.write("한", x: 1, y: 0, style: red)
    canvas.write("x", x: 1, y: 0)
    #expect(canvas.lines() == [" x  "])
    #expect(canvas[2, 0] == Cell(grapheme: " ", style: red))
    #expect(canvas.wideCharacterViolation() == nil)
  }

  @Test func wideCharacterOverlappingTwoWideCharactersBlanksBothOuterHalves() {
    var canvas = Canvas(width: 6, height: 1)
    canvas.write("한글", x: 0, y: 0)
    canvas.write("가", x: 1, y: 0)
    #expect(canvas.lines() == [" 가   "])
    #expect(canvas.wideCharacterViolation() == nil)
  }

  @Test func controlAndZeroWidthCharactersAreNotDrawn() {
    var canvas = Canvas(width: 6, height: 1)
    #expect(canvas.write("a\nb\tc\u{7}\u{200B}d\r\n", x: 0, y: 0) == 4)
    #expect(canvas.lines() == ["abcd  "])
  }

  /// Server text reaches the viewer as is: no escape sequence may get into a cell, where the
  /// terminal adapter would send it raw.
  @Test func escapeSequencesFromServerTextLeaveNoControlInAnyCell() {
    var canvas = Canvas(width: 16, height: 1)
    canvas.write("a\u{1B}]0;owned\u{07}b\u{1B}[2J\u{9B}1m\rc\u{7F}", x: 0, y: 0)
    #expect(canvas.lines() == ["a]0;ownedb[2J1mc"])
    let graphemes = (0..<canvas.width).map { canvas[$0, 0].grapheme }
    #expect(
      !graphemes.joined().unicodeScalars.contains { $0.properties.generalCategory == .control })
  }

  @Test func combiningMarksStayWithTheirBaseInOneCell() {
    var canvas = Canvas(width: 4, height: 1)
    #expect(canvas.write("e\u{301}x", x: 0, y: 0) == 2)
    #expect(canvas[0, 0].grapheme == "e\u{301}")
    #expect(canvas[1, 0].grapheme == "x")
  }

  @Test func emojiSequencesTakeTwoCells() {
    var canvas = Canvas(width: 6, height: 1)
    #expect(canvas.write("👩‍💻!🇰🇷", x: 0, y: 0) == 5)
    #expect(canvas[0, 0].grapheme == "👩‍💻")
    #expect(canvas[1, 0].isContinuation)
    #expect(canvas[2, 0].grapheme == "!")
    #expect(canvas[3, 0].grapheme == "🇰🇷")
    #expect(canvas.lines() == ["👩‍💻!🇰🇷 "])
  }

  @Test func writesCarryTheirStyle() {
    var canvas = Canvas(width: 6, height: 1)
    canvas.write("ab", x: 0, y: 0, style: red)
    canvas.write("cd", x: 2, y: 0, style: blue)
    #expect((0..<6).map { canvas[$0, 0].style } == [red, red, blue, blue, .plain, .plain])
  }

  @Test func fillSetsEveryCellOfTheClippedRect() {
    var canvas = Canvas(width: 5, height: 3)
    canvas.fill(Rect(x: 3, y: 1, width: 10, height: 10), with: Cell(grapheme: "#", style: red))
    #expect(canvas.lines() == ["     ", "   ##", "   ##"])
    #expect(canvas[4, 2].style == red)
    canvas.fill(canvas.area)
    #expect(canvas == Canvas(width: 5, height: 3))
  }

  @Test func fillOverHalfAWideCharacterBlanksTheOtherHalf() {
    var canvas = Canvas(width: 6, height: 1)
    canvas.write("한글어", x: 0, y: 0)
    canvas.fill(Rect(x: 1, y: 0, width: 3, height: 1), with: Cell(grapheme: "-"))
    #expect(canvas.lines() == [" ---어"])
    #expect(canvas.wideCharacterViolation() == nil)
  }

  @Test func fillWithAWideCharacterLaysItOutInPairs() {
    var canvas = Canvas(width: 5, height: 1)
    canvas.fill(canvas.area, with: Cell(grapheme: "가", style: red))
    #expect(canvas.lines() == ["가가 "])
    #expect(canvas[4, 0] == Cell(grapheme: " ", style: red))
    #expect(canvas.wideCharacterViolation() == nil)
  }

  @Test(arguments: ["", "\n", "ab", "\u{301}"])
  func fillWithAnUndrawableGraphemeUsesSpaces(_ grapheme: String) {
    var canvas = Canvas(width: 3, height: 1)
    canvas.write("abc", x: 0, y: 0)
    canvas.fill(canvas.area, with: Cell(grapheme: grapheme, style: blue))
    #expect(canvas.lines() == ["   "])
    #expect(canvas[1, 0].style == blue)
  }

  @Test func setStyleKeepsTheText() {
    var canvas = Canvas(width: 5, height: 2)
    canvas.write("hello", x: 0, y: 0)
    canvas.write("world", x: 0, y: 1, style: red)
    canvas.setStyle(blue, in: Rect(x: 1, y: 1, width: 2, height: 5))
    #expect(canvas.lines() == ["hello", "world"])
    #expect((0..<5).map { canvas[$0, 1].style } == [red, blue, blue, red, red])
    #expect((0..<5).allSatisfy { canvas[$0, 0].style == .plain })
  }

  @Test func setStyleRestylesAWideCharacterWhole() {
    var canvas = Canvas(width: 6, height: 1)
    canvas.write("한글어", x: 0, y: 0)
    // Covers the right half of 한 and the left half of 어 (and all of 글).
    canvas.setStyle(red, in: Rect(x: 1, y: 0, width: 4, height: 1))
    #expect((0..<6).allSatisfy { canvas[$0, 0].style == red })
    #expect(canvas.lines() == ["한글어"])
  }

  @Test func setStyleOutsideTheCanvasDoesNothing() {
    var canvas = Canvas(width: 3, height: 1)
    canvas.setStyle(red, in: Rect(x: 3, y: 0, width: 2, height: 1))
    canvas.setStyle(red, in: Rect(x: 0, y: 0, width: 0, height: 1))
    #expect(canvas == Canvas(width: 3, height: 1))
  }

  /// A whole screen, compared as lines like ratatui's `Buffer::with_lines` tests.
  @Test func screenSnapshot() {
    var canvas = Canvas(width: 20, height: 5)
    let bar = Style(reverse: true)
    canvas.fill(canvas.area.row(0), with: Cell(grapheme: " ", style: bar))
    canvas.write("ocrview 3/12 페이지", x: 0, y: 0, style: bar)
    canvas.write("┌" + String(repeating: "─", count: 18) + "┐", x: 0, y: 1)
    for y in 2...3 {
      canvas.write("│", x: 0, y: y)
      canvas.write("│", x: 19, y: y)
    }
    canvas.write("└" + String(repeating: "─", count: 18) + "┘", x: 0, y: 4)
    canvas.write("안녕하세요 world", x: 1, y: 2, maxWidth: 18)
    canvas.write("漢字テキストが長すぎる", x: 2, y: 3, maxWidth: 17)

    #expect(
      canvas.lines() == [
        "ocrview 3/12 페이지 ",
        "┌──────────────────┐",
        "│안녕하세요 world  │",
        "│ 漢字テキストが長 │",
        "└──────────────────┘",
      ])
    #expect(canvas.lines().allSatisfy { DisplayWidth.of($0) == 20 })
    #expect((0..<20).allSatisfy { canvas[$0, 0].style == bar })
    #expect(canvas.wideCharacterViolation() == nil)
  }

  @Test func linesInitializerBuildsTheExpectedScreen() {
    let canvas = Canvas(lines: ["한국어", "ab", ""])
    #expect(canvas.width == 6)
    #expect(canvas.height == 3)
    #expect(canvas.lines() == ["한국어", "ab    ", "      "])
    var drawn = Canvas(width: 6, height: 3)
    drawn.write("한국어", x: 0, y: 0)
    drawn.write("ab", x: 0, y: 1)
    #expect(canvas == drawn)
  }

  // MARK: - changes(since:)

  @Test func everythingChangesSinceNothingOrADifferentSize() {
    var canvas = Canvas(width: 3, height: 2)
    canvas.write("한a", x: 0, y: 1)
    let all = [
      CellRun(x: 0, y: 0, cells: [.blank, .blank, .blank]),
      CellRun(x: 0, y: 1, cells: [Cell(grapheme: "한"), Cell(grapheme: ""), Cell(grapheme: "a")]),
    ]
    #expect(canvas.changes(since: nil) == all)
    #expect(canvas.changes(since: Canvas(width: 4, height: 2)) == all)
    #expect(canvas.changes(since: Canvas(width: 3, height: 1)) == all)
  }

  @Test func nothingChangesSinceAnEqualCanvas() {
    var canvas = Canvas(width: 5, height: 2)
    canvas.write("hello", x: 0, y: 0)
    #expect(canvas.changes(since: canvas).isEmpty)
  }

  @Test func changesAreMinimalRuns() {
    var before = Canvas(width: 10, height: 3)
    before.write("0123456789", x: 0, y: 0)
    before.write("abcdefghij", x: 0, y: 1)
    var after = before
    after.write("X", x: 2, y: 0)
    after.write("YZ", x: 5, y: 0)
    after.write("Q", x: 9, y: 0)
    after.write("b", x: 1, y: 1)  // same text: not a change
    after.setStyle(red, in: Rect(x: 0, y: 2, width: 1, height: 1))
    #expect(
      after.changes(since: before) == [
        CellRun(x: 2, y: 0, cells: [Cell(grapheme: "X")]),
        CellRun(x: 5, y: 0, cells: [Cell(grapheme: "Y"), Cell(grapheme: "Z")]),
        CellRun(x: 9, y: 0, cells: [Cell(grapheme: "Q")]),
        CellRun(x: 0, y: 2, cells: [Cell(grapheme: " ", style: red)]),
      ])
  }

  @Test func changedWideCharacterIsRedrawnWithItsContinuation() {
    var before = Canvas(width: 6, height: 1)
    before.write("ab한c", x: 0, y: 0)
    var after = before
    after.write("글", x: 2, y: 0)  // same continuation cell, new character
    #expect(
      after.changes(since: before) == [
        CellRun(x: 2, y: 0, cells: [Cell(grapheme: "글"), Cell(grapheme: "")])
      ])
  }

  @Test func overwrittenHalfOfAWideCharacterRedrawsBothColumns() {
    var before = Canvas(width: 4, height: 1)
    before.write("한", x: 0, y: 0)
    var after = before
    after.write("x", x: 1, y: 0)
    #expect(
      after.changes(since: before) == [
        CellRun(x: 0, y: 0, cells: [Cell(grapheme: " "), Cell(grapheme: "x")])
      ])
    // And back: the run starts at the wide character, not at its continuation.
    #expect(
      before.changes(since: after) == [
        CellRun(x: 0, y: 0, cells: [Cell(grapheme: "한"), Cell(grapheme: "")])
      ])
  }
}

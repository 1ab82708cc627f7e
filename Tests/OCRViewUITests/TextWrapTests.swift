import OCRViewUI
import Testing

@Suite struct TextWrapTests {
  @Test func wrapsEnglishAtSpaces() {
    #expect(
      TextWrap.wrap("The quick brown fox jumps over the lazy dog", width: 10) == [
        "The quick", "brown fox", "jumps over", "the lazy", "dog",
      ])
  }

  @Test func textThatFitsIsUnchanged() {
    #expect(TextWrap.wrap("hello world", width: 11) == ["hello world"])
    #expect(TextWrap.wrap("  indented, trailing  ", width: 40) == ["  indented, trailing  "])
    #expect(TextWrap.wrap("한국어", width: 6) == ["한국어"])
  }

  @Test func wrapsKoreanAtSpacesByDisplayWidth() {
    let text = "대한민국의 수도는 서울입니다"
    let lines = TextWrap.wrap(text, width: 10)
    #expect(lines == ["대한민국의", "수도는", "서울입니다"])
    #expect(TextWrap.wrap(text, width: 17) == ["대한민국의 수도는", "서울입니다"])
    for width in 1...30 {
      let lines = TextWrap.wrap(text, width: width)
      #expect(lines.allSatisfy { DisplayWidth.of($0) <= width || $0.count == 1 })
      #expect(WrapCheck.reassembles(text, lines), "width \(width): \(lines)")
    }
  }

  @Test func hardBreaksAWordLongerThanTheWidth() {
    #expect(TextWrap.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    #expect(
      TextWrap.wrap("a supercalifragilistic b", width: 5) == [
        "a", "super", "calif", "ragil", "istic", "b",
      ])
    // Hangul: a 5-column line holds two syllables.
    #expect(TextWrap.wrap("가나다라마", width: 5) == ["가나", "다라", "마"])
  }

  @Test func widthOneGivesAWideCharacterALineOfItsOwn() {
    #expect(TextWrap.wrap("a한b", width: 1) == ["a", "한", "b"])
    #expect(TextWrap.wrap("한국", width: 1) == ["한", "국"])
    #expect(TextWrap.wrap("한국", width: 3) == ["한", "국"])
  }

  @Test(arguments: [0, -1, -100])
  func widthBelowOneIsTreatedAsOne(_ width: Int) {
    #expect(TextWrap.wrap("ab 한", width: width) == ["a", "b", "한"])
  }

  @Test func neverSplitsACharacter() {
    #expect(TextWrap.wrap("e\u{301}e\u{301}", width: 1) == ["e\u{301}", "e\u{301}"])
    #expect(TextWrap.wrap("👩‍💻👩‍💻", width: 3) == ["👩‍💻", "👩‍💻"])
    #expect(TextWrap.wrap("🇰🇷🇯🇵", width: 2) == ["🇰🇷", "🇯🇵"])
  }

  @Test func keepsExplicitNewlinesAndEmptyLines() {
    #expect(TextWrap.wrap("a\n\nb", width: 10) == ["a", "", "b"])
    #expect(TextWrap.wrap("", width: 10) == [""])
    #expect(TextWrap.wrap("\n", width: 10) == ["", ""])
    #expect(TextWrap.wrap("a\n", width: 10) == ["a", ""])
    #expect(TextWrap.wrap("one two\nthree", width: 3) == ["one", "two", "thr", "ee"])
  }

  @Test func acceptsEveryKindOfNewline() {
    #expect(TextWrap.wrap("a\r\nb\rc\u{2028}d", width: 10) == ["a", "b", "c", "d"])
  }

  @Test func expandsTabsToMultiplesOfFour() {
    #expect(TextWrap.wrap("a\tb", width: 20) == ["a   b"])
    #expect(TextWrap.wrap("\tx", width: 20) == ["    x"])
    #expect(TextWrap.wrap("ab\tc\td", width: 20) == ["ab  c   d"])
    #expect(TextWrap.wrap("한\tx", width: 20) == ["한  x"])
    #expect(TextWrap.wrap("abcd\te", width: 20) == ["abcd    e"])
    #expect(TextWrap.wrap("a\tb", width: 3) == ["a", "b"])  // a tab is a place to break
  }

  @Test func dropsSpacesAtABreak() {
    #expect(TextWrap.wrap("abc   def", width: 5) == ["abc", "def"])
    #expect(TextWrap.wrap("abc def", width: 3) == ["abc", "def"])
  }

  @Test func keepsTrailingSpacesAsFarAsTheyFit() {
    #expect(TextWrap.wrap("abc   ", width: 10) == ["abc   "])
    #expect(TextWrap.wrap("abc   ", width: 4) == ["abc "])
    #expect(TextWrap.wrap("abc   ", width: 3) == ["abc"])
    #expect(TextWrap.wrap("abc def   ", width: 3) == ["abc", "def"])
    #expect(TextWrap.wrap("     ", width: 3) == ["   "])
    #expect(TextWrap.wrap("a  \nb", width: 10) == ["a  ", "b"])
  }

  @Test func keepsIndentationThatFitsWithTheFirstWord() {
    #expect(TextWrap.wrap("  ab cd", width: 5) == ["  ab", "cd"])
    #expect(TextWrap.wrap("    abcd", width: 8) == ["    abcd"])
    #expect(TextWrap.wrap("    abcd", width: 5) == ["abcd"])
    #expect(TextWrap.wrap("  abcdefgh", width: 4) == ["abcd", "efgh"])
  }

  @Test func breaksBetweenChineseAndJapaneseCharacters() {
    #expect(TextWrap.wrap("日本語のテキストです。", width: 6) == ["日本語", "のテキ", "ストで", "す。"])
    // No line starts with closing punctuation or ends with opening punctuation.
    #expect(TextWrap.wrap("「日本」です", width: 4) == ["「日", "本」", "です"])
    #expect(TextWrap.wrap("Hello 世界", width: 7) == ["Hello", "世界"])
    #expect(TextWrap.wrap("漢字abc", width: 5) == ["漢字", "abc"])
  }

  @Test func koreanBreaksOnlyAtSpaces() {
    #expect(TextWrap.wrap("한국어 문장", width: 8) == ["한국어", "문장"])
  }

  @Test func wrapsSubstrings() {
    let text = "xx hello world xx"
    #expect(TextWrap.wrap(text.dropFirst(3).dropLast(3), width: 5) == ["hello", "world"])
  }

  // MARK: - truncate

  @Test func truncateLeavesTextThatFits() {
    #expect(TextWrap.truncate("hello", width: 5) == "hello")
    #expect(TextWrap.truncate("한국어", width: 6) == "한국어")
    #expect(TextWrap.truncate("", width: 0) == "")
  }

  @Test func truncateEndsWithAnEllipsis() {
    #expect(TextWrap.truncate("hello world", width: 5) == "hell…")
    #expect(TextWrap.truncate("hello", width: 1) == "…")
    #expect(TextWrap.truncate("hello", width: 0) == "")
    #expect(TextWrap.truncate("hello", width: -3) == "")
  }

  @Test func truncateCountsWideCharactersAsTwoColumns() {
    #expect(TextWrap.truncate("한국어", width: 5) == "한국…")
    #expect(TextWrap.truncate("한국어", width: 4) == "한…")  // 3 columns: 한 does not split
    #expect(TextWrap.truncate("ab한국", width: 4) == "ab…")
    #expect(TextWrap.truncate("👩‍💻👩‍💻", width: 3) == "👩‍💻…")
    #expect(TextWrap.truncate("e\u{301}tude", width: 3) == "e\u{301}t…")
  }
}

/// The wrapping invariant: the lines, with the spaces dropped at breaks put back and one
/// newline between paragraphs, are the original text (nothing else lost, added or reordered).
enum WrapCheck {
  static func reassembles(_ original: String, _ lines: [String]) -> Bool {
    let text = Array(original.unicodeScalars)
    // Positions in `text` where the previous line can have ended, searched line by line.
    var ends: Set<Int> = [0]
    for (index, line) in lines.enumerated() {
      let scalars = Array(line.unicodeScalars)
      var next: Set<Int> = []
      for end in ends {
        // Between lines: dropped spaces, at most one newline, more dropped spaces.
        var start = end
        var newlines = index == 0 ? 1 : 0  // no newline before the first line
        while true {
          if matches(scalars, in: text, at: start) { next.insert(start + scalars.count) }
          guard start < text.count else { break }
          if text[start] == " " {
            start += 1
          } else if text[start] == "\n" && newlines == 0 {
            newlines += 1
            start += 1
          } else {
            break
          }
        }
      }
      ends = next
    }
    return ends.contains { end in text[end...].allSatisfy { $0 == " " } }
  }

  private static func matches(
    _ line: [Unicode.Scalar], in text: [Unicode.Scalar], at position: Int
  ) -> Bool {
    position + line.count <= text.count && Array(text[position..<position + line.count]) == line
  }
}

import OCRTestSupport
import Testing

@testable import OCRViewUI

/// The memoised wrap is the plain wrap (its lines, and where each of the text's lines starts
/// among them), whatever was appended and however it was cut: a seeded
/// property over pages grown delta by delta (newlines of every kind, "\r" then "\n", wide and
/// combining characters, long words), read at several widths and mixed with unrelated pages.
@Suite struct WrapMemoTests {
  static let pieces = [
    "word ", "스트리밍 ", "a", "\n", "\r", "\r\n", "\n\n", "\u{2028}", "e\u{301}", " ",
    String(repeating: "x", count: 37), "| 0.42 | stream |\n", "\t", "😀",
  ]

  @Test func theMemoisedWrapIsThePlainWrapAsAPageGrows() {
    var random = SplitMix64(seed: 215)
    let memo = WrapMemo()
    for _ in 0..<40 {
      var page = ""
      for _ in 0..<random.below(60) {
        page += random.pick(Self.pieces)
        let width = random.pick([1, 3, 12, 40, 80])
        let plain = TextWrap.wrapParagraphs(page, width: width)
        #expect(
          memo.wrapped(page, width: width) == WrappedText(lines: plain.lines, starts: plain.starts),
          "\(page.debugDescription) w\(width)")
        if random.below(5) == 0 {
          let other = String(page.reversed())  // not an extension: wrapped from scratch
          #expect(memo.lines(other, width: width) == TextWrap.wrap(other, width: width))
        }
      }
    }
  }

  /// `rows(ofLine:)` finds line n's rows: the text's line n wrapped on its own, at every width.
  @Test func theRowsOfALineAreThatLineWrappedOnItsOwn() {
    var random = SplitMix64(seed: 22)
    for _ in 0..<200 {
      let text = (0..<random.below(30)).map { _ in random.pick(Self.pieces) }.joined()
      let width = random.pick([1, 3, 12, 40])
      let wrapped = TextWrap.paragraphs(of: text, width: width)
      let own = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      #expect(wrapped.starts.count == own.count)
      for (index, line) in own.enumerated() {
        #expect(
          Array(wrapped.lines[wrapped.rows(ofLine: index + 1)])
            == TextWrap.wrap(line, width: width), "\(text.debugDescription) w\(width)")
      }
      #expect(wrapped.rows(ofLine: own.count + 1).isEmpty && wrapped.rows(ofLine: 0).isEmpty)
    }
  }

  @Test func aCarriageReturnThenANewlineIsOneLineBreak() {
    let memo = WrapMemo()
    #expect(memo.lines("one\r", width: 10) == TextWrap.wrap("one\r", width: 10))
    #expect(memo.lines("one\r\ntwo", width: 10) == ["one", "two"])
  }
}

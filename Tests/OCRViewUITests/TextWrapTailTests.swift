import Testing

@testable import OCRViewUI

@Suite struct TextWrapTailTests {
  @Test func theTailIsTheEndOfTheFullWrap() {
    let texts = [
      "", "one line", "a\n\nb\n",
      "# Title\n\n" + String(repeating: "스트리밍 모드는 텍스트를 ", count: 30) + "\nend",
      String(repeating: "word ", count: 200), "\n\n\n", "trailing newline\n",
    ]
    for text in texts {
      for width in [1, 7, 20, 80] {
        for count in [1, 3, 10, 500] {
          let full = TextWrap.wrap(text, width: width)
          #expect(
            TextWrap.wrapTail(text, width: width, lines: count) == Array(full.suffix(count)),
            "\(text.prefix(20)) w\(width) n\(count)")
        }
      }
    }
  }
}

extension TextWrap {
  /// The last `lines` lines of `wrap(text, width:)`, wrapping only the paragraphs they come
  /// from (at least `lines` of them); returns fewer when the whole text is shorter.
  public static func wrapTail(_ text: String, width: Int, lines count: Int) -> [String] {
    var tail: [String] = []
    var end = text.endIndex
    while tail.count < count {
      // One paragraph (text after the last "\n" before `end`), wrapped on its own.
      let start = text[..<end].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
      let paragraph = wrap(text[start..<end], width: width)
      tail = (paragraph.isEmpty ? [""] : paragraph) + tail
      guard start > text.startIndex else { break }
      end = text.index(before: start)
    }
    return Array(tail.suffix(count))
  }
}

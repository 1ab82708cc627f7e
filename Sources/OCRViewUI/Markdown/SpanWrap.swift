/// Wrapping styled text by display width: `TextWrap` breaks the plain text, and each wrapped
/// character takes the style of the span it came from. `TextWrap` only ever drops spaces and
/// newlines, so walking both in step, skipping those, pairs every character with its source.
enum SpanWrap {
  static func wrap(_ spans: [Span], width: Int) -> [StyledLine] {
    guard !spans.isEmpty else { return [] }
    if spans.count == 1 {  // one style: no mapping needed
      return TextWrap.wrap(spans[0].text, width: width).map {
        $0.isEmpty ? [] : [Span($0, spans[0].style)]
      }
    }
    var characters: [Character] = []
    var owners: [Int] = []  // index of each character's span
    for (index, span) in spans.enumerated() {
      for character in span.text {
        characters.append(character)
        owners.append(index)
      }
    }
    var position = 0
    var result: [StyledLine] = []
    for line in TextWrap.wrap(String(characters), width: width) {
      var styled: StyledLine = []
      for character in line {
        while position < characters.count && characters[position] != character
          && (characters[position] == " " || characters[position].isNewline)
        {
          position += 1
        }
        let owner = owners[min(position, owners.count - 1)]
        if position < characters.count && characters[position] == character { position += 1 }
        styled.append(String(character), spans[owner].style)
      }
      result.append(styled)
    }
    return result
  }
}

extension Array where Element == Span {
  /// Columns the line takes.
  var displayWidth: Int { reduce(0) { $0 + DisplayWidth.of($1.text) } }

  /// Appends text, joining the last span when it has the same style (fewer, longer spans).
  mutating func append(_ text: some StringProtocol, _ style: Style) {
    guard !text.isEmpty else { return }
    if last?.style == style {
      self[count - 1].text += text
    } else {
      append(Span(String(text), style))
    }
  }
}

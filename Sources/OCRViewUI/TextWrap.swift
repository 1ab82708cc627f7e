/// Breaking text into lines that fit a number of terminal columns, by display width.
public enum TextWrap {
  /// Wraps text to lines of at most `width` display columns.
  ///
  /// - Each newline (any `Character.isNewline`: "\n", "\r\n", "\r", U+2028, …) ends a line;
  ///   empty lines are kept, and text ending in a newline ends with an empty line.
  /// - Tabs become spaces up to the next multiple of 4 columns, counted from the start of the
  ///   line in `text` (before wrapping).
  /// - Lines break after spaces where possible; the spaces at a break are dropped. Spaces at the
  ///   start of a line in `text` (indentation) are kept when the first word fits after them, and
  ///   spaces at its end as far as they fit. Text that fits is returned unchanged.
  /// - Between Chinese/Japanese ideographs and kana, which are written without spaces, a line may
  ///   also break between any two characters, except before closing punctuation ("。", "」") and
  ///   after opening punctuation ("「"). Korean is written with spaces and breaks at them.
  /// - A word longer than `width` is broken between characters; a `Character` is never split.
  /// - `width` < 1 is treated as 1; a 2-column character on a 1-column line still takes a line
  ///   of its own, the one case where a line is wider than `width`.
  public static func wrap(_ text: some StringProtocol, width: Int) -> [String] {
    wrapParagraphs(text, width: width).lines
  }

  /// `wrap`, and where each of the text's own lines (paragraphs) starts among the wrapped
  /// ones: `starts[n]` is the index of the first wrapped line of line n + 1. How the text pane
  /// finds the rows of a line named by number (the model's doubtful lines).
  static func wrapParagraphs(_ text: some StringProtocol, width: Int) -> (
    lines: [String], starts: [Int]
  ) {
    let width = max(1, width)
    var lines: [String] = []
    var starts: [Int] = []
    var paragraph: [Character] = []
    for character in text {
      if character.isNewline {
        starts.append(lines.count)
        wrapParagraph(paragraph, width: width, into: &lines)
        paragraph.removeAll(keepingCapacity: true)
      } else {
        paragraph.append(character)
      }
    }
    starts.append(lines.count)
    wrapParagraph(paragraph, width: width, into: &lines)
    return (lines, starts)
  }

  /// Cuts text to at most `width` columns, ending with "…" when it was cut. Text that fits is
  /// returned unchanged (newlines and tabs included: this measures, it does not clean up).
  public static func truncate(_ text: some StringProtocol, width: Int) -> String {
    if DisplayWidth.of(text) <= width { return String(text) }
    guard width > 0 else { return "" }
    var result = ""
    var used = 0
    for character in text {
      let columns = DisplayWidth.of(character)
      if used + columns > width - 1 { break }
      result.append(character)
      used += columns
    }
    return result + "…"
  }

  // MARK: - Paragraphs

  private struct Glyph {
    var character: Character
    var width: Int
    var isSpace: Bool { character == " " }
  }

  /// Builds lines, breaking before a character that would overflow.
  private struct LineBuilder {
    let width: Int
    var line = ""
    var lineWidth = 0

    mutating func append(_ glyph: Glyph) {
      line.append(glyph.character)
      lineWidth += glyph.width
    }

    /// Appends, first starting a new line if the glyph would not fit on this one (unless this
    /// one is empty: a glyph wider than the line still needs a line).
    mutating func appendBreaking(_ glyph: Glyph, lines: inout [String]) {
      if glyph.width > 0 && lineWidth > 0 && lineWidth + glyph.width > width {
        newLine(&lines)
      }
      append(glyph)
    }

    mutating func newLine(_ lines: inout [String]) {
      lines.append(line)
      line = ""
      lineWidth = 0
    }
  }

  /// Wraps one line of `text` (no newlines in it) and appends the resulting lines.
  private static func wrapParagraph(
    _ characters: [Character], width: Int, into lines: inout [String]
  ) {
    var builder = LineBuilder(width: width)
    var pending: [Glyph] = []  // spaces after the last word, not yet placed
    var pendingWidth = 0
    var hasWord = false
    for word in words(in: expandingTabs(characters)) {
      if word.first?.isSpace ?? true {
        pending += word
        pendingWidth += word.reduce(0) { $0 + $1.width }
        continue
      }
      let wordWidth = word.reduce(0) { $0 + $1.width }
      if builder.lineWidth + pendingWidth + wordWidth <= width {
        for glyph in pending + word { builder.append(glyph) }
      } else if !hasWord {
        // Indentation that does not fit with the first word is dropped, not put on a line alone.
        for glyph in word { builder.appendBreaking(glyph, lines: &lines) }
      } else {
        builder.newLine(&lines)  // the spaces in between are dropped
        for glyph in word { builder.appendBreaking(glyph, lines: &lines) }
      }
      hasWord = true
      pending.removeAll(keepingCapacity: true)
      pendingWidth = 0
    }
    for glyph in pending {  // trailing spaces: kept as far as they fit
      guard builder.lineWidth + glyph.width <= width else { break }
      builder.append(glyph)
    }
    lines.append(builder.line)
  }

  /// Measures each character, turning each tab into spaces up to the next multiple of 4.
  private static func expandingTabs(_ characters: [Character]) -> [Glyph] {
    var glyphs: [Glyph] = []
    glyphs.reserveCapacity(characters.count)
    var column = 0
    for character in characters {
      if character == "\t" {
        let spaces = 4 - column % 4
        for _ in 0..<spaces { glyphs.append(Glyph(character: " ", width: 1)) }
        column += spaces
      } else {
        let width = DisplayWidth.of(character)
        glyphs.append(Glyph(character: character, width: width))
        column += width
      }
    }
    return glyphs
  }

  /// Splits into runs of spaces and words: runs of other characters, further split where
  /// Chinese/Japanese text allows a break between characters.
  private static func words(in glyphs: [Glyph]) -> [ArraySlice<Glyph>] {
    var result: [ArraySlice<Glyph>] = []
    var start = 0
    for index in glyphs.indices.dropFirst() {
      let before = glyphs[index - 1]
      let after = glyphs[index]
      if before.isSpace != after.isSpace
        || (!after.isSpace && allowsBreak(between: before.character, and: after.character))
      {
        result.append(glyphs[start..<index])
        start = index
      }
    }
    if start < glyphs.count { result.append(glyphs[start...]) }
    return result
  }

  /// Whether a line may break between two adjacent non-space characters.
  static func allowsBreak(between before: Character, and after: Character) -> Bool {
    guard isIdeographic(before) || isIdeographic(after) else { return false }
    switch before.unicodeScalars.first!.properties.generalCategory {
    case .openPunctuation, .initialPunctuation: return false
    default: break
    }
    switch after.unicodeScalars.first!.properties.generalCategory {
    case .closePunctuation, .finalPunctuation, .otherPunctuation: return false
    default: return true
    }
  }

  /// Han ideographs and kana: scripts written without spaces between words.
  private static func isIdeographic(_ character: Character) -> Bool {
    switch character.unicodeScalars.first!.value {
    case 0x2E80...0x2FDF,  // CJK and Kangxi radicals
      0x3040...0x30FF,  // hiragana, katakana
      0x3400...0x4DBF,  // CJK extension A
      0x4E00...0x9FFF,  // CJK unified ideographs
      0xF900...0xFAFF,  // CJK compatibility ideographs
      0x20000...0x3FFFD:  // CJK extension B and later
      return true
    default:
      return false
    }
  }
}

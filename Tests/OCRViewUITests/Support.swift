import OCRTestSupport
import OCRViewUI

/// Random text mixing what OCR output contains: ASCII words and spaces, Hangul, CJK and kana,
/// fullwidth forms, combining marks, emoji (with modifiers, flags and ZWJ sequences), zero-width
/// spaces, CJK punctuation and newlines.
func randomText(_ random: inout SplitMix64, maxLength: Int = 40, newlines: Bool = true) -> String {
  var text = ""
  let emoji = ["😀", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🇰🇷", "❤️", "1️⃣", "🚀", "⌚"]
  for _ in 0..<random.below(maxLength + 1) {
    switch random.below(20) {
    case 0...5: text.append(Character(Unicode.Scalar(UInt8(97 + random.below(26)))))
    case 6...8: text += " "
    case 9...10: text.append(scalar(0xAC00 + random.below(11172)))  // Hangul syllable
    case 11: text.append(scalar(0x4E00 + random.below(0x5000)))  // CJK ideograph
    case 12: text.append(scalar(0x3041 + random.below(86)))  // hiragana
    case 13: text.append(scalar(0xFF01 + random.below(94)))  // fullwidth ASCII
    case 14: text += random.pick(["\u{301}", "\u{308}", "\u{20DD}"])  // combining mark
    case 15: text += random.pick(emoji)
    case 16: text += random.pick(["\u{200B}", "。", "「", "」", ",", ".", "…", "é"])
    case 17: text += newlines ? "\n" : " "
    default: text += random.pick(["  ", "the", "한국어", "日本"])
    }
  }
  return text
}

private func scalar(_ value: Int) -> Character {
  Character(Unicode.Scalar(UInt32(value))!)
}

extension Canvas {
  /// Every cell, row by row.
  var allCells: [[Cell]] {
    (0..<height).map { y in (0..<width).map { x in self[x, y] } }
  }

  /// The pairing a terminal relies on: every continuation cell follows a 2-column character,
  /// every 2-column character is followed by a continuation, every other cell is 1 column.
  /// Returns a description of the first violation, or nil.
  func wideCharacterViolation() -> String? {
    for y in 0..<height {
      var x = 0
      while x < width {
        let cell = self[x, y]
        if cell.isContinuation { return "orphan continuation at (\(x), \(y))" }
        let columns = DisplayWidth.of(cell.grapheme)
        if cell.grapheme.count != 1 { return "\(cell.grapheme.debugDescription) at (\(x), \(y))" }
        switch columns {
        case 1:
          x += 1
        case 2:
          guard x + 1 < width, self[x + 1, y].isContinuation else {
            return "wide \(cell.grapheme) at (\(x), \(y)) without continuation"
          }
          x += 2
        default:
          return "width \(columns) at (\(x), \(y))"
        }
      }
    }
    return nil
  }
}

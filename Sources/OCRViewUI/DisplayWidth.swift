/// How many terminal columns text takes.
///
/// A fixed table rather than libc's `wcwidth`, whose answers depend on the process locale and the
/// C library's Unicode version; this way layout is the same everywhere and testable. Swift's
/// `Character` is a grapheme cluster, so a combining mark is already part of its base character
/// ("e\u{301}" is one `Character`, one column).
///
/// - 2 columns: East Asian Wide and Fullwidth characters (Hangul, CJK, kana, fullwidth forms, …)
///   and emoji shown as pictures (a cluster containing U+FE0F, or whose base scalar has
///   Emoji_Presentation, which covers flags, skin tones and ZWJ sequences by their first emoji).
/// - 0 columns: control characters (they are never drawn) and clusters made only of zero-width
///   scalars (nonspacing and enclosing marks, format characters such as U+200B–U+200F and U+FEFF,
///   Hangul medial vowels and final consonants, line and paragraph separators).
/// - 1 column: everything else, including East Asian Ambiguous characters such as "…".
public enum DisplayWidth {
  public static func of(_ character: Character) -> Int {
    if let ascii = character.asciiValue {  // fast path; "\r\n" is ASCII too
      return ascii >= 0x20 && ascii < 0x7F ? 1 : 0
    }
    var base: Unicode.Scalar?
    var emojiVariation = false
    for scalar in character.unicodeScalars {
      if scalar.properties.generalCategory == .control { return 0 }
      if scalar.value == 0xFE0F {
        emojiVariation = true
      } else if base == nil && !isZeroWidth(scalar) {
        base = scalar
      }
    }
    guard let base else { return 0 }
    if emojiVariation || base.properties.isEmojiPresentation || isWide(base.value) { return 2 }
    return 1
  }

  public static func of(_ text: some StringProtocol) -> Int {
    var total = 0
    for character in text { total += of(character) }
    return total
  }

  /// A scalar that takes no column of its own.
  static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x1160...0x11FF, 0xD7B0...0xD7FF:  // Hangul medial vowels, final consonants
      return true
    default:
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .enclosingMark, .format, .control, .lineSeparator,
        .paragraphSeparator:
        return true
      default:
        return false
      }
    }
  }

  /// East Asian Wide (W) and Fullwidth (F) ranges, plus the pictograph blocks terminals draw wide.
  static func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F:  // Hangul Jamo initial consonants
      return true
    case 0x2E80...0xA4CF:  // CJK radicals, kana, CJK ideographs … Yi
      return value != 0x303F  // half-width ideographic space
    case 0xAC00...0xD7A3,  // Hangul syllables
      0xF900...0xFAFF,  // CJK compatibility ideographs
      0xFE10...0xFE19,  // vertical forms
      0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
      0xFF00...0xFF60,  // fullwidth forms
      0xFFE0...0xFFE6,  // fullwidth signs
      0x1F300...0x1F64F,  // pictographs, emoticons
      0x1F900...0x1F9FF,  // supplemental pictographs
      0x20000...0x2FFFD,  // CJK extension B and later
      0x30000...0x3FFFD:  // CJK extension G and later
      return true
    default:
      return false
    }
  }
}

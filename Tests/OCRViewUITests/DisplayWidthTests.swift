import OCRViewUI
import Testing

@Suite struct DisplayWidthTests {
  @Test func asciiIsOneColumnPerCharacter() {
    #expect(DisplayWidth.of("a" as Character) == 1)
    #expect(DisplayWidth.of(" " as Character) == 1)
    #expect(DisplayWidth.of("~" as Character) == 1)
    #expect(DisplayWidth.of("Hello, world!") == 13)
    #expect(DisplayWidth.of("") == 0)
  }

  @Test(arguments: ["\n", "\r", "\r\n", "\t", "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}"])
  func controlCharactersTakeNoColumn(_ text: String) {
    #expect(text.count == 1)
    #expect(DisplayWidth.of(Character(text)) == 0)
  }

  @Test func hangulIsTwoColumnsPerSyllable() {
    #expect(DisplayWidth.of("한국어") == 6)
    #expect(DisplayWidth.of("한" as Character) == 2)
    #expect(DisplayWidth.of("대한민국 만세") == 13)
    // Conjoining jamo: one syllable made of a leading consonant and a vowel, one Character.
    #expect(DisplayWidth.of("\u{1100}\u{1161}" as Character) == 2)
    #expect(DisplayWidth.of("\u{1161}" as Character) == 0)  // a lone medial vowel
    #expect(DisplayWidth.of("ㄱ" as Character) == 2)  // compatibility jamo (U+3131)
  }

  @Test func cjkAndKanaAreTwoColumns() {
    #expect(DisplayWidth.of("漢字") == 4)
    #expect(DisplayWidth.of("日本語のテキスト") == 16)
    #expect(DisplayWidth.of("。「」") == 6)
    #expect(DisplayWidth.of("\u{3000}" as Character) == 2)  // ideographic space
    #expect(DisplayWidth.of("\u{303F}" as Character) == 1)  // half fill space, the exception
    #expect(DisplayWidth.of("\u{20000}" as Character) == 2)  // CJK extension B
    #expect(DisplayWidth.of("\u{F900}" as Character) == 2)  // compatibility ideograph
  }

  @Test func fullwidthFormsAreTwoColumnsAndHalfwidthOne() {
    #expect(DisplayWidth.of("ＡＢＣ") == 6)
    #expect(DisplayWidth.of("！" as Character) == 2)
    #expect(DisplayWidth.of("￥" as Character) == 2)  // U+FFE5
    #expect(DisplayWidth.of("ｱ" as Character) == 1)  // halfwidth katakana U+FF71
    #expect(DisplayWidth.of("︐" as Character) == 2)  // vertical form U+FE10
  }

  @Test func combiningMarksAttachToTheirBase() {
    let decomposed = "e\u{301}"
    #expect(decomposed.count == 1)
    #expect(DisplayWidth.of(decomposed) == 1)
    #expect(DisplayWidth.of("e\u{301}\u{323}x") == 2)
    #expect(DisplayWidth.of("a\u{20DD}") == 1)  // enclosing mark
    #expect(DisplayWidth.of("한\u{302E}") == 2)  // Hangul tone mark on a syllable
    #expect(DisplayWidth.of("\u{301}" as Character) == 0)  // a mark with no base
    #expect(DisplayWidth.of("\u{0915}\u{093E}" as Character) == 1)  // Devanagari "kaa"
  }

  @Test func emojiAreTwoColumns() {
    #expect(DisplayWidth.of("😀" as Character) == 2)
    #expect(DisplayWidth.of("🚀" as Character) == 2)  // outside the table: Emoji_Presentation
    #expect(DisplayWidth.of("🤖" as Character) == 2)
    #expect(DisplayWidth.of("⌚" as Character) == 2)  // U+231A, emoji by default
    #expect(DisplayWidth.of("👍🏽" as Character) == 2)  // skin tone modifier
    #expect(DisplayWidth.of("🇰🇷" as Character) == 2)  // flag: two regional indicators
    #expect(DisplayWidth.of("❤️" as Character) == 2)  // U+2764 U+FE0F
    #expect(DisplayWidth.of("❤" as Character) == 1)  // U+2764 alone is text presentation
    #expect(DisplayWidth.of("1️⃣" as Character) == 2)  // keycap sequence
    #expect(DisplayWidth.of("a😀b") == 4)
  }

  @Test func zwjSequenceIsOneCharacterOfTwoColumns() {
    let technologist = "👩‍💻"
    let family = "👨‍👩‍👧‍👦"
    #expect(technologist.count == 1)
    #expect(family.count == 1)
    #expect(DisplayWidth.of(technologist) == 2)
    #expect(DisplayWidth.of(family) == 2)
    #expect(DisplayWidth.of("[\(family)]") == 4)
  }

  @Test(arguments: [
    "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{FEFF}",
    "\u{2060}", "\u{AD}", "\u{2028}", "\u{2029}", "\u{FE0F}",
  ])
  func zeroWidthCharactersTakeNoColumn(_ text: String) {
    #expect(DisplayWidth.of(Character(text)) == 0)
  }

  @Test func ambiguousWidthCharactersAreOneColumn() {
    #expect(DisplayWidth.of("…") == 1)
    #expect(DisplayWidth.of("αβγ") == 3)
    #expect(DisplayWidth.of("é") == 1)
    #expect(DisplayWidth.of("─│┌") == 3)  // box drawing
  }

  @Test func measuresSubstrings() {
    let text = "ab한국어cd"
    let hangul = text.dropFirst(2).prefix(3)
    #expect(DisplayWidth.of(hangul) == 6)
    #expect(DisplayWidth.of(text[...]) == 10)
  }
}

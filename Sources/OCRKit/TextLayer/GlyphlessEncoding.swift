/// How the invisible text's characters become 2-byte codes of the glyphless font (Identity-H,
/// so a code is a CID) and back into Unicode (the font's ToUnicode CMap).
///
/// A character of the Basic Multilingual Plane is its own code, as tesseract's PDF renderer
/// does. Tesseract writes a character beyond it (emoji, CJK extension B, math letters) as a
/// UTF-16 surrogate pair, two codes its identity CMap maps to two lone surrogates, which
/// poppler does not join into one character: here each such character gets one code of its
/// own from the surrogate range (D800–DFFF: never a character by itself, so no BMP character
/// is lost) and the CMap maps that code to its surrogate pair. 2,048 of them a document.
public struct GlyphlessEncoding: Sendable, Equatable {
  /// Supplementary characters in the order they were first met, each given `0xD800 + index`.
  public private(set) var supplementary: [Unicode.Scalar] = []
  private var codes: [Unicode.Scalar: UInt16] = [:]

  public static let capacity = 0x800

  public init() {}

  /// The codes of `text`'s characters, one per Unicode scalar (so a combining accent or a
  /// ligature copies out as written). Control characters are dropped: they have no meaning in
  /// a text layer. A supplementary character past `capacity` becomes U+FFFD.
  public mutating func codes(for text: String) -> [UInt16] {
    var result: [UInt16] = []
    for scalar in text.unicodeScalars {
      if scalar.properties.generalCategory == .control { continue }
      if scalar.value < 0x10000 {
        result.append(UInt16(scalar.value))
      } else if let code = codes[scalar] {
        result.append(code)
      } else if supplementary.count < Self.capacity {
        let code = UInt16(0xD800 + supplementary.count)
        supplementary.append(scalar)
        codes[scalar] = code
        result.append(code)
      } else {
        result.append(0xFFFD)
      }
    }
    return result
  }

  /// The ToUnicode CMap: one `bfrange` per 256 BMP codes (the spec wants a range's codes to
  /// differ in the last byte only), the surrogate blocks left out, then a `bfchar` for each
  /// supplementary character met.
  public var toUnicodeCMap: String {
    var ranges: [String] = []
    for high in 0..<256 where !(0xD8...0xDF).contains(high) {
      let start = hex(UInt16(high << 8))
      ranges.append("<\(start)> <\(hex(UInt16(high << 8 | 0xFF)))> <\(start)>")
    }
    var text = """
      /CIDInit /ProcSet findresource begin
      12 dict begin
      begincmap
      /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
      /CMapName /Adobe-Identity-UCS def
      /CMapType 2 def
      1 begincodespacerange
      <0000> <FFFF>
      endcodespacerange

      """
    // At most 100 entries a section, as the CMap format asks.
    for chunk in stride(from: 0, to: ranges.count, by: 100) {
      let part = ranges[chunk..<min(chunk + 100, ranges.count)]
      text += "\(part.count) beginbfrange\n" + part.joined(separator: "\n") + "\nendbfrange\n"
    }
    for chunk in stride(from: 0, to: supplementary.count, by: 100) {
      let part = supplementary[chunk..<min(chunk + 100, supplementary.count)]
      text += "\(part.count) beginbfchar\n"
      for (offset, scalar) in zip(part.indices, part) {
        let units = Array(String(Character(scalar)).utf16).map(hex).joined()
        text += "<\(hex(UInt16(0xD800 + offset)))> <\(units)>\n"
      }
      text += "endbfchar\n"
    }
    text += """
      endcmap
      CMapName currentdict /CMap defineresource pop
      end
      end

      """
    return text
  }
}

/// Four upper-case hex digits.
func hex(_ value: UInt16) -> String {
  let digits = String(value, radix: 16, uppercase: true)
  return String(repeating: "0", count: 4 - digits.count) + digits
}

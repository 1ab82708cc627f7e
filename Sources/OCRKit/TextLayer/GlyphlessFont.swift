import CQPDF
import Foundation

/// The font the invisible text is set in: libtesseract's own glyphless TrueType font
/// (`tessdata/pdf.ttf`, 572 bytes, one empty glyph) embedded as a CIDFontType2 under a Type0
/// font with Identity-H encoding — as tesseract's PDF renderer does — with a ToUnicode CMap
/// (`GlyphlessEncoding`) so copy and search give Unicode. Every code maps to the one glyph
/// (the CIDToGIDMap) and advances `TextLayerContent.advance`; the descriptor's Ascent and
/// Descent are the calibrated `TextLayerContent.ascent`/`descent`.
enum GlyphlessFont {
  /// Where libtesseract ships the font.
  static var defaultPath: String {
    (TessData.directory as NSString).appendingPathComponent("pdf.ttf")
  }

  /// The key that marks the objects ocrview adds (the font, the content streams), so a later
  /// run finds its own layer and replaces it.
  static let marker = "/OcrviewTextLayer"

  /// The Type0 font, made once per document and shared by every page, and its ToUnicode
  /// stream, to be filled (`QPDF.replaceData`) once every page's text has been encoded.
  static func make(in pdf: QPDF, fontPath: String)
    throws(SearchablePDFError) -> (font: qpdf_oh, toUnicode: qpdf_oh)
  {
    guard let file = FileManager.default.contents(atPath: fontPath), !file.isEmpty else {
      throw .fontMissing(path: fontPath)
    }
    let fontFile = try pdf.stream(Array(file))
    try pdf.set(pdf.dictionary(of: fontFile), "/Length1", pdf.parse("\(file.count)"))
    let ascent = Int(TextLayerContent.ascent)
    let descent = Int(TextLayerContent.descent)
    let advance = Int(TextLayerContent.advance)
    let descriptor = try pdf.parse(
      "<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5"
        + " /FontBBox [0 \(descent) \(advance) \(ascent)] /ItalicAngle 0"
        + " /Ascent \(ascent) /Descent \(descent) /CapHeight \(ascent) /StemV 80 >>")
    try pdf.set(descriptor, "/FontFile2", fontFile)
    // Every CID (2 bytes big-endian each) → glyph 1, the font's one glyph.
    let cidToGID = try pdf.stream((0..<0x20000).map { UInt8($0 & 1) })
    let cidFont = try pdf.parse(
      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont"
        + " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        + " /DW \(advance) >>")
    try pdf.set(cidFont, "/FontDescriptor", pdf.indirect(descriptor))
    try pdf.set(cidFont, "/CIDToGIDMap", cidToGID)
    let font = try pdf.parse(
      "<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H"
        + " \(marker) true >>")
    try pdf.set(font, "/DescendantFonts", pdf.array([pdf.indirect(cidFont)]))
    let toUnicode = try pdf.stream([])
    try pdf.set(font, "/ToUnicode", toUnicode)
    return (try pdf.indirect(font), toUnicode)
  }
}

import CQPDFFilter

/// Text another tool left invisible on a page — an OCR layer (tesseract's, OCRmyPDF's, a
/// scanner's): text shown in render mode 3, inside the page's own content streams or the
/// forms they draw. `--redo-text` replaces such a layer, as OCRmyPDF's `--redo-ocr` does; text
/// shown any other way is the page's own and is never taken out.
///
/// libqpdf's C API has no content-stream tokens, so this goes through `CQPDFFilter`, a small
/// C++ shim over its tokenizer. Blocking: call it off the cooperative pool.
enum InvisibleText {
  /// What text a page shows (ocrview's own layer not counted).
  struct Found: OptionSet, Sendable, Equatable {
    let rawValue: UInt8
    /// Text in render mode 3: an OCR layer.
    static let invisible = Found(rawValue: UInt8(CQPDF_TEXT_INVISIBLE))
    /// Text in any other mode: seen (or a clip that shapes what is seen).
    static let other = Found(rawValue: UInt8(CQPDF_TEXT_OTHER))
  }

  /// Each page's text (index 0 is page 1).
  static func survey(of path: String, password: String?) throws(SearchablePDFError) -> [Found] {
    var flags: UnsafeMutablePointer<UInt8>?
    var count = 0
    try check(cqpdf_text_survey(path, password, GlyphlessFont.marker, &flags, &count))
    defer { cqpdf_free(flags) }
    guard let flags else { return [] }
    return UnsafeBufferPointer(start: flags, count: count).map { Found(rawValue: $0) }
  }

  /// `path` as a whole file (in memory) with the invisible text of `pages` (1-based) taken
  /// out: each text object that shows only invisible text goes, leaving the state it set
  /// (font, spacing, colour) for what follows; everything else is kept as it was, so the page
  /// renders exactly as before. ocrview's own layer is left for `PageGraft` to remove.
  static func stripped(pages: Set<Int>, from path: String, password: String?)
    throws(SearchablePDFError) -> [UInt8]
  {
    var bytes: UnsafeMutablePointer<UInt8>?
    var length = 0
    let numbers = pages.sorted().map(Int32.init)
    try check(
      numbers.withUnsafeBufferPointer {
        cqpdf_strip_invisible_text(
          path, password, GlyphlessFont.marker, $0.baseAddress, $0.count, 1, &bytes, &length)
      })
    defer { cqpdf_free(bytes) }
    guard let bytes else { throw .pdf("the invisible text could not be removed") }
    return Array(UnsafeBufferPointer(start: bytes, count: length))
  }

  private static func check(_ error: UnsafeMutablePointer<CChar>?) throws(SearchablePDFError) {
    guard let error else { return }
    defer { cqpdf_free(error) }
    throw .pdf("removing invisible text: \(String(cString: error))")
  }
}

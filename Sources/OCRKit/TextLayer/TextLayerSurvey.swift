import Foundation

/// Which pages of a PDF already have text, and whose: what decides, before a searchable PDF is
/// written, that a page is skipped (it has text: never a second layer silently) or replaced
/// (`--redo-text`).
///
/// What can be replaced: a layer ocrview added (`SearchablePDF.write` removes it by its marker
/// before adding the new one). What cannot yet: another tool's invisible text (tesseract's,
/// OCRmyPDF's, a scanner's) lives inside the page's own content streams, and removing only its
/// render-mode-3 text means rewriting those streams token by token — libqpdf does that in
/// C++ (`QPDFObjectHandle::TokenFilter`, what OCRmyPDF's `--redo-ocr` uses through pikepdf),
/// but its C API offers no content-stream tokens. Such pages are reported as `.foreign`.
public enum TextLayerSurvey {
  public enum PageText: Sendable, Equatable {
    /// No extractable text: the page needs a layer.
    case none
    /// Only text ocrview added: a new run replaces it.
    case ocrview
    /// Text of the document's own or another OCR's (possibly beside an ocrview layer).
    case foreign
  }

  /// Each page's text (index 0 is page 1). Opens the file with poppler (what text a reader
  /// sees) and libqpdf (whose it is).
  public static func pages(of path: String, password: String? = nil)
    throws(SearchablePDFError) -> [PageText]
  {
    let own = try SearchablePDF.pagesWithOwnLayer(in: path, password: password)
    let texts = try extractedText(of: path, password: password, without: own)
    return texts.enumerated().map { index, text in
      if !text { return own.contains(index + 1) ? .ocrview : .none }
      return .foreign
    }
  }

  /// For each page, whether poppler extracts any non-blank text from it once ocrview's layer
  /// is set aside (pages in `own` are read from a copy without it).
  private static func extractedText(of path: String, password: String?, without own: Set<Int>)
    throws(SearchablePDFError) -> [Bool]
  {
    var stripped: String?
    if !own.isEmpty {
      let copy =
        NSTemporaryDirectory()
        + "ocrview-survey-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pdf"
      try SearchablePDF.removeOwnLayer(from: path, password: password, to: copy)
      stripped = copy
    }
    defer { if let stripped { unlink(stripped) } }
    do {
      let document = try PDFPages(path: stripped ?? path, password: password)
      return (1...document.pageCount).map(document.hasText)
    } catch { throw .input(error) }
  }
}

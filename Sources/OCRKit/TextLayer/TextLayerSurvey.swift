import Foundation

/// Which pages of a PDF already have text, and whose: what decides, before a searchable PDF is
/// written, that a page is skipped (it has text: never a second layer silently) or replaced
/// (`--redo-text`).
///
/// What can be replaced: a layer ocrview added (`SearchablePDF.write` removes it by its marker
/// before adding the new one), and under `--redo-text` another tool's invisible text — an OCR
/// layer in the page's own content streams, taken out token by token (`InvisibleText`, what
/// OCRmyPDF's `--redo-ocr` does). Never text the page shows: a born-digital page keeps its own.
public enum TextLayerSurvey {
  public enum PageText: Sendable, Equatable {
    /// No extractable text: the page needs a layer.
    case none
    /// Only text ocrview added: a new run replaces it.
    case ocrview
    /// Text of the document's own that it shows (born digital), perhaps beside invisible
    /// text: always left as it is.
    case foreign
    /// Only another tool's invisible text (an OCR layer, render mode 3): `--redo-text`
    /// replaces it.
    case otherLayer
  }

  /// Each page's text (index 0 is page 1). Opens the file with poppler (what text a reader
  /// sees) and libqpdf (whose it is, and how it is drawn). Text poppler finds that the
  /// content streams do not account for as invisible is taken for the page's own.
  public static func pages(of path: String, password: String? = nil)
    throws(SearchablePDFError) -> [PageText]
  {
    let own = try SearchablePDF.pagesWithOwnLayer(in: path, password: password)
    let texts = try extractedText(of: path, password: password, without: own)
    let drawn = try InvisibleText.survey(of: path, password: password)
    return texts.enumerated().map { index, text in
      if !text { return own.contains(index + 1) ? .ocrview : .none }
      let found = index < drawn.count ? drawn[index] : []
      return found == .invisible ? .otherLayer : .foreign
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

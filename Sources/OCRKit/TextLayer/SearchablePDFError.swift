/// Why a searchable PDF (or hOCR file) could not be written: one line that says what to do.
public enum SearchablePDFError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The input could not be opened (encrypted, wrong password, damaged, unreadable).
  case input(DocumentError)
  /// The output names the input file itself (a hard link, a symlink, the same path).
  case outputIsInput(path: String)
  /// libtesseract's glyphless font is not where tessdata is.
  case fontMissing(path: String)
  case pageOutOfRange(page: Int, pageCount: Int)
  /// A placed page's image is not the size of the image page it belongs to.
  case imageUnreadable(path: String, detail: String)
  /// libqpdf failed while building or writing the file.
  case pdf(String)
  case write(WriteError)

  public var description: String {
    switch self {
    case .input(let error): error.description
    case .outputIsInput(let path):
      "\(ServerText.name(path)): is the input file — write the searchable PDF to another name"
    case .fontMissing(let path):
      "\(ServerText.name(path)): tesseract's glyphless font is missing — install tesseract-ocr"
    case .pageOutOfRange(let page, let count):
      "page \(page) does not exist: the document has \(count) page\(count == 1 ? "" : "s")"
    case .imageUnreadable(let path, let detail):
      "\(ServerText.name(path)): the image cannot be put in a PDF (\(detail))"
    case .pdf(let detail): "the PDF could not be written (\(ServerText.name(detail)))"
    case .write(let error): error.description
    }
  }
}

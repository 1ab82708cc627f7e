/// Why a file could not be opened or a page not rendered: one line that says what to do.
public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
  case notFound(path: String)
  case notReadable(path: String, reason: String)
  case notARegularFile(path: String)
  case empty(path: String)
  case unsupportedType(path: String)
  case encrypted(path: String)
  case wrongPassword(path: String)
  case corrupt(path: String, detail: String)
  /// An image too large to decode (`ImagePages.maxPixelSide`, `ImagePages.pixelBudget`):
  /// refused when it is opened, before any decoder sees it.
  case imageTooLarge(path: String, width: Int, height: Int)
  case noPages(path: String)
  case pageOutOfRange(page: Int, pageCount: Int)
  case invalidPageRange(String)
  case renderFailed(page: Int, detail: String)

  /// Every path in it shown with `ServerText.name`: a file's name is anyone's bytes.
  public var description: String {
    let shown = ServerText.name
    return switch self {
    case .notFound(let path): "\(shown(path)): no such file — check the path"
    case .notReadable(let path, let reason):
      "\(shown(path)): cannot be read (\(reason)) — check its permissions"
    case .notARegularFile(let path):
      "\(shown(path)): not a regular file — give a PDF or an image file"
    case .empty(let path): "\(shown(path)): the file is empty (0 bytes) — nothing to OCR"
    case .unsupportedType(let path):
      "\(shown(path)): not a PDF or a supported image (PNG, JPEG, TIFF, GIF, WebP, BMP, PNM)"
    case .encrypted(let path):
      "\(shown(path)): the PDF is encrypted — give its password with --password or OCRVIEW_PDF_PASSWORD"
    case .wrongPassword(let path): "\(shown(path)): wrong password for this encrypted PDF"
    case .corrupt(let path, let detail):
      "\(shown(path)): the file is damaged (\(detail)) — cannot open it"
    case .imageTooLarge(let path, let width, let height):
      "\(shown(path)): the image is \(width)×\(height) pixels, more than "
        + (max(width, height) > ImagePages.maxPixelSide
          ? "\(Self.grouped(ImagePages.maxPixelSide)) a side"
          : "\(Self.grouped(ImagePages.pixelBudget)) in all")
        + " — too large to read; scale it down and try again"
    case .noPages(let path): "\(shown(path)): the document has no pages"
    case .pageOutOfRange(let page, let count):
      "page \(page) does not exist: the document has \(count) page\(count == 1 ? "" : "s")"
    case .invalidPageRange(let text):
      "invalid page range \"\(shown(text))\" — use a list like 1-3,7 or 5-"
    case .renderFailed(let page, let detail): "page \(page) could not be rendered: \(detail)"
    }
  }

  /// 1000000 as "1,000,000".
  private static func grouped(_ number: Int) -> String {
    var digits = Array(String(number))
    var index = digits.count - 3
    while index > 0 {
      digits.insert(",", at: index)
      index -= 3
    }
    return String(digits)
  }
}

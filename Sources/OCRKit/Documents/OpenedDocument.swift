import Dispatch
import Foundation

/// Pages of a document that can be rendered one at a time, on demand.
protocol PageSource: AnyObject {
  var pageCount: Int { get }
  func render(page: Int, maxSide: Int) throws(DocumentError) -> PageImage
}

/// A PDF or image, opened by content, whose pages render on a serial queue of its own.
///
/// Opening and rendering block in C (poppler, leptonica), so they never run on Swift's
/// cooperative pool; callers simply `await`.
public final class OpenedDocument: @unchecked Sendable {
  // Safe: `source` and `warmed` are only touched on `queue`, a serial queue; everything else
  // is immutable.
  public let path: String
  public let kind: DocumentKind
  public let pageCount: Int
  private let source: any PageSource
  private let queue: BlockingQueue
  /// A page rendered by `warm`, handed to the next `render` of it.
  private var warmed: (page: Int, maxSide: Int, result: Result<PageImage, DocumentError>)?

  private init(path: String, kind: DocumentKind, source: any PageSource, queue: BlockingQueue) {
    self.path = path
    self.kind = kind
    self.source = source
    self.queue = queue
    pageCount = source.pageCount
  }

  /// Opens a file: checks it, recognises it by content, and parses just enough to count pages.
  /// `encoding` is how PDF pages become PNG (the benchmarks compare others).
  public static func open(
    path: String, password: String? = nil, encoding: PNGEncoding = .chosen
  ) async throws(DocumentError) -> OpenedDocument {
    let queue = BlockingQueue("ocrview.document")
    return try await queue.run {
      Result { () throws(DocumentError) in
        let (kind, source) = try openSource(path: path, password: password, encoding: encoding)
        return OpenedDocument(path: path, kind: kind, source: source, queue: queue)
      }
    }.get()
  }

  /// Renders and encodes one page (1-based) so its longest side is at most `maxSide` pixels.
  public func render(page: Int, maxSide: Int) async throws(DocumentError) -> PageImage {
    guard (1...pageCount).contains(page) else {
      throw .pageOutOfRange(page: page, pageCount: pageCount)
    }
    return try await queue.run {
      if let warmed = self.warmed, warmed.page == page, warmed.maxSide == maxSide {
        self.warmed = nil
        return warmed.result
      }
      return self.renderNow(page: page, maxSide: maxSide)
    }.get()
  }

  /// Starts rendering a page the caller will ask for soon, while it does something else (the
  /// journal's fingerprint before a run's first page); the next `render` of it takes the result.
  public func warm(page: Int, maxSide: Int) {
    guard (1...pageCount).contains(page) else { return }
    queue.async { self.warmed = (page, maxSide, self.renderNow(page: page, maxSide: maxSide)) }
  }

  private func renderNow(page: Int, maxSide: Int) -> Result<PageImage, DocumentError> {
    Result { () throws(DocumentError) in try source.render(page: page, maxSide: maxSide) }
  }

  private static func openSource(
    path: String, password: String?, encoding: PNGEncoding
  ) throws(DocumentError) -> (DocumentKind, any PageSource) {
    let head = try FileCheck.readableHead(path: path, count: DocumentKind.sniffLength)
    guard let kind = DocumentKind.sniff(head) else { throw .unsupportedType(path: path) }
    if kind == .pdf {
      return (kind, try PDFPages(path: path, password: password, encoding: encoding))
    }
    return (kind, try ImagePages(path: path, bytes: try FileCheck.readAll(path: path), kind: kind))
  }
}

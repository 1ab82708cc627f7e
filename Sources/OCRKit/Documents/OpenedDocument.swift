import Dispatch
import Foundation
import Synchronization

/// Pages of a document that can be rendered one at a time, on demand.
protocol PageSource: AnyObject {
  var pageCount: Int { get }
  func render(page: Int, maxSide: Int) throws(DocumentError) -> PageImage
}

/// A PDF or image, opened by content, whose pages render on a pool of workers (`RenderPool`):
/// one per core for a PDF, each with its own poppler document, so pages rendered ahead for
/// several slots render (and, the cost, encode) at once; one for an image.
///
/// Opening and rendering block in C (poppler, leptonica), so they never run on Swift's
/// cooperative pool; callers simply `await`.
public final class OpenedDocument: @unchecked Sendable {
  // Safe: `warmed` is only touched on worker 0's queue, a serial queue; `warmedKey` is under
  // its lock; everything else is immutable.
  public let path: String
  public let kind: DocumentKind
  public let pageCount: Int
  /// What it was opened with, for what opens it again (a searchable PDF of it).
  public let password: String?
  private let pool: RenderPool
  /// A page rendered by `warm` on worker 0, handed to the next `render` of it.
  private var warmed: (page: Int, maxSide: Int, result: Result<PageImage, DocumentError>)?
  /// Which page `warm` was asked for, so its `render` goes to worker 0 and takes it.
  private let warmedKey = Mutex<(page: Int, maxSide: Int)?>(nil)

  private init(
    path: String, kind: DocumentKind, pool: RenderPool, pageCount: Int, password: String?
  ) {
    self.path = path
    self.password = password
    self.kind = kind
    self.pool = pool
    self.pageCount = pageCount
  }

  /// Render workers for a PDF when none is asked for: one per core.
  public static var defaultWorkers: Int { ProcessInfo.processInfo.activeProcessorCount }

  /// Opens a file: checks it, recognises it by content, and parses just enough to count pages.
  /// `encoding` is how PDF pages become PNG (the benchmarks compare others); `workers`, how
  /// many pages of a PDF may render at once.
  public static func open(
    path: String, password: String? = nil, encoding: PNGEncoding = .chosen,
    workers: Int = defaultWorkers
  ) async throws(DocumentError) -> OpenedDocument {
    try await BlockingQueue.onThread {
      Result { () throws(DocumentError) in
        let open = { @Sendable () throws(DocumentError) -> (DocumentKind, any PageSource) in
          try openSource(path: path, password: password, encoding: encoding)
        }
        let (kind, first) = try open()
        let pool = RenderPool(
          first: first, count: kind == .pdf ? workers : 1,
          open: { () throws(DocumentError) in try open().1 })
        return OpenedDocument(
          path: path, kind: kind, pool: pool, pageCount: first.pageCount, password: password)
      }
    }.get()
  }

  /// An image document's size in pixels (a TIFF's first frame's); nil for a PDF. Blocking
  /// (reads the file's header).
  public var imagePixelSize: (width: Int, height: Int)? {
    kind == .pdf ? nil : ImagePages.pixelSize(of: path)
  }

  /// Sources the pool has opened (for tests).
  func openedSources() async -> Int { await pool.openedSources() }

  /// Renders and encodes one page (1-based) so its longest side is at most `maxSide` pixels.
  ///
  /// A page rendered `.ahead` of need goes to the last worker only: the others stay free for a
  /// page needed now, and a core for the requests that refill a server's slots when a round of
  /// pages ends together (12 slots, 100 pages of 0.5 s: a freed slot's wait for its next request
  /// went from 11–14 ms to 6–8 ms, `ocrview-benchmarks queue`).
  public func render(page: Int, maxSide: Int, urgency: RenderUrgency = .now)
    async throws(DocumentError) -> PageImage
  {
    guard (1...pageCount).contains(page) else {
      throw .pageOutOfRange(page: page, pageCount: pageCount)
    }
    let isWarmed = warmedKey.withLock { key in
      guard let warmed = key, warmed.page == page, warmed.maxSide == maxSide else { return false }
      key = nil
      return true
    }
    let worker = isWarmed ? 0 : urgency == .ahead ? pool.count - 1 : nil
    return try await pool.run(on: worker) { source in
      if isWarmed, let warmed = self.warmed, warmed.page == page, warmed.maxSide == maxSide {
        self.warmed = nil
        return warmed.result
      }
      return Self.render(source, page: page, maxSide: maxSide)
    }.get()
  }

  /// Starts rendering a page the caller will ask for soon, while it does something else (the
  /// journal's fingerprint before a run's first page); the next `render` of it takes the result.
  public func warm(page: Int, maxSide: Int) {
    guard (1...pageCount).contains(page) else { return }
    warmedKey.withLock { $0 = (page, maxSide) }
    pool.async(on: 0) { source in
      self.warmed = (page, maxSide, Self.render(source, page: page, maxSide: maxSide))
    }
  }

  private static func render(_ source: any PageSource, page: Int, maxSide: Int) -> Result<
    PageImage, DocumentError
  > {
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

/// Whether a request or a view waits for a rendered page (`now`), or it is rendered ahead of
/// need (a run's look-ahead).
public enum RenderUrgency: Sendable {
  case now, ahead
}

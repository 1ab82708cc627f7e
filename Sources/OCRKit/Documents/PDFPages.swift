import CPoppler
import Foundation

/// A PDF opened with poppler-glib; pages are rendered with cairo only when asked for.
///
/// Not thread-safe (poppler documents are not): `OpenedDocument` confines it to one queue.
final class PDFPages: PageSource {
  /// LightOnOCR's own demo renders at 200 DPI, capped by the longest side.
  static let renderDPI = 200.0
  /// The most pixels a page is rendered with (a 100 MB raster), whatever `--max-side` and the
  /// page's own size say: a square 200-inch page at `--max-side 10000` would want 400 MB.
  static let pixelBudget = 25_000_000.0

  private let document: OpaquePointer
  let pageCount: Int
  private let encoding: PNGEncoding
  /// The last page's raster, drawn over by the next page of the same size: a 1540-px page is
  /// a 12 MB surface, and allocating one a page let malloc's arenas fragment (peak memory grew
  /// by ~60 KB a page with two render workers) and cost page faults.
  private var spare: CairoRaster?

  init(path: String, password: String?, encoding: PNGEncoding = .chosen) throws(DocumentError) {
    self.encoding = encoding
    let absolute =
      path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    // poppler keeps a descriptor of its own, so the borrowed path may go after opening.
    document = try RawPath.withOpenable(absolute) { openable throws(DocumentError) in
      var error: UnsafeMutablePointer<GError>?
      guard let uri = g_filename_to_uri(openable, nil, &error) else {
        defer { g_error_free(error) }
        throw .notReadable(path: path, reason: Self.message(error))
      }
      defer { g_free(uri) }
      guard let document = poppler_document_new_from_file(uri, password, &error) else {
        defer { g_error_free(error) }
        throw Self.openError(error, path: path, hadPassword: password != nil)
      }
      return document
    }
    pageCount = Int(poppler_document_get_n_pages(document))
    // Throwing after full initialisation runs deinit, which releases the document.
    if pageCount == 0 { throw .noPages(path: path) }
  }

  deinit { g_object_unref(UnsafeMutableRawPointer(document)) }

  func render(page number: Int, maxSide: Int) throws(DocumentError) -> PageImage {
    let started = ContinuousClock.now
    let raster = try self.raster(page: number, maxSide: maxSide)
    defer { spare = raster }
    guard let png = PageEncoder.png(of: raster.surface, encoding: encoding)?.bytes else {
      throw .renderFailed(page: number, detail: "libpng could not encode the page")
    }
    return PageImage(
      number: number, bytes: png, mimeType: "image/png", width: raster.width,
      height: raster.height, renderTime: .now - started)
  }

  /// The page drawn by poppler, its longest side at most `maxSide` pixels (and the DPI and
  /// pixel budget's limits).
  func raster(page number: Int, maxSide: Int) throws(DocumentError) -> CairoRaster {
    guard let page = poppler_document_get_page(document, Int32(number - 1)) else {
      throw .renderFailed(page: number, detail: "poppler could not load the page")
    }
    defer { g_object_unref(UnsafeMutableRawPointer(page)) }
    var widthPt = 0.0
    var heightPt = 0.0
    poppler_page_get_size(page, &widthPt, &heightPt)  // already swapped for /Rotate 90/270
    guard widthPt > 0, heightPt > 0, widthPt.isFinite, heightPt.isFinite else {
      throw .renderFailed(page: number, detail: "the page has no size")
    }
    var scale = min(Self.renderDPI / 72, Double(maxSide) / max(widthPt, heightPt))
    let pixels = widthPt * heightPt * scale * scale
    if pixels > Self.pixelBudget { scale *= (Self.pixelBudget / pixels).squareRoot() }
    let width = max(1, Int((widthPt * scale).rounded()))
    let height = max(1, Int((heightPt * scale).rounded()))
    let raster =
      spare.flatMap { $0.width == width && $0.height == height ? $0 : nil }
      ?? CairoRaster(width: width, height: height)
    spare = nil
    raster.draw { cairo in
      cairo_scale(cairo, Double(width) / widthPt, Double(height) / heightPt)
      poppler_page_render(page, cairo)
    }
    return raster
  }

  /// Whether poppler extracts any non-blank text from the page: it has a text layer, its
  /// own or an OCR's.
  func hasText(page number: Int) -> Bool {
    guard let page = poppler_document_get_page(document, Int32(number - 1)) else { return false }
    defer { g_object_unref(UnsafeMutableRawPointer(page)) }
    guard let text = poppler_page_get_text(page) else { return false }
    defer { g_free(text) }
    return String(cString: text).contains { !$0.isWhitespace }
  }

  private static func openError(
    _ error: UnsafeMutablePointer<GError>?, path: String, hadPassword: Bool
  ) -> DocumentError {
    let code = error.map { Int($0.pointee.code) } ?? -1
    let inPopplerDomain = error?.pointee.domain == poppler_error_quark()
    switch (inPopplerDomain, code) {
    case (true, Int(POPPLER_ERROR_ENCRYPTED.rawValue)):
      return hadPassword ? .wrongPassword(path: path) : .encrypted(path: path)
    case (true, Int(POPPLER_ERROR_OPEN_FILE.rawValue)):
      return .notReadable(path: path, reason: message(error))
    default:
      return .corrupt(path: path, detail: message(error))
    }
  }

  private static func message(_ error: UnsafeMutablePointer<GError>?) -> String {
    guard let text = error?.pointee.message else { return "unknown error" }
    return String(cString: text)
  }
}

/// A white RGB cairo image surface to draw a page on.
final class CairoRaster {
  let surface: OpaquePointer
  let width: Int
  let height: Int

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
  }

  deinit { cairo_surface_destroy(surface) }

  /// Paints the background white, then lets `body` draw.
  func draw(_ body: (OpaquePointer) -> Void) {
    let cairo = cairo_create(surface)!
    cairo_set_source_rgb(cairo, 1, 1, 1)
    cairo_paint(cairo)
    body(cairo)
    cairo_destroy(cairo)
    cairo_surface_flush(surface)
  }
}

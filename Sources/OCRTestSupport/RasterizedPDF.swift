import CPoppler
import Foundation

/// An image-only copy of a PDF: each page rendered by poppler at `dpi` and painted, as one
/// image, onto a page of the same size — a scan of a born-digital document, whose true text
/// and word boxes are the original's. How the searchable PDF is judged without hand labels.
public enum RasterizedPDF {
  /// Writes `input`'s pages as images to `output`; false when poppler cannot open `input`.
  @discardableResult
  public static func write(_ input: String, to output: String, dpi: Double = 150) -> Bool {
    let uri = URL(fileURLWithPath: input).absoluteString
    guard let document = poppler_document_new_from_file(uri, nil, nil) else { return false }
    defer { g_object_unref(UnsafeMutableRawPointer(document)) }
    let surface = cairo_pdf_surface_create(output, 612, 792)
    defer { cairo_surface_destroy(surface) }
    for index in 0..<poppler_document_get_n_pages(document) {
      guard let page = poppler_document_get_page(document, index) else { continue }
      defer { g_object_unref(UnsafeMutableRawPointer(page)) }
      var (width, height) = (0.0, 0.0)
      poppler_page_get_size(page, &width, &height)
      let scale = dpi / 72
      let image = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, Int32((width * scale).rounded()), Int32((height * scale).rounded()))
      let painter = cairo_create(image)
      cairo_set_source_rgb(painter, 1, 1, 1)
      cairo_paint(painter)
      cairo_scale(painter, scale, scale)
      poppler_page_render(page, painter)
      cairo_destroy(painter)
      cairo_pdf_surface_set_size(surface, width, height)
      let cairo = cairo_create(surface)
      cairo_scale(cairo, 1 / scale, 1 / scale)
      cairo_set_source_surface(cairo, image, 0, 0)
      cairo_paint(cairo)
      cairo_show_page(cairo)
      cairo_destroy(cairo)
      cairo_surface_destroy(image)
    }
    return true
  }
}

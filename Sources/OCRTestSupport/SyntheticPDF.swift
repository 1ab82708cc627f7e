import CPoppler

/// Writes PDFs for tests and benchmarks with cairo: letter pages saying "Page N", optionally
/// followed by lines of text (to look like a real page to an encoder) and a red square.
public enum SyntheticPDF {
  /// Body text repeated down a page when `linesPerPage` > 0.
  static let filler =
    "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs."

  /// `redSquare` fills (288, 288)–(432, 432) pt in pure red on every page; `size` is the
  /// page size in points (letter by default).
  public static func write(
    pages: Int, to path: String, linesPerPage: Int = 0, redSquare: Bool = false,
    size: (width: Double, height: Double) = (612, 792)
  ) {
    let surface = cairo_pdf_surface_create(path, size.width, size.height)
    let cairo = cairo_create(surface)
    cairo_select_font_face(cairo, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    for page in 1...max(1, pages) {
      cairo_set_font_size(cairo, 24)
      cairo_move_to(cairo, 72, 100)
      cairo_show_text(cairo, "Page \(page)")
      cairo_set_font_size(cairo, 10)
      for line in 0..<linesPerPage {
        cairo_move_to(cairo, 72, 130 + Double(line) * 14)
        cairo_show_text(cairo, "\(page).\(line + 1) \(filler)")
      }
      if redSquare {
        cairo_set_source_rgb(cairo, 1, 0, 0)
        cairo_rectangle(cairo, 288, 288, 144, 144)
        cairo_fill(cairo)
        cairo_set_source_rgb(cairo, 0, 0, 0)
      }
      cairo_show_page(cairo)
    }
    cairo_destroy(cairo)
    cairo_surface_destroy(surface)
  }
}

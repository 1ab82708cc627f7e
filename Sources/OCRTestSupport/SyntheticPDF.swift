import CPoppler

/// Writes PDFs for tests and benchmarks with cairo: letter pages saying "Page N", optionally
/// followed by lines of text (to look like a real page to an encoder) and a red square.
public enum SyntheticPDF {
  /// Body text repeated down a page when `linesPerPage` > 0.
  static let filler =
    "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs."

  /// The body lines `write` puts on page `page` (its text, for tests that need it).
  public static func lines(page: Int, count: Int) -> [String] {
    (0..<count).map { "\(page).\($0 + 1) \(filler)" }
  }

  /// Pages in `blankPages` get no body lines (only their "Page N").
  /// `redSquare` fills (288, 288)–(432, 432) pt in pure red on every page; `size` is the
  /// page size in points (letter by default); `noiseMegabytes` puts an image of random pixels
  /// that big (it does not compress) on the last page, to make a large file.
  public static func write(
    pages: Int, to path: String, linesPerPage: Int = 0, redSquare: Bool = false,
    size: (width: Double, height: Double) = (612, 792), noiseMegabytes: Int = 0,
    blankPages: Set<Int> = []
  ) {
    let surface = cairo_pdf_surface_create(path, size.width, size.height)
    let cairo = cairo_create(surface)
    cairo_select_font_face(cairo, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    for page in 1...max(1, pages) {
      cairo_set_font_size(cairo, 24)
      cairo_move_to(cairo, 72, 100)
      cairo_show_text(cairo, "Page \(page)")
      cairo_set_font_size(cairo, 10)
      let body = blankPages.contains(page) ? [] : lines(page: page, count: linesPerPage)
      for line in body.indices {
        cairo_move_to(cairo, 72, 130 + Double(line) * 14)
        cairo_show_text(cairo, body[line])
      }
      if noiseMegabytes > 0, page == max(1, pages) { drawNoise(cairo, megabytes: noiseMegabytes) }
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

  private static func drawNoise(_ cairo: OpaquePointer?, megabytes: Int) {
    let side = Int32((Double(megabytes << 20) / 4).squareRoot())
    let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side)
    let stride = Int(cairo_image_surface_get_stride(image))
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let data = cairo_image_surface_get_data(image)!
    for offset in Swift.stride(from: 0, to: stride * Int(side), by: 8) {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      withUnsafeBytes(of: state) { bytes in
        for index in 0..<8 { data[offset + index] = bytes[index] }
      }
    }
    cairo_surface_mark_dirty(image)
    cairo_save(cairo)
    cairo_scale(cairo, 0.1, 0.1)
    cairo_set_source_surface(cairo, image, 0, 0)
    cairo_paint(cairo)
    cairo_restore(cairo)
    cairo_surface_destroy(image)
  }
}

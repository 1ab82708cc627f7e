import CPoppler
import Foundation

/// Paths of the repository's sample assets and test fixtures, and scratch files.
enum TestFiles {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func asset(_ name: String) -> String { root.appendingPathComponent("assets/\(name)").path }
  static func fixture(_ name: String) -> String {
    root.appendingPathComponent("Tests/Fixtures/\(name)").path
  }

  /// A fresh directory for one test's files.
  static func scratchDirectory() -> String {
    let path = NSTemporaryDirectory() + "ocrview-test-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Writes a PDF of `pages` letter pages, each saying "Page N", with cairo; `redSquare` adds
  /// a red square from (288, 288) to (432, 432) pt.
  static func makePDF(pages: Int, at path: String, redSquare: Bool = false) {
    let surface = cairo_pdf_surface_create(path, 612, 792)
    let cairo = cairo_create(surface)
    for page in 1...pages {
      cairo_select_font_face(cairo, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
      cairo_set_font_size(cairo, 24)
      cairo_move_to(cairo, 72, 100)
      cairo_show_text(cairo, "Page \(page)")
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

import CPoppler
import Foundation

/// Pages that look like real documents — two columns, a ruled table, a Korean article, a
/// skewed scan — drawn with cairo at test time, so the built-in engine is tested on layouts
/// like the ones that broke it, without files nobody can regenerate. Each returns its text in
/// reading order (the ground truth a reader should produce).
public enum SyntheticPages {
  /// Prose with varied words (repeated filler would hide a repeated or dropped line).
  static let paragraphs = [
    "Optical character recognition turns the picture of a page back into text. A scanner "
      + "or a camera records only light and dark, and the program has to find the lines, "
      + "split them into words and decide which letters the shapes most likely are.",
    "Layout analysis comes first. Columns, headings, tables and figures sit side by side on "
      + "a printed page, and a reader who mixes their lines produces sentences that never "
      + "existed. Good software keeps each column together and reads it from top to bottom.",
    "Streaming matters when a page takes seconds. Showing the first finished line early lets "
      + "a person start reading while the machine works through the rest, and the complete "
      + "text at the end must be exactly what a patient reader would have received.",
    "Old typewritten letters, receipts with faded ink and slightly rotated photocopies are "
      + "the everyday cases. Each of them hides a different trap: broken strokes, low "
      + "contrast, or baselines that drift across the width of the sheet.",
    "Tables ask for yet another kind of care. Numbers belong to their rows, labels to their "
      + "columns, and the ruling lines between cells are not letters at all, although a "
      + "careless engine will happily read them as dashes or vertical bars.",
    "Finally there is language. Korean mixes syllable blocks with Latin words and digits, "
      + "German builds long compounds, and French adds accents that change the meaning of "
      + "a word. Every one of them should come back unchanged.",
  ]

  /// A letter page: a title across the top, then two columns of paragraphs.
  @discardableResult
  public static func writeTwoColumns(to path: String) -> String {
    let title = "Reading Pages in Columns"
    page(path) { cairo in
      setFont(cairo, size: 18, bold: true)
      cairo_move_to(cairo, 72, 90)
      cairo_show_text(cairo, title)
      setFont(cairo, size: 10)
      var y = 126.0
      var x = 72.0
      for paragraph in paragraphs {
        let lines = wrap(cairo, paragraph, width: 222)
        if y + Double(lines.count) * 13 > 720 {  // next column
          (x, y) = (318, 126)
        }
        for line in lines {
          cairo_move_to(cairo, x, y)
          cairo_show_text(cairo, line)
          y += 13
        }
        y += 13
      }
    }
    return ([title] + paragraphs).joined(separator: "\n")
  }

  /// A letter page: a heading, a paragraph, a ruled table of words and figures, a paragraph.
  @discardableResult
  public static func writeTable(to path: String) -> String {
    let heading = "Regional Results"
    let rows = [
      ["Region", "Pages", "Words", "Accuracy"],
      ["North", "128", "40211", "97.4"],
      ["East", "96", "30877", "95.1"],
      ["South", "143", "45310", "98.0"],
      ["West", "77", "21954", "93.6"],
      ["Harbour", "52", "16408", "96.2"],
      ["Mountains", "31", "9120", "91.8"],
    ]
    page(path) { cairo in
      setFont(cairo, size: 16, bold: true)
      cairo_move_to(cairo, 72, 90)
      cairo_show_text(cairo, heading)
      setFont(cairo, size: 11)
      var y = 120.0
      for line in wrap(cairo, paragraphs[4], width: 468) {
        cairo_move_to(cairo, 72, y)
        cairo_show_text(cairo, line)
        y += 15
      }
      y += 15
      let widths = [140.0, 100, 110, 110]
      let rowHeight = 24.0
      cairo_set_line_width(cairo, 1)
      for (index, row) in rows.enumerated() {
        var x = 72.0
        setFont(cairo, size: 11, bold: index == 0)
        for (cell, width) in zip(row, widths) {
          cairo_rectangle(cairo, x, y, width, rowHeight)
          cairo_stroke(cairo)
          cairo_move_to(cairo, x + 8, y + 16)
          cairo_show_text(cairo, cell)
          x += width
        }
        y += rowHeight
      }
      y += 30
      setFont(cairo, size: 11)
      for line in wrap(cairo, paragraphs[5], width: 468) {
        cairo_move_to(cairo, 72, y)
        cairo_show_text(cairo, line)
        y += 15
      }
    }
    return ([heading, paragraphs[4]] + rows.map { $0.joined(separator: " ") } + [paragraphs[5]])
      .joined(separator: "\n")
  }

  /// A letter page of Korean: the text band of `source`'s page `number` (a Korean paragraph
  /// and an English one, in the fonts the PDF embeds — no Hangul font need be installed)
  /// drawn three times down the page. Returns the text (nil when the source cannot be read).
  @discardableResult
  public static func writeKorean(from source: String, page number: Int, to path: String)
    -> String?
  {
    guard let document = poppler_document_new_from_file("file://" + source, nil, nil),
      let sourcePage = poppler_document_get_page(document, Int32(number - 1)),
      let text = poppler_page_get_text(sourcePage)
    else { return nil }
    defer {
      g_free(text)
      g_object_unref(UnsafeMutableRawPointer(sourcePage))
      g_object_unref(UnsafeMutableRawPointer(document))
    }
    page(path) { cairo in
      for copy in 0..<3 {
        cairo_save(cairo)
        cairo_translate(cairo, 0, Double(copy) * 220)
        cairo_rectangle(cairo, 0, 60, 612, 220)
        cairo_clip(cairo)
        poppler_page_render(sourcePage, cairo)
        cairo_restore(cairo)
      }
    }
    return Array(repeating: String(cString: text), count: 3).joined(separator: "\n")
  }

  /// Paragraphs set in `font` (a fontconfig family, e.g. NanumMyeongjo for Hangul) at `size`
  /// points, wrapped to letter pages with one-inch margins, as many pages as they need.
  /// Returns each page's text, its lines in reading order (nil when nothing was written).
  @discardableResult
  public static func writeText(
    _ paragraphs: [String], font: String, size: Double = 11, to path: String
  ) -> [String]? {
    let surface = cairo_pdf_surface_create(path, 612, 792)
    defer { cairo_surface_destroy(surface) }
    let cairo = cairo_create(surface)
    defer { cairo_destroy(cairo) }
    cairo_select_font_face(cairo, font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    cairo_set_font_size(cairo, size)
    var pages: [[String]] = [[]]
    var y = 72 + size
    for paragraph in paragraphs where !paragraph.isEmpty {
      for line in wrap(cairo, paragraph, width: 468) {
        if y > 792 - 72 {
          cairo_show_page(cairo)
          pages.append([])
          y = 72 + size
        }
        cairo_set_source_rgb(cairo, 0, 0, 0)
        cairo_move_to(cairo, 72, y)
        cairo_show_text(cairo, line)
        pages[pages.count - 1].append(line)
        y += size * 1.45
      }
      y += size * 0.7
    }
    guard !pages[0].isEmpty else { return nil }
    cairo_show_page(cairo)
    return pages.map { $0.joined(separator: "\n") }
  }

  /// A 150-DPI greyscale "scan" (PNG) of paragraphs turned by `degrees` (clockwise), on
  /// off-white paper with seeded specks, as a photocopy fed in askew. (Tesseract 5.3 itself,
  /// command line included, reads this page fully at 0, 1 and −2.5°, but drops paragraphs at
  /// +2.5° and all of them at 4°.)
  @discardableResult
  public static func writeRotatedScan(to path: String, degrees: Double = -2.5) -> String {
    let (width, height) = (1275, 1650)
    let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
    let cairo = cairo_create(surface)
    cairo_set_source_rgb(cairo, 0.94, 0.93, 0.9)
    cairo_paint(cairo)
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    cairo_set_source_rgb(cairo, 0.5, 0.5, 0.5)
    for _ in 0..<300 {  // specks of dust
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let x = Double((state >> 33) % UInt64(width))
      let y = Double((state >> 13) % UInt64(height))
      cairo_rectangle(cairo, x, y, 1, 1)
      cairo_fill(cairo)
    }
    cairo_translate(cairo, Double(width) / 2, Double(height) / 2)
    cairo_rotate(cairo, degrees * .pi / 180)
    cairo_translate(cairo, -Double(width) / 2, -Double(height) / 2)
    cairo_scale(cairo, 150.0 / 72, 150.0 / 72)  // points to 150-DPI pixels
    cairo_set_source_rgb(cairo, 0.12, 0.12, 0.12)
    setFont(cairo, size: 11)
    var y = 100.0
    let text = Array(paragraphs[0...3])
    for paragraph in text {
      for line in wrap(cairo, paragraph, width: 450) {
        cairo_move_to(cairo, 80, y)
        cairo_show_text(cairo, line)
        y += 16
      }
      y += 12
    }
    cairo_destroy(cairo)
    cairo_surface_write_to_png(surface, path)
    cairo_surface_destroy(surface)
    return text.joined(separator: "\n")
  }

  /// One letter-size PDF page drawn by `draw`, black text on white.
  private static func page(_ path: String, draw: (OpaquePointer?) -> Void) {
    let surface = cairo_pdf_surface_create(path, 612, 792)
    let cairo = cairo_create(surface)
    cairo_set_source_rgb(cairo, 0, 0, 0)
    draw(cairo)
    cairo_show_page(cairo)
    cairo_destroy(cairo)
    cairo_surface_destroy(surface)
  }

  private static func setFont(_ cairo: OpaquePointer?, size: Double, bold: Bool = false) {
    cairo_select_font_face(
      cairo, "serif", CAIRO_FONT_SLANT_NORMAL,
      bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
    cairo_set_font_size(cairo, size)
  }

  /// Greedy word wrap to `width` points in the current font.
  static func wrap(_ cairo: OpaquePointer?, _ text: String, width: Double) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      let candidate = line.isEmpty ? String(word) : line + " " + word
      var extents = cairo_text_extents_t()
      cairo_text_extents(cairo, candidate, &extents)
      if extents.x_advance > width, !line.isEmpty {
        lines.append(line)
        line = String(word)
      } else {
        line = candidate
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}

import Foundation

/// The content stream that draws one page's words as invisible text (render mode 3) in the
/// glyphless font, each word where it stands on the page.
///
/// ## Calibration: the box a viewer draws is the line's box
/// A viewer computes a selected word's box from the font, not from glyphs (there are none):
/// poppler (`pdftotext -bbox`, evince, okular) takes the baseline minus size × Ascent up to the
/// baseline minus size × Descent, from the font descriptor. One font serves every line, so its
/// Ascent/Descent ratio is fixed, and a line's real baseline sits at a different fraction of
/// its box from line to line (a line without descenders has its baseline at the box's
/// bottom). Matching the box and the baseline at once is impossible; the box is what a
/// selection highlight and the measure (IoU of `pdftotext -bbox` boxes) see, and an
/// invisible baseline is seen by no one. So the font size is the line's text height divided
/// by (Ascent − Descent), and the baseline is put `ascent` of that height below the line's
/// top: the word's box is the line's box exactly. `ascent`/`descent` split it 0.8/0.2, a
/// typical Latin font's split, so the baseline lands near the printed one too.
///
/// ## The font size is the printed one
/// Readers group lines by their font size: poppler joins two lines into one block only when
/// their baselines lie within 1.5 times the size and their sizes within 5 % (which is how it
/// reads a table's column down, a paragraph through). A line's type box runs from its
/// ascenders' top to its descenders' bottom, which is 0.78 (Courier) to 0.93 (Helvetica) of
/// the printed em; with Ascent − Descent at 1 em the layer's size was that band, a fifth under
/// the printed size, and poppler read the rows of a monospaced table 12 pt apart at 10 pt as
/// lone words one after another. At 0.85 em (680/−170) the size is the printed one within
/// about a tenth: on the benchmark's tables, words where the original's are and in its order
/// went from 74.6 to 81.7 %, nothing else moved (`scripts/searchable-pdf-benchmark`).
///
/// The line's own baselines give its slope, and the text height is the box's height less the
/// rise the slope adds across the line. A line within 1 % of level (straight type, and the
/// noise of tesseract's baseline fit) is turned along it. A skewed scan's words stand upright
/// on the line where their middles are: poppler cuts turned words where their letters drift
/// off its baseline (`profe` `ssional` at 2°; of OCRmyPDF's `skew.pdf` 89.4 % of the words
/// copied out, of `rotated_skew.pdf` 77.1 %; upright, 95.9 and 97.0 % — tesseract's own PDF,
/// turned, 94.9 %). Upright on straight lines too, two Korean words that touch were read as
/// one (`scripts/searchable-pdf-benchmark`, man(1)), so straight lines stay as they were.
///
/// Each word's horizontal scale (`Tz`) makes its advance its box's width; a space follows every
/// word but a line's last, scaled to reach the next word, so copy, paste and `pdftotext` give
/// spaced words and nothing overlaps. A word that touches the next ends 0.15 of the font
/// size short of it, so a reader still sees two words.
public enum TextLayerContent {
  /// The font descriptor's Ascent and Descent, in thousandths of the em.
  public static let ascent = 680.0
  public static let descent = -170.0
  /// Every code's advance (the CIDFont's `/DW`), thousandths of the em: tesseract's value.
  public static let advance = 500.0

  /// The content stream for `page`, drawn with the font resource named `fontName` (without
  /// the slash), in the user space `geometry` describes. Codes come from `encoding`, which
  /// collects the supplementary characters the ToUnicode CMap must map.
  public static func stream(
    for page: PlacedPage, geometry: PageGeometry, fontName: String,
    encoding: inout GlyphlessEncoding
  ) -> String {
    let scale = geometry.pointsPerPixel(imageWidth: page.imageWidth, imageHeight: page.imageHeight)
    let toUser = geometry.displayToUser
    var out = "BT\n3 Tr\n"
    for line in page.blocks.flatMap(\.lines) where !line.words.isEmpty {
      out += drawLine(line, scale: scale, toUser: toUser, fontName: fontName, encoding: &encoding)
    }
    out += "ET\n"
    return out
  }

  private static func drawLine(
    _ line: PlacedLine, scale: (x: Double, y: Double), toUser: AffineTransform,
    fontName: String, encoding: inout GlyphlessEncoding
  ) -> String {
    // Everything in points of the displayed page (y down) from here.
    let left = Double(line.box.x1) * scale.x
    let right = Double(line.box.x2) * scale.x
    let top = Double(line.box.y1) * scale.y
    let bottom = Double(line.box.y2) * scale.y
    let width = max(right - left, 0.01)
    let rise = (line.baselineRight - line.baselineLeft) * scale.y
    let slope = line.box.x2 > line.box.x1 ? rise / width : 0
    let angle = atan(slope)
    // The band the text fills: the box less the slope's rise (never less than a quarter of it,
    // whatever a baseline says).
    let height = max((bottom - top) - abs(rise), (bottom - top) / 4, 0.01)
    let size = height * 1000 / (ascent - descent)
    // The band's top edge at x: through the box's top-left corner when the line falls to the
    // right, through its top-right corner when it rises.
    let pivot = slope >= 0 ? left : right
    func baseline(atX x: Double) -> Double { top + (x - pivot) * slope + size * ascent / 1000 }

    let turned = abs(slope) < 0.01
    let (cosine, sine) = turned ? (cos(angle), sin(angle)) : (1, 0)
    var out = "/\(fontName) \(number(size)) Tf\n"
    let words = line.words.map { word in
      (word, encoding.codes(for: word.text))
    }.filter { !$0.1.isEmpty }
    // Words closer than this are one word to a reader (poppler breaks words at a gap of a
    // tenth of the font size): two words cut from one tesseract word touch, so the first
    // gives up the gap from its end, never more than half its width.
    let minimumGap = size * 0.15
    for (index, (word, codes)) in words.enumerated() {
      let x0 = Double(word.box.x1) * scale.x
      var x1 = max(Double(word.box.x2) * scale.x, x0 + 0.01)
      if index + 1 < words.count {
        let next = Double(words[index + 1].0.box.x1) * scale.x
        if next - x1 < minimumGap { x1 = max(x0 + (x1 - x0) / 2, min(x1, next - minimumGap)) }
      }
      // Text space → displayed page: along the baseline, up perpendicular to it (or upright,
      // on the baseline at the word's middle).
      let display = AffineTransform(
        a: cosine, b: sine, c: sine, d: -cosine, e: x0,
        f: baseline(atX: turned ? x0 : (x0 + x1) / 2))
      let matrix = toUser.concatenating(display)
      let span = (x1 - x0) / cosine
      out +=
        [matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f].map(number)
        .joined(separator: " ") + " Tm\n"
      out += "\(number(stretch(span, codes: codes.count, size: size))) Tz <"
      out += codes.map(hex).joined() + "> Tj\n"
      guard index + 1 < words.count else { continue }
      // The space reaches the next word's start (or is a sliver when they touch or overlap).
      let next = Double(words[index + 1].0.box.x1) * scale.x
      let gap = max((next - x1) / cosine, 0.01)
      out += "\(number(stretch(gap, codes: 1, size: size))) Tz <0020> Tj\n"
    }
    return out
  }

  /// The `Tz` (percent) that makes `codes` glyphs at `size` advance `span` points.
  private static func stretch(_ span: Double, codes: Int, size: Double) -> Double {
    let natural = Double(codes) * advance / 1000 * size
    return max(span / natural * 100, 0.001)
  }

  /// A PDF number: at most 4 decimals, no exponent, no trailing zeros.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    var text = String(format: "%.4f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
  }
}

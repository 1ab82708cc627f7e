import CQPDF
import Foundation

@testable import OCRKit

/// Test pages for the text-layer writers, made from the sample's own words as poppler reads
/// them: the ground truth is the born-digital page itself.
enum TextLayerFixtures {
  /// A page whose layer is one line of `words`, its box `line`, its baseline at `baseline`
  /// (left and right), in pixels of an `imageWidth` × `imageHeight` image.
  static func oneLine(
    _ words: [PlacedWord], line: PixelBox, baseline: (left: Double, right: Double),
    number: Int = 1, imageWidth: Int, imageHeight: Int
  ) -> PlacedPage {
    let placed = PlacedLine(
      box: line, baselineLeft: baseline.left, baselineRight: baseline.right, words: words)
    return PlacedPage(
      number: number, imageWidth: imageWidth, imageHeight: imageHeight,
      blocks: [PlacedBlock(box: line, lines: [placed])])
  }

  /// Page `number` of a letter page at 72 DPI whose layer is one word near its top left.
  static func oneWord(_ number: Int, word: String) -> PlacedPage {
    let box = PixelBox(x1: 10, y1: 10, x2: 200, y2: 40)
    return oneLine(
      [PlacedWord(text: word, box: box, placement: .ownLine)], line: box, baseline: (34, 34),
      number: number, imageWidth: 612, imageHeight: 792)
  }

  /// The words of `layout` placed in pixels of a `imageWidth` × `imageHeight` image of the
  /// page — what the aligner would hand the writers had it matched every word exactly. A
  /// line's box is its words' union; its baseline a fifth of its height above the bottom.
  /// `displayed` is the page's size as displayed (what `pdftotext` calls its width and height
  /// is the unturned crop box).
  static func placed(
    from layout: BBoxPage, number: Int, imageWidth: Int, imageHeight: Int,
    displayed: (width: Double, height: Double) = (612, 792)
  ) -> PlacedPage {
    let scaleX = Double(imageWidth) / displayed.width
    let scaleY = Double(imageHeight) / displayed.height
    func union(_ boxes: [PixelBox]) -> PixelBox {
      PixelBox(
        x1: boxes.map(\.x1).min() ?? 0, y1: boxes.map(\.y1).min() ?? 0,
        x2: boxes.map(\.x2).max() ?? 0, y2: boxes.map(\.y2).max() ?? 0)
    }
    let blocks = layout.blocks.map { lines in
      let placedLines = lines.map { words in
        let placedWords = words.map { word in
          PlacedWord(
            text: word.text,
            box: PixelBox(
              x1: Int((word.x1 * scaleX).rounded()), y1: Int((word.y1 * scaleY).rounded()),
              x2: Int((word.x2 * scaleX).rounded()), y2: Int((word.y2 * scaleY).rounded())),
            placement: .matched(similarity: 1))
        }
        let box = union(placedWords.map(\.box))
        let baseline = Double(box.y2) - 0.2 * Double(box.y2 - box.y1)
        return PlacedLine(
          box: box, baselineLeft: baseline, baselineRight: baseline, words: placedWords)
      }
      return PlacedBlock(box: union(placedLines.map(\.box)), lines: placedLines)
    }
    return PlacedPage(
      number: number, imageWidth: imageWidth, imageHeight: imageHeight, blocks: blocks)
  }

  /// The pixel size `PDFPages.raster` renders a displayed page of `width` × `height` points
  /// to at `dpi`.
  static func imageSize(width: Double, height: Double, dpi: Double) -> (width: Int, height: Int) {
    (Int((width * dpi / 72).rounded()), Int((height * dpi / 72).rounded()))
  }

  /// Rewrites `input` to `output` after `change` edited it with libqpdf.
  static func rewrite(_ input: String, to output: String, _ change: (QPDF) throws -> Void) throws {
    let pdf = QPDF()
    try pdf.read(input, password: nil)
    try change(pdf)
    try AtomicFile.write(pdf.written(linearize: false, deterministic: true), to: output)
  }

  /// `input` (US Letter pages) as a scanner's sideways page is stored: its content turned
  /// by -`rotation` and `/Rotate rotation` (inherited from the page tree: no page says it
  /// itself) turning it upright again, a crop box exactly around it inside a media box off the
  /// origin. Displayed, each page is the input's page; in user space, nothing is where it was.
  /// With `blank`, every page's content is dropped (same geometry, nothing drawn: what a text
  /// layer alone reads as).
  static func turned(_ input: String, to output: String, rotation: Int, blank: Bool = false)
    throws
  {
    let sideways = rotation == 90 || rotation == 270
    let crop = PageGeometry.Rect(
      x1: 60, y1: 362, x2: 60 + (sideways ? 792 : 612), y2: 362 + (sideways ? 612 : 792))
    let media = PageGeometry.Rect(
      x1: crop.x1 - 80, y1: crop.y1 - 50, x2: crop.x2 + 30, y2: crop.y2 + 40)
    // The input's user space → its displayed page (y down) → this page's user space.
    let turn = PageGeometry(mediaBox: media, cropBox: crop, rotate: rotation).displayToUser
      .concatenating(AffineTransform(a: 1, b: 0, c: 0, d: -1, e: 0, f: 792))
    try rewrite(input, to: output) { pdf in
      let pages = pdf.key(qpdf_get_root(pdf.data), "/Pages")
      try pdf.set(pages, "/Rotate", pdf.parse("\(rotation)"))
      for number in 1...(try pdf.pageCount()) {
        let page = pdf.page(number)
        pdf.remove(page, "/Rotate")
        try pdf.set(
          page, "/MediaBox", pdf.parse("[\(media.x1) \(media.y1) \(media.x2) \(media.y2)]"))
        try pdf.set(page, "/CropBox", pdf.parse("[\(crop.x1) \(crop.y1) \(crop.x2) \(crop.y2)]"))
        let contents = pdf.key(page, "/Contents")
        let old = pdf.isStream(contents) ? [contents] : pdf.items(contents)
        let matrix = [turn.a, turn.b, turn.c, turn.d, turn.e, turn.f].map { "\($0)" }
          .joined(separator: " ")
        let open = try pdf.stream(Array("q \(matrix) cm\n".utf8))
        let close = try pdf.stream(Array("\nQ\n".utf8))
        try pdf.set(page, "/Contents", pdf.array(blank ? [] : [open] + old + [close]))
      }
    }
  }
}

import OCRTestSupport
import Testing

@testable import OCRKit

/// Lines tesseract missed, placed on the page's rows of ink (`Placer.placeMissedLinesOnInk`).
struct MissedLinesOnInkTests {
  static let rule = String(repeating: "-", count: 40)

  /// Ink boxes (x range, y range) drawn on a page.
  static func mask(_ boxes: [(Range<Int>, Range<Int>)], width: Int = 1000, height: Int = 400)
    -> InkMask
  {
    InkMask(width: width, height: height) { x, y in
      boxes.contains { $0.0.contains(x) && $0.1.contains(y) }
    }
  }

  /// A dashed rule, 8 px dashes every 12 px.
  static func dashes(_ x: Range<Int>, _ y: Range<Int>) -> [(Range<Int>, Range<Int>)] {
    stride(from: x.lowerBound, to: x.upperBound, by: 12).map {
      ($0..<min($0 + 8, x.upperBound), y)
    }
  }

  /// valgrind's function table as tesseract reads it at 150 DPI: the prose above and the
  /// first row, but neither dashed rule nor the header between them; and a running header's
  /// underline above, which the model does not write.
  static func table() -> (text: String, layout: TesseractLayout) {
    let prose = PixelBox(x1: 100, y1: 40, x2: 400, y2: 60)
    let row = PixelBox(x1: 100, y1: 200, x2: 772, y2: 215)
    var layout = TesseractLayout(
      blocks: [
        WordPlacementTests.block([(prose, 56, [("Then", 100), ("comes", 160), ("counts:", 232)])])
          .blocks[0],
        WordPlacementTests.block([(row, 213, [("8,821,482", 100), ("5", 300), ("getc.c", 700)])])
          .blocks[0],
      ], imageWidth: 1000, imageHeight: 400)
    let printed = layout.words.map { ($0.box.x1..<$0.box.x2, $0.box.y1..<$0.box.y2) }
    let header = [(100..<124, 170..<182), (300..<348, 170..<182), (700..<856, 170..<182)]
    layout.ink = mask(
      printed + header + dashes(100..<900, 150..<152) + dashes(100..<900, 190..<192)
        + [(0..<1000, 70..<72)])
    return (
      "Then comes counts:\n\(rule)Ir\nI1mr\nfile:function\n\(rule)8,821,482 5 getc.c", layout
    )
  }

  /// The rules span the table where they are printed, as tall as the row below them (one
  /// size, so a reader groups them with it), the drawn underline left alone; the header's
  /// pieces stand on its runs of ink; the layer reads in the model's order.
  @Test func aTablesRulesAndHeaderGoWhereThePageShowsThem() {
    let (text, layout) = Self.table()
    let page = WordPlacement.place(
      text: text, layout: layout, page: 1, imageWidth: 1000, imageHeight: 400)
    let boxes = page.words.map { ($0.text, $0.box) }
    #expect(
      boxes.map(\.0) == [
        "Then", "comes", "counts:", Self.rule, "Ir", "I1mr", "file:function", Self.rule,
        "8,821,482", "5", "getc.c",
      ])
    #expect(
      boxes.map(\.1)[3...7] == [
        PixelBox(x1: 100, y1: 144, x2: 900, y2: 160),
        PixelBox(x1: 100, y1: 170, x2: 124, y2: 186),
        PixelBox(x1: 300, y1: 170, x2: 348, y2: 186),
        PixelBox(x1: 700, y1: 170, x2: 856, y2: 186),
        PixelBox(x1: 100, y1: 184, x2: 900, y2: 200),
      ])
    #expect(page.words[3...7].allSatisfy { $0.placement == .ownLine })
  }

  /// Without the page's ink the same lines are stacked above the row, a row each — five
  /// where three are printed, the rules narrower than the table: what the pass changes.
  @Test func withoutThePagesInkEachMissedLineIsStackedOnARowOfItsOwn() {
    var (text, layout) = Self.table()
    layout.ink = nil
    let page = WordPlacement.place(
      text: text, layout: layout, page: 1, imageWidth: 1000, imageHeight: 400)
    let missed = page.words[3...7].map(\.box)
    #expect(Set(missed.map(\.y1)).count == 5, "\(missed)")
    #expect(missed[0].x2 < 900 && missed[0].y1 > 100, "\(missed)")
  }

  /// Four one-dot lines of a table's column are not squeezed onto the one row of ink a
  /// single dot makes between their neighbours (poppler would drop three as duplicates).
  @Test func severalWordsAreNotSqueezedOntoADotsRow() {
    let above = PixelBox(x1: 100, y1: 40, x2: 400, y2: 60)
    let below = PixelBox(x1: 100, y1: 200, x2: 400, y2: 220)
    var layout = TesseractLayout(
      blocks: [
        WordPlacementTests.block([(above, 56, [("alpha", 100)])]).blocks[0],
        WordPlacementTests.block([(below, 216, [("omega", 100)])]).blocks[0],
      ], imageWidth: 1000, imageHeight: 400)
    layout.ink = Self.mask(
      layout.words.map { ($0.box.x1..<$0.box.x2, $0.box.y1..<$0.box.y2) } + [
        (300..<303, 120..<123)
      ])
    let page = WordPlacement.place(
      text: "alpha\n.\n.\n.\n.\nomega", layout: layout, page: 1, imageWidth: 1000,
      imageHeight: 400)
    let dots = page.words.filter { $0.text == "." }.map(\.box)
    #expect(dots.count == 4)
    #expect(Set(dots.map(\.y1)).count == 4, "\(dots)")
  }

  /// Rules on rule bands, text lines on text bands, in order; a drawn rule left over (the
  /// earliest of equal choices), a row shared by the pieces of one printed line.
  @Test func linesAreAssignedToBandsInOrder() {
    let (r, t) = (true, false)
    #expect(Placer.assign(lines: [r, t, r], bands: [r, r, t, r]) == [1, 2, 3])
    #expect(Placer.assign(lines: [r, t, t, t, r], bands: [r, t, r]) == [0, 1, 1, 1, 2])
    #expect(Placer.assign(lines: [t, t], bands: [t, t]) == [0, 1])
    #expect(Placer.assign(lines: [t], bands: [t, r]) == [0])
    #expect(Placer.assign(lines: [r], bands: [t]) == nil)
    #expect(Placer.assign(lines: [t, r], bands: [r, t]) == nil)
    #expect(Placer.assign(lines: [], bands: [t]) == [])
  }

  /// A page of hundreds of missed lines is assigned without recursion (a thread's stack is
  /// small); past a million states the lines are left to the old stacking.
  @Test func manyLinesAreAssignedAndTooManyLeftAlone() {
    let rows = [Bool](repeating: false, count: 600)
    #expect(Placer.assign(lines: rows, bands: rows) == Array(0..<600))
    let more = [Bool](repeating: false, count: 1000)
    #expect(Placer.assign(lines: more, bands: more) == nil)
  }
}

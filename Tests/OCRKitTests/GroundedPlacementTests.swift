import Testing

@testable import OCRKit

/// `GroundedPlacement`: each block's words stay inside the box the model gave the block.
struct GroundedPlacementTests {
  /// A line of words 10 px a character apart, starting at `x`, on row `y` (20 px tall).
  static func line(_ text: String, x: Int, y: Int) -> TesseractLayout.Line {
    var words: [TesseractLayout.Word] = []
    var at = x
    for word in text.split(separator: " ") {
      let width = word.count * 10
      words.append(.init(String(word), box: PixelBox(x1: at, y1: y, x2: at + width, y2: y + 20)))
      at += width + 10
    }
    return .init(
      box: PixelBox(x1: x, y1: y, x2: at - 10, y2: y + 20), baselineLeft: Double(y + 16),
      baselineRight: Double(y + 16), words: words)
  }

  /// Two columns saying the same words (a bilingual page's repeated terms, a form): tesseract
  /// reads the right one first.
  static let layout = TesseractLayout(
    blocks: [
      .init(
        box: PixelBox(x1: 520, y1: 100, x2: 900, y2: 160),
        lines: [line("total due now", x: 520, y: 100), line("see page two", x: 520, y: 140)]),
      .init(
        box: PixelBox(x1: 20, y1: 100, x2: 400, y2: 160),
        lines: [line("total due now", x: 20, y: 100), line("see page one", x: 20, y: 140)]),
    ], imageWidth: 1000, imageHeight: 1000)

  @Test func eachBlocksWordsStayInItsBox() {
    let raw = """
      ![text](10,90,410,170) total due now
      see page one
      ![text](510,90,910,170) total due now
      see page two
      ![caption](100,800,900,900) A figure tesseract did not read
      """
    let page = GroundedPlacement.place(
      rawText: raw, layout: Self.layout, page: 1, imageWidth: 1000, imageHeight: 1000)
    #expect(
      page.words.map(\.text).joined(separator: " ")
        .contains("total due now see page one"))
    let left = PixelBox(x1: 10, y1: 90, x2: 410, y2: 170)
    let right = PixelBox(x1: 510, y1: 90, x2: 910, y2: 170)
    let caption = PixelBox(x1: 100, y1: 800, x2: 900, y2: 900)
    #expect(page.blocks.count == 3)
    #expect(page.blocks[0].lines.flatMap(\.words).allSatisfy { left.contains($0.box) })
    #expect(page.blocks[1].lines.flatMap(\.words).allSatisfy { right.contains($0.box) })
    #expect(page.blocks[0].lines[1].words.map(\.text) == ["see", "page", "one"])
    #expect(page.blocks[1].lines[1].words.map(\.text) == ["see", "page", "two"])
    // The caption had no tesseract line: stacked from the top of its own box.
    let stacked = page.blocks[2].lines.flatMap(\.words)
    #expect(stacked.map(\.text) == ["A", "figure", "tesseract", "did", "not", "read"])
    #expect(stacked.allSatisfy { caption.contains($0.box) })
    #expect(stacked.allSatisfy { $0.placement == .ownLine })
  }

  @Test func textBeforeTheFirstBoxAndAPageWithoutBoxesUseTheFreeLines() {
    let raw = "total due now\n![text](510,90,910,170) total due now see page two"
    let page = GroundedPlacement.place(
      rawText: raw, layout: Self.layout, page: 1, imageWidth: 1000, imageHeight: 1000)
    let words = page.words
    #expect(words.map(\.text).count == 9)
    // The leading line took the left column's lines (the right one's are the block's).
    #expect(words.prefix(3).allSatisfy { $0.box.x2 <= 400 })
    #expect(words.suffix(6).allSatisfy { $0.box.x1 >= 520 })
    let plain = GroundedPlacement.place(
      rawText: "total due now", layout: Self.layout, page: 1, imageWidth: 1000,
      imageHeight: 1000)
    #expect(
      plain
        == WordPlacement.place(
          text: "total due now", layout: Self.layout, page: 1, imageWidth: 1000,
          imageHeight: 1000))
  }
}

import Testing

@testable import OCRKit

/// `PlacedPage.scaled`: the same words, boxes and baselines in a bigger (or smaller) image's
/// pixels.
struct PlacedPageTests {
  static let page = PlacedPage(
    number: 2, imageWidth: 100, imageHeight: 200,
    blocks: [
      PlacedBlock(
        box: PixelBox(x1: 10, y1: 20, x2: 90, y2: 60),
        lines: [
          PlacedLine(
            box: PixelBox(x1: 10, y1: 20, x2: 90, y2: 40), baselineLeft: 36, baselineRight: 37,
            words: [
              PlacedWord(
                text: "Héllo", box: PixelBox(x1: 10, y1: 20, x2: 45, y2: 40),
                placement: .matched(similarity: 0.8)),
              PlacedWord(
                text: "세계", box: PixelBox(x1: 50, y1: 20, x2: 90, y2: 40),
                placement: .interpolated),
            ])
        ])
    ])

  @Test func scalingMovesEveryBoxAndBaselineAndKeepsTheWords() {
    let big = Self.page.scaled(toWidth: 250, height: 300)
    #expect(big.imageWidth == 250 && big.imageHeight == 300 && big.number == 2)
    #expect(big.blocks[0].box == PixelBox(x1: 25, y1: 30, x2: 225, y2: 90))
    let line = big.blocks[0].lines[0]
    #expect(line.box == PixelBox(x1: 25, y1: 30, x2: 225, y2: 60))
    #expect(line.baselineLeft == 54 && line.baselineRight == 55.5)
    #expect(
      line.words.map(\.box) == [
        PixelBox(x1: 25, y1: 30, x2: 113, y2: 60), PixelBox(x1: 125, y1: 30, x2: 225, y2: 60),
      ])
    #expect(big.words.map(\.text) == Self.page.words.map(\.text))
    #expect(big.words.map(\.placement) == Self.page.words.map(\.placement))
    // The same size, or an unknown one, is the page as it is.
    #expect(Self.page.scaled(toWidth: 100, height: 200) == Self.page)
    var unknown = Self.page
    unknown.imageWidth = 0
    #expect(unknown.scaled(toWidth: 250, height: 300) == unknown)
  }
}

import Testing

@testable import OCRKit

/// The pure parts of the text layer: codes, the ToUnicode CMap, page geometry, numbers.
@Suite struct TextLayerEncodingTests {
  @Test func bmpCharactersAreTheirOwnCodesAndOthersTakeSurrogateSlots() {
    var encoding = GlyphlessEncoding()
    #expect(encoding.codes(for: "aé한") == [0x61, 0xE9, 0xD55C])
    #expect(encoding.codes(for: "😀x😀𝔘") == [0xD800, 0x78, 0xD800, 0xD801])
    #expect(encoding.codes(for: "a\u{7}\u{0}b") == [0x61, 0x62])
    let cmap = encoding.toUnicodeCMap
    #expect(cmap.contains("<D800> <D83DDE00>\n<D801> <D835DD18>\n"))
    #expect(cmap.contains("<0000> <00FF> <0000>") && cmap.contains("<FF00> <FFFF> <FF00>"))
    // The surrogate blocks are not mapped as ranges: they are the supplementary slots.
    #expect(!cmap.contains("<D800> <D8FF>") && !cmap.contains("<DF00> <DFFF>"))
    #expect(cmap.components(separatedBy: "beginbfrange").count - 1 == 3)
  }

  @Test func pastItsCapacityASupplementaryCharacterBecomesTheReplacementCharacter() {
    var encoding = GlyphlessEncoding()
    let many = (0..<GlyphlessEncoding.capacity).map { Character(Unicode.Scalar(0x1F000 + $0)!) }
    _ = encoding.codes(for: String(many))
    #expect(encoding.codes(for: "\u{20000}") == [0xFFFD])
    #expect(encoding.codes(for: "\u{1F000}") == [0xD800])
    #expect(encoding.toUnicodeCMap.components(separatedBy: "beginbfchar").count - 1 == 21)
  }

  @Test func theVisibleBoxIsTheCropBoxClippedToTheMediaBox() {
    let media = PageGeometry.Rect(x1: 0, y1: 0, x2: 600, y2: 800)
    #expect(
      PageGeometry(mediaBox: media, cropBox: .init(x1: 500, y1: -10, x2: 50, y2: 900), rotate: 0)
        .visible == .init(x1: 50, y1: 0, x2: 500, y2: 800))
    #expect(
      PageGeometry(mediaBox: media, cropBox: .init(x1: 700, y1: 0, x2: 900, y2: 10), rotate: 0)
        .visible == media)
    #expect(PageGeometry(mediaBox: media, cropBox: nil, rotate: -90).rotation == 270)
    #expect(PageGeometry(mediaBox: media, cropBox: nil, rotate: 45).rotation == 0)
    #expect(PageGeometry(mediaBox: media, cropBox: nil, rotate: 450).displayedSize == (800, 600))
  }

  /// The displayed page's corners land on the visible box's corners as poppler turns them:
  /// clockwise, so the displayed top left is the box's bottom left under /Rotate 90.
  @Test(arguments: [
    (0, (10.0, 820.0)), (90, (10.0, 20.0)), (180, (610.0, 20.0)), (270, (610.0, 820.0)),
  ])
  func theDisplayedTopLeftCornerIsWherePopplerPutsIt(rotation: Int, corner: (Double, Double)) {
    let geometry = PageGeometry(
      mediaBox: .init(x1: 10, y1: 20, x2: 610, y2: 820), cropBox: nil, rotate: rotation)
    let point = geometry.userPoint(pixelX: 0, y: 0, imageWidth: 100, imageHeight: 100)
    #expect(point.x == corner.0 && point.y == corner.1)
  }

  @Test func numbersAreShortAndNeverExponents() {
    #expect(TextLayerContent.number(1) == "1")
    #expect(TextLayerContent.number(-0.00001) == "0")
    #expect(TextLayerContent.number(12.3456789) == "12.3457")
    #expect(TextLayerContent.number(1e-9) == "0")
    #expect(TextLayerContent.number(.nan) == "0")
  }
}

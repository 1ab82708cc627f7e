import OCRTestSupport
import Testing

@testable import OCRKit

/// `InkMask`: the page's dark pixels, cut into bands of rows and runs of columns.
struct InkMaskTests {
  /// Random pages of ink boxes in rows (each row a few boxes, rows apart by blank rows): every
  /// row is one band, as tall and as wide as its boxes, with their ink; its boxes closer than
  /// the gap are one segment, those farther apart are two.
  @Test func bandsAreTheRowsOfInkAndSegmentsTheirRunsOfColumns() {
    var random = SplitMix64(seed: 25)
    for _ in 0..<40 {
      let (width, gap) = (300 + random.below(200), 4 + random.below(8))
      var rows: [(y: Range<Int>, boxes: [Range<Int>])] = []
      var y = random.below(5)
      for _ in 0..<(1 + random.below(6)) {
        let height = 1 + random.below(12)
        var x = random.below(20)
        var boxes: [Range<Int>] = []
        for _ in 0..<(1 + random.below(5)) {
          let length = 1 + random.below(30)
          guard x + length < width else { break }
          boxes.append(x..<(x + length))
          x += length + 1 + random.below(2 * gap)
        }
        rows.append((y..<(y + height), boxes))
        y += height + 1 + random.below(10)
      }
      let height = y + random.below(5)
      let mask = InkMask(width: width, height: height) { x, y in
        rows.contains { $0.y.contains(y) && $0.boxes.contains { $0.contains(x) } }
      }
      // A lone dark pixel in a row (a speck) is no ink.
      let bands = mask.bands(
        in: PixelBox(x1: 0, y1: 0, x2: width, y2: height), excluding: [], gap: gap)
      let expected = rows.filter { row in row.boxes.map(\.count).reduce(0, +) > 1 }
      #expect(bands.count == expected.count, "\(bands) for \(rows)")
      for (band, row) in zip(bands, expected) {
        #expect(band.y1 == row.y.lowerBound && band.y2 == row.y.upperBound)
        #expect(band.x1 == row.boxes.first!.lowerBound && band.x2 == row.boxes.last!.upperBound)
        #expect(band.ink == row.boxes.map(\.count).reduce(0, +) * row.y.count)
        var segments: [Range<Int>] = []
        for box in row.boxes {
          if let last = segments.last, box.lowerBound - last.upperBound < gap {
            segments[segments.count - 1] = last.lowerBound..<box.upperBound
          } else {
            segments.append(box)
          }
        }
        #expect(band.segments == segments)
      }
    }
  }

  /// Pixels inside an excluded box are not ink, and the region clips the rest.
  @Test func excludedBoxesAndTheRegionLeaveInkOut() {
    let mask = InkMask(width: 100, height: 50) { x, y in (10..<20).contains(y) && x < 90 }
    let read = PixelBox(x1: 0, y1: 0, x2: 40, y2: 50)
    let bands = mask.bands(
      in: PixelBox(x1: 0, y1: 0, x2: 80, y2: 50), excluding: [read], gap: 3)
    #expect(
      bands == [InkMask.Band(y1: 10, y2: 20, x1: 40, x2: 80, ink: 400, segments: [40..<80])])
    #expect(mask.bands(in: PixelBox(x1: 0, y1: 25, x2: 100, y2: 50), excluding: [], gap: 3) == [])
  }

  /// Leptonica's one-bit image is copied as it lies (the leftmost pixel in each word's top
  /// bit, rows padded to whole words): on a page of odd width, every pixel of the mask is
  /// the page's.
  @Test func aDecodedImagesMaskIsItsDarkPixels() throws {
    let page = GeometryPage(
      width: 203, height: 61, vertical: [0.10...0.14, 0.86...0.90],
      horizontal: [0.25...0.30], ruled: [(x: 0.3...0.7, y: 0.5...0.9)])
    let image = try #require(LeptonicaImage(png: page.png()))
    let mask = try #require(image.inkMask())
    let pixels = image.rgbPixels()
    #expect((mask.width, mask.height) == (203, 61))
    var differing = 0
    for y in 0..<61 {
      for x in 0..<203 where mask.isDark(x: x, y: y) != (pixels[y * 203 + x] == 0) {
        differing += 1
      }
    }
    #expect(differing == 0)
    #expect(pixels.contains(0) && pixels.contains(0xFFFFFF))
  }
}

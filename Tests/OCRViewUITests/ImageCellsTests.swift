import OCRKit
import Testing

@testable import OCRViewUI

/// Page images as terminal cells, through libchafa, for bitmaps whose look is known.
@Suite struct ImageCellsTests {
  /// `width × height` pixels, each from `colour(x, y)` as (r, g, b).
  static func bitmap(
    width: Int, height: Int, _ colour: (Int, Int) -> (UInt8, UInt8, UInt8)
  ) -> RGBBitmap {
    var pixels: [UInt8] = []
    for y in 0..<height {
      for x in 0..<width {
        let (r, g, b) = colour(x, y)
        pixels += [r, g, b]
      }
    }
    return RGBBitmap(width: width, height: height, pixels: pixels)
  }

  /// Whether a cell shows one flat colour: a blank on that background or a full block in it.
  static func shows(_ cell: ImageCell, _ color: Color) -> Bool {
    (cell.symbol == " " && cell.background == color)
      || (cell.symbol == "█" && cell.foreground == color)
  }

  @Test func blackLeftWhiteRightInColour() {
    let image = Self.bitmap(width: 32, height: 32) { x, _ in x < 16 ? (0, 0, 0) : (255, 255, 255) }
    let cells = ImageCells.make(image, columns: 2, rows: 1, cellAspect: 2, palette: .indexed)
    #expect(cells.columns == 2 && cells.rows == 1)
    // Palette 16 is black, 231 white in the 240-colour cube.
    #expect(Self.shows(cells[0, 0], .indexed(16)), "\(cells[0, 0])")
    #expect(Self.shows(cells[1, 0], .indexed(231)), "\(cells[1, 0])")
  }

  @Test func aTopHalfBlockWhenTheTopIsDarkInMonochrome() {
    // One cell, dark above and light below: drawn as the upper or lower half block.
    let image = Self.bitmap(width: 8, height: 16) { _, y in y < 8 ? (0, 0, 0) : (255, 255, 255) }
    let cells = ImageCells.make(image, columns: 1, rows: 1, cellAspect: 2, palette: .monochrome)
    #expect(["▀", "▄"].contains(cells[0, 0].symbol), "\(cells[0, 0])")
    #expect(cells[0, 0].foreground == .default && cells[0, 0].background == .default)
  }

  @Test func fittingKeepsThePagesProportionsInCellsTwiceAsTallAsWide() {
    // An A4 page (1:1.414) in 60×40 cells: 40 rows tall, 57 columns wide at 1:2 cells.
    let a4 = ImageCells.fit(width: 1089, height: 1540, columns: 60, rows: 40, cellAspect: 2)
    #expect(a4.rows == 40 && a4.columns == 57)
    // A landscape page in the same box is as wide as the box.
    let wide = ImageCells.fit(width: 1540, height: 1089, columns: 60, rows: 40, cellAspect: 2)
    #expect(wide.columns == 60 && wide.rows == 21)
    // A 1×20000 sliver still gets a cell.
    let sliver = ImageCells.fit(width: 1, height: 20000, columns: 60, rows: 40, cellAspect: 2)
    #expect(sliver == (1, 40))
  }
}

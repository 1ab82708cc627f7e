import CTesseract

/// 8-bit RGB pixels, row by row, no padding: a page, or part of one, ready to be drawn in a
/// terminal.
public struct RGBBitmap: Sendable, Equatable {
  public var width: Int
  public var height: Int
  /// `width × height × 3` bytes.
  public var pixels: [UInt8]

  public init(width: Int, height: Int, pixels: [UInt8]) {
    self.width = width
    self.height = height
    self.pixels = pixels
  }
}

/// A part of a page, in fractions of its width and height (0…1): what a zoomed view shows.
public struct PageRegion: Sendable, Hashable {
  public var x: Double
  public var y: Double
  public var width: Double
  public var height: Double

  public init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  public static let whole = PageRegion(x: 0, y: 0, width: 1, height: 1)
}

/// A page image decoded once, from which the viewer's page pane cuts and scales what it shows
/// (zooming and panning decode nothing again).
public final class DecodedPage: Sendable {
  private let image: LeptonicaImage

  /// Decodes the image sent (or to be sent) for OCR; nil if it is not one leptonica reads.
  public init?(_ page: PageImage) {
    guard let image = LeptonicaImage(png: page.bytes) else { return nil }
    self.image = image
  }

  public var width: Int { image.width }
  public var height: Int { image.height }

  /// `region` of the page, scaled down (never up) to fit `maxWidth × maxHeight` pixels.
  ///
  /// `keepingInk` scales a grey copy through a minimum filter as wide as the scale's step, so
  /// a thin stroke darkens the pixel it falls in instead of averaging away: drawn without
  /// colour (two levels, no greys), a text page scaled 4× down otherwise averages to paper
  /// everywhere and shows as one blank block.
  public func bitmap(
    _ region: PageRegion, maxWidth: Int, maxHeight: Int, keepingInk: Bool = false
  ) -> RGBBitmap? {
    let x = Int32(max(0, min(1, region.x)) * Double(width))
    let y = Int32(max(0, min(1, region.y)) * Double(height))
    let w = max(1, Int32(max(0, min(1, region.width)) * Double(width)))
    let h = max(1, Int32(max(0, min(1, region.height)) * Double(height)))
    var box = boxCreate(x, y, w, h)
    defer { boxDestroy(&box) }
    var clipped = pixClipRectangle(image.pix, box, nil)
    defer { pixDestroy(&clipped) }
    guard let clipped else { return nil }
    let scale = min(
      1, Float(max(1, maxWidth)) / Float(pixGetWidth(clipped)),
      Float(max(1, maxHeight)) / Float(pixGetHeight(clipped)))
    var inked = keepingInk && scale < 1 ? Leptonica.minimumFiltered(clipped, step: 1 / scale) : nil
    defer { pixDestroy(&inked) }
    var scaled = Leptonica.scaled(inked ?? clipped, by: scale)
    defer { pixDestroy(&scaled) }
    var rgb = scaled.flatMap { pixConvertTo32($0) }
    defer { pixDestroy(&rgb) }
    guard let rgb, let words = pixGetData(rgb) else { return nil }
    let (width, height) = (Int(pixGetWidth(rgb)), Int(pixGetHeight(rgb)))
    let wordsPerLine = Int(pixGetWpl(rgb))
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for row in 0..<height {
      for column in 0..<width {
        // Leptonica keeps a 32-bit pixel as one word with red in the high byte.
        let word = words[row * wordsPerLine + column]
        let offset = (row * width + column) * 3
        pixels[offset] = UInt8(truncatingIfNeeded: word >> 24)
        pixels[offset + 1] = UInt8(truncatingIfNeeded: word >> 16)
        pixels[offset + 2] = UInt8(truncatingIfNeeded: word >> 8)
      }
    }
    return RGBBitmap(width: width, height: height, pixels: pixels)
  }
}

import CTesseract

/// Small leptonica helpers shared by image decoding and the built-in engine.
enum Leptonica {
  /// Leptonica reports errors on stderr, which would corrupt a curses screen; errors are
  /// detected from return values instead.
  static func silence() { setMsgSeverity(Int32(L_SEVERITY_NONE)) }

  /// Frame `frame` (1-based) of an image file's bytes, decoded; a TIFF by its frame, any other
  /// format whole. The caller owns the result (`pixDestroy`). What the page renderer and the
  /// searchable PDF's image pages both read.
  static func decode(_ bytes: [UInt8], frame: Int, tiff: Bool) -> UnsafeMutablePointer<PIX>? {
    bytes.withUnsafeBufferPointer { buffer in
      tiff
        ? pixReadMemTiff(buffer.baseAddress, buffer.count, Int32(frame - 1))
        : pixReadMem(buffer.baseAddress, buffer.count)
    }
  }

  /// `pix` scaled by `factor` (a copy when it is 1 or more), each side kept at least one pixel:
  /// a 1×20000 image scaled to 1540 px is 1×1540, not an empty image leptonica refuses.
  static func scaled(_ pix: UnsafeMutablePointer<PIX>, by factor: Float) -> UnsafeMutablePointer<
    PIX
  >? {
    guard factor < 1 else { return pixClone(pix) }
    let width = max(1, Int32((Float(pixGetWidth(pix)) * factor).rounded()))
    let height = max(1, Int32((Float(pixGetHeight(pix)) * factor).rounded()))
    return pixScaleToSize(pix, width, height)
  }

  /// A grey copy of `pix` where each pixel is the darkest within a square about `step` pixels
  /// wide (about two steps, odd, at least 3): scaled down by `step` afterwards, ink stays
  /// visible — a line of text as a dark band, not a grey one a two-level drawing rounds to paper.
  static func minimumFiltered(_ pix: UnsafeMutablePointer<PIX>, step: Float)
    -> UnsafeMutablePointer<
      PIX
    >?
  {
    var grey = pixConvertTo8(pix, 0)
    defer { pixDestroy(&grey) }
    guard let grey else { return nil }
    let size = max(3, Int32((2 * step).rounded(.up)) | 1)
    return pixErodeGray(grey, size, size)
  }

  /// PNG bytes of `pix`; `zlibLevel` 0–9, or nil for zlib's default.
  static func png(_ pix: UnsafeMutablePointer<PIX>, zlibLevel: Int32? = nil) -> [UInt8]? {
    // Leptonica's PNG writer reads its compression level from `special` (10 + level).
    if let zlibLevel { pixSetSpecial(pix, 10 + zlibLevel) }
    var data: UnsafeMutablePointer<UInt8>?
    var size = 0
    guard pixWriteMem(&data, &size, pix, Int32(IFF_PNG)) == 0, let data else { return nil }
    defer { lept_free(data) }
    return Array(UnsafeBufferPointer(start: data, count: size))
  }
}

/// A decoded image owned by Swift: what the built-in engine reads, and what tests inspect.
public final class LeptonicaImage: @unchecked Sendable {
  // Safe: `pix` is only read after init (leptonica's getters and converters make new images),
  // and destroyed in deinit.
  let pix: UnsafeMutablePointer<PIX>

  /// Decodes PNG, JPEG, TIFF, … bytes; nil when they are not an image leptonica reads.
  public init?(png bytes: [UInt8]) {
    Leptonica.silence()
    guard let pix = bytes.withUnsafeBufferPointer({ pixReadMem($0.baseAddress, $0.count) }) else {
      return nil
    }
    self.pix = pix
  }

  deinit {
    var owned: UnsafeMutablePointer<PIX>? = pix
    pixDestroy(&owned)
  }

  public var width: Int { Int(pixGetWidth(pix)) }
  public var height: Int { Int(pixGetHeight(pix)) }
  /// Bits per pixel: 8 for a grey or palette PNG, 32 for RGB.
  public var depth: Int { Int(pixGetDepth(pix)) }
  /// Whether the image's pixels index a colour map (a palette PNG).
  public var hasPalette: Bool { pixGetColormap(pix) != nil }

  /// Every pixel as 0xRRGGBB, row by row, whatever the image's form: what a model sees.
  public func rgbPixels() -> [UInt32] {
    var rgb = pixConvertTo32(pix)
    defer { pixDestroy(&rgb) }
    guard let rgb, let words = pixGetData(rgb) else { return [] }
    let wordsPerLine = Int(pixGetWpl(rgb))
    var pixels: [UInt32] = []
    pixels.reserveCapacity(width * height)
    for row in 0..<height {
      for column in 0..<width { pixels.append(words[row * wordsPerLine + column] >> 8) }
    }
    return pixels
  }

  /// The share of pixels darker than mid-grey (0…1), whatever the image's form: how much of
  /// the page is ink. Leptonica thresholds to one bit per pixel and counts the set bits.
  public func inkShare() -> Double {
    var binary = pixConvertTo1(pix, 128)
    defer { pixDestroy(&binary) }
    var count: Int32 = 0
    guard let binary, pixCountPixels(binary, &count, nil) == 0, width > 0, height > 0 else {
      return 0
    }
    return Double(count) / Double(width * height)
  }

  /// Its pixels darker than mid-grey (`inkShare`'s), one bit each; nil when leptonica cannot
  /// convert it.
  public func inkMask() -> InkMask? {
    var binary = pixConvertTo1(pix, 128)
    defer { pixDestroy(&binary) }
    guard let binary, let data = pixGetData(binary) else { return nil }
    let wordsPerRow = Int(pixGetWpl(binary))
    return InkMask(
      width: width, height: height, wordsPerRow: wordsPerRow,
      words: Array(UnsafeBufferPointer(start: data, count: wordsPerRow * height)))
  }

  /// The (red, green, blue) at a pixel of a 32-bit image.
  public func rgb(x: Int, y: Int) -> (red: Int, green: Int, blue: Int) {
    var red: Int32 = 0
    var green: Int32 = 0
    var blue: Int32 = 0
    pixGetRGBPixel(pix, Int32(x), Int32(y), &red, &green, &blue)
    return (Int(red), Int(green), Int(blue))
  }

  /// The grey value (0 black … 255 white) at a pixel, whatever the image's depth.
  public func pixel(x: Int, y: Int) -> Int {
    var grey = pixConvertTo8(pix, 0)
    defer { pixDestroy(&grey) }
    var value: UInt32 = 0
    pixGetPixel(grey, Int32(x), Int32(y), &value)
    return Int(value)
  }
}

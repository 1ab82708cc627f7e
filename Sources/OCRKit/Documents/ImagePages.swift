import CTesseract
import Foundation

/// An image file, one page per frame (multi-page TIFF), decoded with leptonica.
///
/// PNG and JPEG within the size limit are sent byte for byte; anything larger is downscaled,
/// and other formats are re-encoded as PNG, which every server accepts.
final class ImagePages: PageSource {
  /// Refuse to decode images above this many pixels (a 1 GB raster) rather than exhaust memory.
  static let pixelBudget = 250_000_000
  /// Refuse images wider or taller than this: libpng's own limit (`PNG_USER_WIDTH_MAX`), past
  /// which it prints its own warnings on stderr and decodes nothing.
  static let maxPixelSide = 1_000_000

  private let bytes: [UInt8]
  private let kind: DocumentKind
  private let path: String
  let pageCount: Int

  init(path: String, bytes: [UInt8], kind: DocumentKind) throws(DocumentError) {
    Leptonica.silence()
    self.path = path
    self.bytes = bytes
    self.kind = kind
    if kind == .tiff {
      pageCount = Self.tiffFrameCount(bytes)
      guard pageCount > 0 else { throw .corrupt(path: path, detail: "no readable TIFF frames") }
    } else {
      pageCount = 1
    }
    guard let header = Self.header(bytes) else {
      throw .corrupt(path: path, detail: "the \(kind.rawValue.uppercased()) header is invalid")
    }
    guard max(header.width, header.height) <= Self.maxPixelSide,
      header.width * header.height <= Self.pixelBudget
    else {
      throw .imageTooLarge(path: path, width: header.width, height: header.height)
    }
  }

  func render(page number: Int, maxSide: Int) throws(DocumentError) -> PageImage {
    let started = ContinuousClock.now
    if let mimeType = kind.mimeType, let header = Self.header(bytes),
      max(header.width, header.height) <= maxSide
    {
      return PageImage(
        number: number, bytes: bytes, mimeType: mimeType, width: header.width,
        height: header.height, renderTime: .now - started)
    }
    let decoded = Leptonica.decode(bytes, frame: number, tiff: kind == .tiff)
    var owned = decoded
    defer { pixDestroy(&owned) }
    guard let pix = decoded else {
      throw .corrupt(path: path, detail: "the image data cannot be decoded")
    }
    let width = Int(pixGetWidth(pix))
    let height = Int(pixGetHeight(pix))
    let factor = Float(maxSide) / Float(max(width, height))
    var scaled = Leptonica.scaled(pix, by: factor)
    defer { pixDestroy(&scaled) }
    guard let scaled, let png = Leptonica.png(scaled) else {
      throw .renderFailed(page: number, detail: "could not scale or encode the image")
    }
    return PageImage(
      number: number, bytes: png, mimeType: "image/png", width: Int(pixGetWidth(scaled)),
      height: Int(pixGetHeight(scaled)), renderTime: .now - started)
  }

  /// The image file's size in pixels, from its header (a TIFF's first frame): what hOCR
  /// boxes count in, whatever size the page was read at.
  static func pixelSize(of path: String) -> (width: Int, height: Int)? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    Leptonica.silence()
    return header(Array(data))
  }

  private static func header(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
    var format: Int32 = 0
    var width: Int32 = 0
    var height: Int32 = 0
    let status = bytes.withUnsafeBufferPointer {
      pixReadHeaderMem($0.baseAddress, $0.count, &format, &width, &height, nil, nil, nil)
    }
    return status == 0 && width > 0 && height > 0 ? (Int(width), Int(height)) : nil
  }

  static func tiffFrameCount(_ bytes: [UInt8]) -> Int {
    var bytes = bytes
    return bytes.withUnsafeMutableBytes { buffer in
      guard let file = fmemopen(buffer.baseAddress, buffer.count, "rb") else { return 0 }
      defer { fclose(file) }
      var count: Int32 = 0
      return tiffGetCount(file, &count) == 0 ? Int(count) : 0
    }
  }
}

/// Where a page image's pixels lie in the PDF page's own user space.
///
/// ocrview renders a page as poppler does (`PDFPages.raster`): the crop box (clipped to the
/// media box), turned by the page's `/Rotate`, scaled to the image's width and height. This is
/// the inverse of that, so a word tesseract found at a pixel lands on the printed word in the
/// PDF whatever the page's rotation, crop box, media box origin or `--max-side` scale.
public struct PageGeometry: Sendable, Equatable {
  /// The visible region in user space, as poppler uses it: the crop box clipped to the media
  /// box (the media box when there is no crop box), corners ordered.
  public var visible: Rect
  /// 0, 90, 180 or 270: clockwise, as `/Rotate` says (normalised as poppler does).
  public var rotation: Int

  /// An axis-aligned rectangle in PDF user space.
  public struct Rect: Sendable, Equatable {
    public var x1, y1, x2, y2: Double

    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
      (self.x1, self.x2) = (min(x1, x2), max(x1, x2))
      (self.y1, self.y2) = (min(y1, y2), max(y1, y2))
    }

    public var width: Double { x2 - x1 }
    public var height: Double { y2 - y1 }
  }

  /// From a page's `/MediaBox`, `/CropBox` and `/Rotate` (inherited ones pushed down first).
  public init(mediaBox: Rect, cropBox: Rect?, rotate: Int) {
    var visible = mediaBox
    if let crop = cropBox {
      let clipped = Rect(
        x1: max(crop.x1, mediaBox.x1), y1: max(crop.y1, mediaBox.y1),
        x2: min(crop.x2, mediaBox.x2), y2: min(crop.y2, mediaBox.y2))
      // poppler falls back to the media box for a crop box outside it.
      if clipped.width > 0, clipped.height > 0, crop.x1 < mediaBox.x2, crop.y1 < mediaBox.y2,
        crop.x2 > mediaBox.x1, crop.y2 > mediaBox.y1
      {
        visible = clipped
      }
    }
    self.visible = visible
    var turn = rotate % 360
    if turn < 0 { turn += 360 }
    rotation = turn % 90 == 0 ? turn : 0
  }

  /// The page as displayed, in points: what `poppler_page_get_size` says.
  public var displayedSize: (width: Double, height: Double) {
    rotation == 90 || rotation == 270
      ? (visible.height, visible.width) : (visible.width, visible.height)
  }

  /// Maps the displayed page (points, origin top left, y down) to user space: the inverse of
  /// poppler's device matrix for each rotation (`GfxState`'s constructor at 72 DPI).
  public var displayToUser: AffineTransform {
    let box = visible
    return switch rotation {
    case 90: AffineTransform(a: 0, b: 1, c: 1, d: 0, e: box.x1, f: box.y1)
    case 180: AffineTransform(a: -1, b: 0, c: 0, d: 1, e: box.x2, f: box.y1)
    case 270: AffineTransform(a: 0, b: -1, c: -1, d: 0, e: box.x2, f: box.y2)
    default: AffineTransform(a: 1, b: 0, c: 0, d: -1, e: box.x1, f: box.y2)
    }
  }

  /// Points of the displayed page per pixel of an image rendered `width` × `height` from it
  /// (x and y apart: rounding the pixel size makes them differ slightly).
  public func pointsPerPixel(imageWidth: Int, imageHeight: Int) -> (x: Double, y: Double) {
    let size = displayedSize
    return (size.width / Double(max(1, imageWidth)), size.height / Double(max(1, imageHeight)))
  }

  /// The user-space point of pixel (x, y) of such an image.
  public func userPoint(pixelX x: Double, y: Double, imageWidth: Int, imageHeight: Int) -> (
    x: Double, y: Double
  ) {
    let scale = pointsPerPixel(imageWidth: imageWidth, imageHeight: imageHeight)
    return displayToUser.apply(x * scale.x, y * scale.y)
  }
}

/// A PDF matrix `[a b c d e f]`: x' = a·x + c·y + e, y' = b·x + d·y + f.
public struct AffineTransform: Sendable, Equatable {
  public var a, b, c, d, e, f: Double

  public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
    (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
  }

  public func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
    (a * x + c * y + e, b * x + d * y + f)
  }

  /// `self` after `inner`: maps a point first by `inner`, then by `self`.
  public func concatenating(_ inner: AffineTransform) -> AffineTransform {
    AffineTransform(
      a: a * inner.a + c * inner.b, b: b * inner.a + d * inner.b,
      c: a * inner.c + c * inner.d, d: b * inner.c + d * inner.d,
      e: a * inner.e + c * inner.f + e, f: b * inner.e + d * inner.f + f)
  }
}

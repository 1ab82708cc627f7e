import CPoppler
import CRaster
import CTesseract

/// Turns a rendered page into the PNG that is uploaded.
///
/// Measured on pages 1–10 of a real manual at 1540 px (BENCHMARKS.md, `ocrview-benchmarks
/// render`): cairo's PNG writer (RGB, libpng defaults) took ~44 ms a page, 3× poppler's raster.
/// Text pages are grey, so they go out as 8-bit grey PNG at zlib level 6: ~15 ms, about half the
/// bytes, and lossless, so the model sees exactly what it saw before. JPEG was both larger than
/// this PNG on text (sharp edges) and lossy, so it is not used. Pages with colour stay RGB.
enum PageEncoder {
  /// zlib's own default; level 1 saved ~4 ms a page for ~25% more bytes on the wire.
  static let zlibLevel: Int32 = 6

  /// PNG bytes of a cairo RGB24 surface, grey when every pixel is grey; nil if encoding failed.
  static func png(of surface: OpaquePointer) -> (bytes: [UInt8], isGrey: Bool)? {
    let width = cairo_image_surface_get_width(surface)
    let height = cairo_image_surface_get_height(surface)
    let stride = Int(cairo_image_surface_get_stride(surface))
    guard let source = cairo_image_surface_get_data(surface) else { return nil }
    if let png = greyPNG(source, stride: stride, width: width, height: height) {
      return (png, true)
    }
    var owned = pixCreate(width, height, 32)
    defer { pixDestroy(&owned) }
    guard let rgb = owned else { return nil }
    pixSetSpp(rgb, 3)
    craster_xrgb_to_rgba(source, stride, width, height, pixGetData(rgb), Int(pixGetWpl(rgb)))
    return Leptonica.png(rgb, zlibLevel: zlibLevel).map { ($0, false) }
  }

  /// The page as grey PNG, or nil at its first coloured pixel. Its raster is freed before a
  /// colour page's RGB one is made, so the two never coexist (125 MB at the pixel budget).
  private static func greyPNG(
    _ source: UnsafeMutablePointer<UInt8>, stride: Int, width: Int32, height: Int32
  ) -> [UInt8]? {
    var owned = pixCreate(width, height, 8)
    defer { pixDestroy(&owned) }
    guard let grey = owned,
      craster_xrgb_to_grey(source, stride, width, height, pixGetData(grey), Int(pixGetWpl(grey)))
        == 1
    else { return nil }
    return Leptonica.png(grey, zlibLevel: zlibLevel)
  }
}

import CPoppler
import CRaster
import Glibc

/// Turns a rendered page into the PNG that is uploaded, always lossless, so the model sees the
/// pixels poppler drew: grey pages as 8-bit grey, pages of at most 256 colours (text with a
/// coloured link box) as a palette at grey size instead of 3× as RGB, the rest as RGB. JPEG was
/// both larger than PNG on text (sharp edges) and lossy, so it is not used (BENCHMARKS.md).
enum PageEncoder {
  /// PNG bytes of a cairo RGB24 surface and the form they took; nil if encoding failed.
  static func png(of surface: OpaquePointer, encoding: PNGEncoding) -> (
    bytes: [UInt8], kind: craster_kind
  )? {
    let width = cairo_image_surface_get_width(surface)
    let height = cairo_image_surface_get_height(surface)
    let stride = Int(cairo_image_surface_get_stride(surface))
    guard let source = cairo_image_surface_get_data(surface) else { return nil }
    let settings = [encoding.grey.c, encoding.palette.c, encoding.rgb.c]
    var kind = CRASTER_RGB
    var size = 0
    guard
      let bytes = craster_png(
        source, stride, width, height, settings, encoding.usesPalette ? 1 : 0, &kind, &size)
    else { return nil }
    defer { free(bytes) }
    return (Array(UnsafeBufferPointer(start: bytes, count: size)), kind)
  }
}

import CPoppler

/// A page of known geometry: white paper with black bars whose edges are fractions of the
/// page, so a test can say where every bar must appear however the page is scaled, cut or drawn
/// (the page pane's images, judged from their cells or a screenshot's pixels).
public struct GeometryPage: Sendable {
  public var width: Int
  public var height: Int
  /// Vertical bars from top to bottom, as their left and right edges (fractions of the width).
  public var vertical: [ClosedRange<Double>]
  /// Horizontal bars from left to right, as their top and bottom edges (fractions of the height).
  public var horizontal: [ClosedRange<Double>]
  /// Areas ruled like lines of text: 2-px strokes every 12 px, mostly paper on average.
  public var ruled: [(x: ClosedRange<Double>, y: ClosedRange<Double>)]

  public init(
    width: Int, height: Int, vertical: [ClosedRange<Double>] = [],
    horizontal: [ClosedRange<Double>] = [],
    ruled: [(x: ClosedRange<Double>, y: ClosedRange<Double>)] = []
  ) {
    self.width = width
    self.height = height
    self.vertical = vertical
    self.horizontal = horizontal
    self.ruled = ruled
  }

  /// Two vertical bars (10–14 % and 86–90 % of the width) and two horizontal ones (25–30 % and
  /// 70–75 % of the height): the page the sheared-image report was made with.
  public static func bars(width: Int, height: Int) -> GeometryPage {
    GeometryPage(
      width: width, height: height, vertical: [0.10...0.14, 0.86...0.90],
      horizontal: [0.25...0.30, 0.70...0.75])
  }

  /// The page as an RGB PNG, drawn with cairo (odd widths included: its rows are not padded).
  public func png() -> [UInt8] {
    let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
    defer { cairo_surface_destroy(surface) }
    let cairo = cairo_create(surface)
    cairo_set_source_rgb(cairo, 1, 1, 1)
    cairo_paint(cairo)
    cairo_set_source_rgb(cairo, 0, 0, 0)
    cairo_set_antialias(cairo, CAIRO_ANTIALIAS_NONE)
    let (w, h) = (Double(width), Double(height))
    for bar in vertical {
      cairo_rectangle(cairo, bar.lowerBound * w, 0, (bar.upperBound - bar.lowerBound) * w, h)
    }
    for bar in horizontal {
      cairo_rectangle(cairo, 0, bar.lowerBound * h, w, (bar.upperBound - bar.lowerBound) * h)
    }
    for area in ruled {
      var y = area.y.lowerBound * h
      while y + 2 <= area.y.upperBound * h {
        cairo_rectangle(
          cairo, area.x.lowerBound * w, y, (area.x.upperBound - area.x.lowerBound) * w, 2)
        y += 12
      }
    }
    cairo_fill(cairo)
    cairo_destroy(cairo)
    var bytes: [UInt8] = []
    withUnsafeMutablePointer(to: &bytes) { sink in
      _ = cairo_surface_write_to_png_stream(
        surface,
        { closure, data, length in
          let sink = closure!.assumingMemoryBound(to: [UInt8].self)
          sink.pointee.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
          return CAIRO_STATUS_SUCCESS
        }, sink)
    }
    return bytes
  }
}

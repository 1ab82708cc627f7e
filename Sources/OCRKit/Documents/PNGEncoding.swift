import CRaster

/// How a rendered page becomes the PNG that is uploaded: libpng settings for each of the three
/// lossless forms a page can take (grey, palette, RGB). Public so the benchmarks can compare
/// candidates on real pages; documents use `chosen`.
public struct PNGEncoding: Sendable, CustomStringConvertible {
  /// One form's libpng settings; nil filters or strategy leave libpng's default.
  public struct Settings: Sendable, CustomStringConvertible {
    public var level: Int32
    public var filters: Filters?
    public var strategy: Strategy?

    public init(level: Int32, filters: Filters? = nil, strategy: Strategy? = nil) {
      self.level = level
      self.filters = filters
      self.strategy = strategy
    }

    public var description: String {
      "\(filters.map { "\($0)" } ?? "default filters") \(strategy.map { "\($0)" } ?? "") level \(level)"
    }

    var c: craster_png_settings {
      craster_png_settings(
        level: level, filters: filters?.rawValue ?? -1, strategy: strategy?.rawValue ?? -1)
    }
  }

  /// PNG row filters (libpng's `PNG_FILTER_*` masks).
  public enum Filters: Int32, Sendable {
    case unfiltered = 0x08
    case sub = 0x10
    case all = 0xF8
  }

  /// zlib strategies (`Z_FILTERED`, `Z_RLE`, …).
  public enum Strategy: Int32, Sendable {
    case standard = 0
    case filtered = 1
    case rle = 3
  }

  public var grey: Settings
  public var palette: Settings
  public var rgb: Settings
  /// When false, pages that are not grey go out as RGB (what ocrview did before palettes).
  public var usesPalette: Bool

  public init(grey: Settings, palette: Settings, rgb: Settings, usesPalette: Bool = true) {
    self.grey = grey
    self.palette = palette
    self.rgb = rgb
    self.usesPalette = usesPalette
  }

  public var description: String {
    "grey: \(grey); palette: \(usesPalette ? "\(palette)" : "off"); rgb: \(rgb)"
  }

  /// What ocrview sent before (leptonica's writer): libpng defaults at zlib 6, no palette.
  public static let libpngDefaults = PNGEncoding(
    grey: Settings(level: 6), palette: Settings(level: 6), rgb: Settings(level: 6),
    usesPalette: false)

  /// Chosen by measurement on real pages (BENCHMARKS.md, `ocrview-benchmarks encoding`).
  public static let chosen = PNGEncoding(
    grey: Settings(level: 6, filters: .unfiltered, strategy: .rle),
    palette: Settings(level: 6, filters: .unfiltered, strategy: .rle),
    rgb: Settings(level: 1, filters: .unfiltered))
}

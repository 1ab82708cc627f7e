import CChafa
import OCRKit

/// How page images are coloured: as the terminal can show them.
public enum ImagePalette: Sendable, Hashable {
  /// Symbols only, in the terminal's own colours (NO_COLOR, terminals with 16 colours or fewer).
  case monochrome
  /// The 240 colours of the 256-colour palette that terminals agree on.
  case indexed

  public init(colors: Int, monochrome: Bool) {
    self = !monochrome && colors >= 256 ? .indexed : .monochrome
  }
}

/// One cell of a page image: a block symbol and its two colours.
public struct ImageCell: Hashable, Sendable {
  public var symbol: Character
  public var foreground: Color
  public var background: Color

  public init(symbol: Character, foreground: Color = .default, background: Color = .default) {
    self.symbol = symbol
    self.foreground = foreground
    self.background = background
  }
}

/// A page image as terminal cells: block symbols with colours, written into the `Canvas` like
/// text, so it shows in every terminal — in tmux, over ssh, in tests.
public struct ImageCells: Hashable, Sendable {
  public var columns: Int
  public var rows: Int
  /// Row-major, `columns × rows`.
  public var cells: [ImageCell]

  public init(columns: Int, rows: Int, cells: [ImageCell]) {
    self.columns = columns
    self.rows = rows
    self.cells = cells
  }

  public subscript(column: Int, row: Int) -> ImageCell { cells[row * columns + column] }

  /// `bitmap` drawn by libchafa into `columns × rows` cells of `cellAspect` (height / width
  /// in pixels), with block, half-block and quadrant symbols — the ones terminal fonts have.
  /// Blocking C work (~20 ms for a page at 60×40): call it off the UI thread.
  public static func make(
    _ bitmap: RGBBitmap, columns: Int, rows: Int, cellAspect: Double, palette: ImagePalette
  ) -> ImageCells {
    let (columns, rows) = (max(1, columns), max(1, rows))
    let symbols = chafa_symbol_map_new()
    defer { chafa_symbol_map_unref(symbols) }
    chafa_symbol_map_add_by_tags(
      symbols,
      ChafaSymbolTags(
        CHAFA_SYMBOL_TAG_SPACE.rawValue | CHAFA_SYMBOL_TAG_SOLID.rawValue
          | CHAFA_SYMBOL_TAG_HALF.rawValue | CHAFA_SYMBOL_TAG_QUAD.rawValue))
    let config = chafa_canvas_config_new()
    defer { chafa_canvas_config_unref(config) }
    chafa_canvas_config_set_geometry(config, Int32(columns), Int32(rows))
    chafa_canvas_config_set_symbol_map(config, symbols)
    // Chafa fits symbols to 8-pixel-wide cells; the height carries the terminal's aspect.
    chafa_canvas_config_set_cell_geometry(config, 8, Int32(max(1, (8 * cellAspect).rounded())))
    chafa_canvas_config_set_canvas_mode(
      config, palette == .indexed ? CHAFA_CANVAS_MODE_INDEXED_240 : CHAFA_CANVAS_MODE_FGBG)
    let canvas = chafaCanvas(config, drawing: bitmap)
    defer { chafa_canvas_unref(canvas) }
    var cells: [ImageCell] = []
    cells.reserveCapacity(columns * rows)
    for row in 0..<rows {
      for column in 0..<columns {
        let code = chafa_canvas_get_char_at(canvas, Int32(column), Int32(row))
        var cell = ImageCell(symbol: Character(Unicode.Scalar(code) ?? " "))
        if palette == .indexed {
          var foreground: Int32 = -1
          var background: Int32 = -1
          chafa_canvas_get_raw_colors_at(
            canvas, Int32(column), Int32(row), &foreground, &background)
          if foreground >= 0 { cell.foreground = Color(palette: Int(foreground)) }
          if background >= 0 { cell.background = Color(palette: Int(background)) }
        }
        cells.append(cell)
      }
    }
    return ImageCells(columns: columns, rows: rows, cells: cells)
  }

  /// The most cells an image of `width × height` pixels fills inside `columns × rows` cells of
  /// `cellAspect` (height / width), keeping its proportions.
  public static func fit(
    width: Int, height: Int, columns: Int, rows: Int, cellAspect: Double
  ) -> (columns: Int, rows: Int) {
    guard width > 0, height > 0, columns > 0, rows > 0 else { return (0, 0) }
    // Rows the image needs at the full width, in cells twice (or `cellAspect`) as tall as wide.
    let rowsAtFullWidth = Double(height) / Double(width) * Double(columns) / cellAspect
    if rowsAtFullWidth <= Double(rows) {
      return (columns, max(1, Int(rowsAtFullWidth.rounded())))
    }
    let columnsAtFullHeight = Double(width) / Double(height) * Double(rows) * cellAspect
    return (max(1, min(columns, Int(columnsAtFullHeight.rounded()))), rows)
  }
}

/// A chafa canvas as `config` says, with `bitmap` drawn into it; the caller unrefs it.
///
/// Debian 12's libchafa (1.12.4) shears `CHAFA_PIXEL_RGB8` rows whose stride is not a multiple
/// of 4 bytes: a page of vertical bars 1000 px wide is drawn straight, the same page 1001 or
/// 347 px wide as diagonals that wrap round — in symbols, sixel and kitty alike (measured with
/// a 30-line C program against the library; DESIGN.md). So rows are handed over padded to a
/// multiple of 4 bytes, which draws every width straight (`PageImageGeometryTests`).
func chafaCanvas(_ config: OpaquePointer?, drawing bitmap: RGBBitmap) -> OpaquePointer? {
  let canvas = chafa_canvas_new(config)
  let (width, height) = (bitmap.width, bitmap.height)
  let row = width * 3
  let stride = (row + 3) / 4 * 4
  let draw = { (pixels: UnsafeBufferPointer<UInt8>) in
    chafa_canvas_draw_all_pixels(
      canvas, CHAFA_PIXEL_RGB8, pixels.baseAddress, Int32(width), Int32(height), Int32(stride))
  }
  if stride == row {
    bitmap.pixels.withUnsafeBufferPointer(draw)
  } else {
    var padded = [UInt8](repeating: 0, count: stride * height)
    for y in 0..<height {
      padded[(y * stride)..<(y * stride + row)] = bitmap.pixels[(y * row)..<(y * row + row)]
    }
    padded.withUnsafeBufferPointer(draw)
  }
  return canvas
}

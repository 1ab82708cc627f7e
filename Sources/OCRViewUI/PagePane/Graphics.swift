import CChafa
import OCRKit

/// How the page pane draws images: as symbols in cells (every terminal), as pixels through one
/// of the terminal graphics protocols, or not at all (`--graphics`).
public enum GraphicsMode: String, Sendable, CaseIterable {
  case symbols, kitty, sixel, iterm, none

  /// The best mode the terminal is known to support, from its environment. Inside tmux or
  /// screen, symbols: their pass-through of image protocols depends on settings we cannot see.
  public static func detect(environment: [String: String]) -> GraphicsMode {
    let term = environment["TERM"] ?? ""
    let program = environment["TERM_PROGRAM"] ?? ""
    if environment["TMUX"] != nil || term.hasPrefix("screen") || term.hasPrefix("tmux") {
      return .symbols
    }
    if environment["KITTY_WINDOW_ID"] != nil || term == "xterm-kitty" || term == "xterm-ghostty"
      || program == "ghostty"
    {
      return .kitty
    }
    if program == "iTerm.app" || program == "WezTerm" || environment["WEZTERM_EXECUTABLE"] != nil {
      return .iterm
    }
    if ["foot", "foot-extra", "mlterm", "contour", "yaft-256color"].contains(term)
      || term.contains("sixel")
    {
      return .sixel
    }
    return .symbols
  }

  /// Draws pixels rather than symbols.
  public var isPixels: Bool { self == .kitty || self == .sixel || self == .iterm }
}

/// A page image as the escape sequence of a terminal graphics protocol (kitty, sixel, iTerm2),
/// made by libchafa: written at the image's top-left cell, it covers `columns × rows` cells.
public enum PixelImage {
  /// `bitmap` fitted to `columns × rows` cells of `cellWidth × cellHeight` pixels. Blocking C
  /// work: call it off the UI thread.
  public static func make(
    _ bitmap: RGBBitmap, columns: Int, rows: Int, cellWidth: Int, cellHeight: Int,
    mode: GraphicsMode
  ) -> [UInt8] {
    let pixelMode: ChafaPixelMode =
      switch mode {
      case .kitty: CHAFA_PIXEL_MODE_KITTY
      case .iterm: CHAFA_PIXEL_MODE_ITERM2
      default: CHAFA_PIXEL_MODE_SIXELS
      }
    let config = chafa_canvas_config_new()
    defer { chafa_canvas_config_unref(config) }
    chafa_canvas_config_set_geometry(config, Int32(max(1, columns)), Int32(max(1, rows)))
    chafa_canvas_config_set_cell_geometry(
      config, Int32(max(1, cellWidth)), Int32(max(1, cellHeight)))
    chafa_canvas_config_set_pixel_mode(config, pixelMode)
    chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR)
    let canvas = chafaCanvas(config, drawing: bitmap)
    defer { chafa_canvas_unref(canvas) }
    // The fallback terminal description knows every protocol's sequences.
    let database = chafa_term_db_get_default()
    let info = chafa_term_db_get_fallback_info(database)
    defer { chafa_term_info_unref(info) }
    guard let printed = chafa_canvas_print(canvas, info) else { return [] }
    defer { g_string_free(printed, 1) }
    return Array(UnsafeBufferPointer(start: printed.pointee.str, count: Int(printed.pointee.len)))
      .map { UInt8(bitPattern: $0) }
  }
}

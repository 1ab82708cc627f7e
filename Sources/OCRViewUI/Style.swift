/// A terminal colour. Only the eight basic ANSI colours (plus the terminal's default), because
/// those are the ones every terminal shows the same way, including the Linux console.
public enum Color: Hashable, Sendable {
  /// The terminal's own foreground or background colour (keeps transparent backgrounds).
  case `default`
  case black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell is drawn. A plain value, so a screen can be compared cell by cell in tests.
public struct Style: Hashable, Sendable {
  public var foreground: Color
  public var background: Color
  public var bold: Bool
  public var dim: Bool
  public var reverse: Bool
  public var underline: Bool
  /// Emphasis and math in rendered Markdown; terminals without italics show it plain.
  public var italic: Bool

  public init(
    foreground: Color = .default, background: Color = .default, bold: Bool = false,
    dim: Bool = false, reverse: Bool = false, underline: Bool = false, italic: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.dim = dim
    self.reverse = reverse
    self.underline = underline
    self.italic = italic
  }

  /// The terminal's default look: what blank cells use.
  public static let plain = Style()
}

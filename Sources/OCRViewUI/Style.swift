/// A terminal colour. The interface uses only the eight basic ANSI colours (plus the terminal's
/// default), because those are the ones every terminal shows the same way, including the Linux
/// console; page images also use the 256-colour palette where the terminal has it.
public enum Color: Hashable, Sendable {
  /// The terminal's own foreground or background colour (keeps transparent backgrounds).
  case `default`
  case black, red, green, yellow, blue, magenta, cyan, white
  /// An entry of the 256-colour palette (page images, on terminals with 256 colours).
  case indexed(UInt8)

  /// Palette entry `index`: the basic colours by name, others as `.indexed`.
  public init(palette index: Int) {
    let basic: [Color] = [.black, .red, .green, .yellow, .blue, .magenta, .cyan, .white]
    self = basic.indices.contains(index) ? basic[index] : .indexed(UInt8(clamping: index))
  }
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

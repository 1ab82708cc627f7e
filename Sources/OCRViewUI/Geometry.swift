/// A number of columns and rows, e.g. of the terminal.
public struct Size: Hashable, Sendable {
  public var width: Int
  public var height: Int

  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }
}

/// A rectangle of cells: columns `x ..< x + width`, rows `y ..< y + height`.
///
/// Layout arithmetic never traps: sizes that would go negative become 0, and an empty rectangle
/// draws nothing, so widgets can be handed tiny or zero-sized areas when the terminal is small.
public struct Rect: Hashable, Sendable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// The rectangle at the origin with the given size: a whole screen.
  public init(_ size: Size) {
    self.init(x: 0, y: 0, width: size.width, height: size.height)
  }

  /// Whether it holds no cell at all.
  public var isEmpty: Bool { width <= 0 || height <= 0 }

  /// One past the last column.
  public var maxX: Int { x + width }

  /// One past the last row.
  public var maxY: Int { y + height }

  public var size: Size { Size(width: width, height: height) }

  public func contains(x: Int, y: Int) -> Bool {
    x >= self.x && x < maxX && y >= self.y && y < maxY
  }

  /// The cells in both rectangles (an empty rectangle when they do not overlap).
  public func intersection(_ other: Rect) -> Rect {
    let left = max(x, other.x)
    let top = max(y, other.y)
    let right = min(maxX, other.maxX)
    let bottom = min(maxY, other.maxY)
    return Rect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
  }

  /// The one-line rectangle of row `i`, counted from the top of this one; empty (height 0) when
  /// `i` is outside it, so drawing past the last row draws nothing.
  public func row(_ i: Int) -> Rect {
    Rect(x: x, y: y + i, width: width, height: (0..<max(0, height)).contains(i) ? 1 : 0)
  }
}

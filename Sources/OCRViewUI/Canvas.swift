/// One terminal cell: what is drawn there, and how.
public struct Cell: Hashable, Sendable {
  /// The character drawn in this cell: " " for blank; "" marks the right half of a wide
  /// (2-column) character that starts in the cell to the left (a continuation cell).
  public var grapheme: String
  public var style: Style

  public init(grapheme: String, style: Style = .plain) {
    self.grapheme = grapheme
    self.style = style
  }

  /// An empty cell in the default style.
  public static let blank = Cell(grapheme: " ", style: .plain)

  /// Whether this is the right half of a wide character: a terminal draws nothing here.
  public var isContinuation: Bool { grapheme.isEmpty }
}

/// A run of consecutive cells on one row that a terminal must redraw.
///
/// A run never starts on a continuation cell and never ends between a wide character and its
/// continuation, so a terminal can draw it left to right and always draws whole characters.
public struct CellRun: Hashable, Sendable {
  public var x: Int
  public var y: Int
  public var cells: [Cell]

  public init(x: Int, y: Int, cells: [Cell]) {
    self.x = x
    self.y = y
    self.cells = cells
  }
}

/// A screen as a grid of cells: widgets draw into it, tests compare it, and the terminal adapter
/// draws what changed since the last frame (the idea of ratatui's `Buffer`).
///
/// A wide character fills its cell and marks the next cell as its continuation (""). Every write
/// keeps that pairing intact: a wide character is never split, never hangs over the right edge,
/// and overwriting either half of one blanks the other half (keeping its style).
public struct Canvas: Hashable, Sendable {
  public let width: Int
  public let height: Int
  /// Row-major: the cell at (x, y) is `cells[y * width + x]`.
  private var cells: [Cell]

  /// A canvas of blank cells; negative sizes count as 0.
  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  public init(size: Size) {
    self.init(width: size.width, height: size.height)
  }

  /// A canvas showing `lines` in the plain style, as wide as the widest line (shorter lines are
  /// padded with blanks): the expected screen in a test, like ratatui's `Buffer::with_lines`.
  public init(lines: [String]) {
    self.init(width: lines.map { DisplayWidth.of($0) }.max() ?? 0, height: lines.count)
    for (y, line) in lines.enumerated() { write(line, x: 0, y: y) }
  }

  public var size: Size { Size(width: width, height: height) }

  /// The whole canvas, for layout.
  public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  /// The cell at column `x`, row `y`; both must be inside the canvas.
  public subscript(x: Int, y: Int) -> Cell {
    precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x), \(y)) is off the canvas")
    return cells[y * width + x]
  }

  /// Writes text at (x, y), clipped to the canvas and to `maxWidth` columns, and returns how many
  /// columns it took from `x`: at most the smaller of `maxWidth` and `width - x`, so consecutive
  /// writes can be chained (`x += canvas.write(…)`).
  ///
  /// A wide character that would be cut by the clip edge is replaced by spaces in `style` (never
  /// half a character); those spaces count as columns used. Columns left of the canvas (negative
  /// `x`, e.g. for horizontal scrolling) are counted but not drawn. Characters of display width 0
  /// — newlines, tabs and other control characters, lone combining marks, zero-width format
  /// characters — are not drawn and take no column: wrap text with `TextWrap` first.
  @discardableResult
  public mutating func write(
    _ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil
  ) -> Int {
    guard y >= 0, y < height else { return 0 }
    var limit = width - x
    if let maxWidth { limit = min(limit, maxWidth) }
    guard limit > 0 else { return 0 }
    var used = 0
    for character in text {
      let columns = DisplayWidth.of(character)
      if columns == 0 { continue }
      if used + columns > limit {  // a wide character cut by the clip edge
        while used < limit {
          if x + used >= 0 { put(Cell(grapheme: " ", style: style), x: x + used, y: y) }
          used += 1
        }
        break
      }
      let column = x + used
      if columns == 1 {
        if column >= 0 { put(Cell(grapheme: String(character), style: style), x: column, y: y) }
      } else if column >= 0 {
        putWide(Cell(grapheme: String(character), style: style), x: column, y: y)
      } else if column == -1 {  // its left half is off the canvas: show the visible half blank
        put(Cell(grapheme: " ", style: style), x: 0, y: y)
      }
      used += columns
      if used == limit { break }
    }
    return used
  }

  /// Sets every cell of `rect` (clipped to the canvas) to `cell`.
  ///
  /// A wide character in `cell` is laid out in pairs, with a blank in an odd last column; a
  /// `cell` whose grapheme is not one drawable character (e.g. "" or a control character) fills
  /// with spaces in its style, so the canvas never holds a cell a terminal could not draw.
  public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
    let area = rect.intersection(self.area)
    guard !area.isEmpty else { return }
    let columns = cell.grapheme.count == 1 ? DisplayWidth.of(cell.grapheme) : 0
    let narrow = columns == 1 ? cell : Cell(grapheme: " ", style: cell.style)
    for y in area.y..<area.maxY {
      var x = area.x
      if columns == 2 {
        while x + 1 < area.maxX {
          putWide(cell, x: x, y: y)
          x += 2
        }
      }
      while x < area.maxX {
        put(narrow, x: x, y: y)
        x += 1
      }
    }
  }

  /// Gives every cell of `rect` (clipped to the canvas) `style`, keeping its text. A wide
  /// character with either half inside `rect` is restyled whole, since a terminal draws both of
  /// its columns in one style.
  public mutating func setStyle(_ style: Style, in rect: Rect) {
    let area = rect.intersection(self.area)
    guard !area.isEmpty else { return }
    for y in area.y..<area.maxY {
      var first = area.x
      var last = area.maxX - 1
      if cells[y * width + first].isContinuation { first -= 1 }
      if last + 1 < width && cells[y * width + last + 1].isContinuation { last += 1 }
      for x in first...last { cells[y * width + x].style = style }
    }
  }

  /// Each row as a string exactly `width` columns wide (continuation cells are skipped, since
  /// the wide character before them covers them): for snapshot tests and the terminal adapter.
  public func lines() -> [String] {
    (0..<height).map { y in
      var line = ""
      for cell in cells[y * width..<(y + 1) * width] where !cell.isContinuation {
        line += cell.grapheme
      }
      return line
    }
  }

  /// The runs of cells that differ from `previous`: what a terminal must redraw to go from
  /// `previous` to this canvas. All cells (one run per row) when `previous` is nil or of another
  /// size. A run that would start on a continuation cell starts at its wide character instead,
  /// and a run that ends on a wide character includes its continuation.
  public func changes(since previous: Canvas?) -> [CellRun] {
    guard let previous, previous.width == width, previous.height == height else {
      guard width > 0 else { return [] }
      return (0..<height).map { y in
        CellRun(x: 0, y: y, cells: Array(cells[y * width..<(y + 1) * width]))
      }
    }
    var runs: [CellRun] = []
    for y in 0..<height {
      let row = y * width
      var x = 0
      while x < width {
        guard cells[row + x] != previous.cells[row + x] else {
          x += 1
          continue
        }
        let start = cells[row + x].isContinuation ? x - 1 : x
        var end = x + 1
        while end < width
          && (cells[row + end] != previous.cells[row + end] || cells[row + end].isContinuation)
        {
          end += 1
        }
        runs.append(CellRun(x: start, y: y, cells: Array(cells[row + start..<row + end])))
        x = end
      }
    }
    return runs
  }

  // MARK: - Keeping wide characters whole

  /// Stores a 1-column cell at (x, y).
  private mutating func put(_ cell: Cell, x: Int, y: Int) {
    detach(x: x, y: y)
    cells[y * width + x] = cell
  }

  /// Stores a 2-column cell at (x, y) and its continuation at (x + 1, y), which must exist.
  private mutating func putWide(_ cell: Cell, x: Int, y: Int) {
    detach(x: x, y: y)
    detach(x: x + 1, y: y)
    cells[y * width + x] = cell
    cells[y * width + x + 1] = Cell(grapheme: "", style: cell.style)
  }

  /// Before (x, y) is overwritten: if it is half of a wide character, blanks the other half, so
  /// no continuation is left without its character and no wide character without its right half.
  private mutating func detach(x: Int, y: Int) {
    let index = y * width + x
    if cells[index].isContinuation {
      cells[index - 1].grapheme = " "
    } else if x + 1 < width && cells[index + 1].isContinuation {
      cells[index + 1].grapheme = " "
    }
  }
}

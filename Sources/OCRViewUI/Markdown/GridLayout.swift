/// A table as a grid of cells, laid out with box-drawing borders: shared by GFM pipe tables and
/// HTML tables (which add row and column spans).
enum GridAlignment: Sendable { case left, center, right }

struct GridCell {
  var spans: [Span]
  var row: Int
  var column: Int
  var rowSpan = 1
  var columnSpan = 1
}

struct Grid {
  var rowCount = 0
  var columnCount = 0
  var cells: [GridCell] = []
  var alignments: [GridAlignment] = []
  /// Rows or columns left out by `MarkdownLimits`, said in a line under the table.
  var omittedRows = 0
  var omittedColumns = 0
}

enum GridLayout {
  /// Columns are sized by their widest line; when the pane is too narrow the widest columns
  /// shrink first and cells wrap. Rows are separated by lines only where that is needed to read
  /// them: after the header always, between other rows when some row is taller than one line
  /// or some cell spans rows.
  static func lines(
    _ grid: Grid, headerRows: Int, width: Int, styles: MarkdownStyles
  ) -> [StyledLine] {
    let columns = grid.columnCount
    guard columns > 0, grid.rowCount > 0 else { return [] }
    // Owners: which cell covers each slot; an empty slot gets an owner of its own.
    var owner = [[Int]](repeating: [], count: grid.rowCount)
    for row in 0..<grid.rowCount {
      owner[row] = (0..<columns).map { -1 - (row * columns + $0) }
    }
    for (index, cell) in grid.cells.enumerated() {
      for row in cell.row..<min(grid.rowCount, cell.row + cell.rowSpan) {
        for column in cell.column..<min(columns, cell.column + cell.columnSpan) {
          owner[row][column] = index
        }
      }
    }
    let columnWidths = widths(grid, budget: width - 1 - 3 * columns)
    guard let columnWidths else {
      return [
        [
          Span(
            TextWrap.truncate("(a table of \(columns) columns: too narrow)", width: width),
            styles.border)
        ]
      ]
    }
    // Each cell's text wrapped to its width.
    var x = [0]
    for width in columnWidths { x.append(x[x.count - 1] + width + 3) }
    let wrapped: [[StyledLine]] = grid.cells.map { cell in
      let end = min(columns, cell.column + cell.columnSpan)
      return SpanWrap.wrap(cell.spans, width: x[end] - x[cell.column] - 3)
    }
    // Row heights; a cell spanning rows grows the last of them if it needs more lines.
    var heights = [Int](repeating: 1, count: grid.rowCount)
    var spansRows = false
    for (index, cell) in grid.cells.enumerated() where cell.rowSpan == 1 {
      heights[cell.row] = max(heights[cell.row], wrapped[index].count)
    }
    for (index, cell) in grid.cells.enumerated() where cell.rowSpan > 1 {
      spansRows = true
      let last = min(grid.rowCount, cell.row + cell.rowSpan) - 1
      let available = heights[cell.row...last].reduce(0, +) + (last - cell.row)
      heights[last] += max(0, wrapped[index].count - available)
    }
    let ruled = spansRows || heights.contains { $0 > 1 }
    // Rows' first lines, and which row boundaries get a line.
    var top = [Int](repeating: 0, count: grid.rowCount + 1)
    var ruleAt = [Bool](repeating: false, count: grid.rowCount + 1)
    var y = 1
    ruleAt[0] = true
    for row in 0..<grid.rowCount {
      top[row] = y
      y += heights[row]
      ruleAt[row + 1] = row + 1 == grid.rowCount || ruled || row + 1 == headerRows
      if ruleAt[row + 1] { y += 1 }
    }
    top[grid.rowCount] = y
    var canvas = Canvas(width: x[columns] + 1, height: y)
    drawBorders(&canvas, owner: owner, x: x, top: top, ruleAt: ruleAt, style: styles.border)
    for (index, cell) in grid.cells.enumerated() {
      let end = min(columns, cell.column + cell.columnSpan)
      let cellWidth = x[end] - x[cell.column] - 3
      let alignment = cell.column < grid.alignments.count ? grid.alignments[cell.column] : .left
      for (offset, line) in wrapped[index].enumerated() {
        let slack = max(0, cellWidth - line.displayWidth)
        var column =
          x[cell.column] + 2
          + (alignment == .right ? slack : alignment == .center ? slack / 2 : 0)
        let right = x[end] - 1
        for span in line where column < right {
          column += canvas.write(
            span.text, x: column, y: top[cell.row] + offset, style: span.style,
            maxWidth: right - column)
        }
      }
    }
    var lines = canvas.styledLines()
    var omitted: [String] = []
    if grid.omittedRows > 0 { omitted.append("\(grid.omittedRows) more rows") }
    if grid.omittedColumns > 0 { omitted.append("\(grid.omittedColumns) more columns") }
    if !omitted.isEmpty {
      lines.append([
        Span(TextWrap.truncate("… " + omitted.joined(separator: ", "), width: width), styles.border)
      ])
    }
    return lines
  }

  /// Column widths whose table fits `budget` content columns: natural widths (the widest line
  /// of single-column cells, spanning cells spread over their columns), then the widest
  /// columns cut down to a common cap until the sum fits. Nil when not even one column each fits.
  static func widths(_ grid: Grid, budget: Int) -> [Int]? {
    let columns = grid.columnCount
    guard budget >= columns else { return nil }
    var natural = [Int](repeating: 1, count: columns)
    func widest(_ cell: GridCell) -> Int {
      var best = 0
      var current = 0
      for span in cell.spans {
        for character in span.text {
          if character == "\n" {
            current = 0
          } else {
            current += DisplayWidth.of(character)
            best = max(best, current)
          }
        }
      }
      return best
    }
    for cell in grid.cells where cell.columnSpan == 1 && cell.column < columns {
      natural[cell.column] = max(natural[cell.column], widest(cell))
    }
    for cell in grid.cells where cell.columnSpan > 1 && cell.column < columns {
      let end = min(columns, cell.column + cell.columnSpan)
      let have = natural[cell.column..<end].reduce(0, +) + 3 * (end - cell.column - 1)
      let missing = widest(cell) - have
      if missing > 0 {
        for column in cell.column..<end {
          natural[column] +=
            missing / (end - cell.column)
            + (column - cell.column < missing % (end - cell.column) ? 1 : 0)
        }
      }
    }
    guard natural.reduce(0, +) > budget else { return natural }
    // The largest cap with sum(min(natural, cap)) <= budget, then leftovers to the capped.
    var low = 1
    var high = natural.max() ?? 1
    while low < high {
      let cap = (low + high + 1) / 2
      if natural.reduce(0, { $0 + min($1, cap) }) <= budget { low = cap } else { high = cap - 1 }
    }
    var result = natural.map { min($0, low) }
    var left = budget - result.reduce(0, +)
    // Leftovers first to the columns they make whole (the least cut), so fewer cells wrap.
    let cut = (0..<columns).filter { natural[$0] > low }.sorted { natural[$0] < natural[$1] }
    for column in cut where left > 0 {
      let add = min(left, natural[column] - result[column])
      result[column] += add
      left -= add
    }
    return result
  }

  /// Grid lines: a horizontal line between slots of different cells, a vertical line likewise,
  /// and at each crossing the box-drawing character joining the lines that meet there.
  private static func drawBorders(
    _ canvas: inout Canvas, owner: [[Int]], x: [Int], top: [Int], ruleAt: [Bool], style: Style
  ) {
    let rows = owner.count
    let columns = x.count - 1
    // Different cells on either side of a line? Outside the grid counts as different.
    func slot(_ row: Int, _ column: Int) -> Int? {
      row >= 0 && row < rows && column >= 0 && column < columns ? owner[row][column] : nil
    }
    func differ(_ a: Int?, _ b: Int?) -> Bool { a == nil || b == nil || a != b }
    for boundary in 0...rows where ruleAt[boundary] {
      let y = boundary == rows ? top[rows] - 1 : top[boundary] - 1
      for column in 0..<columns {
        let line = differ(slot(boundary - 1, column), slot(boundary, column))
        canvas.write(
          String(repeating: line ? "─" : " ", count: x[column + 1] - x[column] - 1),
          x: x[column] + 1, y: y, style: style)
      }
      for column in 0...columns {
        let up = differ(slot(boundary - 1, column - 1), slot(boundary - 1, column)) && boundary > 0
        let down = differ(slot(boundary, column - 1), slot(boundary, column)) && boundary < rows
        let left = differ(slot(boundary - 1, column - 1), slot(boundary, column - 1)) && column > 0
        let right = differ(slot(boundary - 1, column), slot(boundary, column)) && column < columns
        canvas.write(
          junction(up: up, down: down, left: left, right: right), x: x[column], y: y, style: style)
      }
    }
    for row in 0..<rows {
      for y in top[row]..<(top[row + 1] - (ruleAt[row + 1] ? 1 : 0)) {
        for column in 0...columns where differ(slot(row, column - 1), slot(row, column)) {
          canvas.write("│", x: x[column], y: y, style: style)
        }
      }
    }
  }

  private static func junction(up: Bool, down: Bool, left: Bool, right: Bool) -> String {
    switch (up, down, left, right) {
    case (true, true, true, true): "┼"
    case (false, true, true, true): "┬"
    case (true, false, true, true): "┴"
    case (true, true, false, true): "├"
    case (true, true, true, false): "┤"
    case (false, true, false, true): "┌"
    case (false, true, true, false): "┐"
    case (true, false, false, true): "└"
    case (true, false, true, false): "┘"
    case (true, true, false, false): "│"
    case (false, false, true, true): "─"
    case (true, false, false, false): "╵"
    case (false, true, false, false): "╷"
    case (false, false, true, false): "╴"
    case (false, false, false, true): "╶"
    case (false, false, false, false): " "
    }
  }
}

extension Canvas {
  /// Each row as styled spans (continuation cells skipped: their wide character covers them).
  func styledLines() -> [StyledLine] {
    (0..<height).map { y in
      var line: StyledLine = []
      for x in 0..<width {
        let cell = self[x, y]
        if cell.isContinuation { continue }
        line.append(cell.grapheme, cell.style)
      }
      return line
    }
  }
}

import CXML
import OCRMarkup

/// An HTML `<table>` as a `Grid`, placing cells as browsers do: each cell in the next column
/// its row has free (cells spanning rows from above take theirs), spans clipped to the table and
/// to `MarkdownLimits`. Nested tables are drawn as their text inside the cell.
enum HTMLTable {
  static func grid(_ table: xmlNodePtr, styles: MarkdownStyles) -> Grid {
    var grid = Grid()
    var taken: [[Bool]] = []  // slots covered by cells placed so far, by row
    let rows = self.rows(table)
    let limit = MarkdownLimits.columns
    for (rowIndex, row) in rows.enumerated() {
      guard rowIndex < MarkdownLimits.rows else {
        grid.omittedRows = rows.count - rowIndex
        break
      }
      while taken.count <= rowIndex { taken.append([]) }
      var column = 0
      for (cell, name) in cells(row) {
        while column < taken[rowIndex].count && taken[rowIndex][column] { column += 1 }
        let columnSpan = span(cell, "colspan", limit: limit)
        let rowSpan = span(cell, "rowspan", limit: MarkdownLimits.rows)
        if column >= limit {
          grid.omittedColumns = max(grid.omittedColumns, column + columnSpan - limit)
          column += columnSpan
          continue
        }
        let spans = Span.truncated(
          HTMLText.spans(cell, style: name == "th" ? Style(bold: true) : .plain, styles: styles),
          characters: MarkdownLimits.cellCharacters)
        let placed = GridCell(
          spans: spans, row: rowIndex, column: column, rowSpan: rowSpan,
          columnSpan: min(columnSpan, limit - column))
        for spanned in rowIndex..<rowIndex + rowSpan {
          while taken.count <= spanned { taken.append([]) }
          let end = column + placed.columnSpan
          if taken[spanned].count < end {
            taken[spanned] += Array(repeating: false, count: end - taken[spanned].count)
          }
          for slot in column..<end { taken[spanned][slot] = true }
        }
        grid.cells.append(placed)
        grid.columnCount = max(grid.columnCount, column + placed.columnSpan)
        column += columnSpan
      }
      grid.rowCount = rowIndex + 1
    }
    for index in grid.cells.indices {  // a span past the last row ends with the table
      grid.cells[index].rowSpan = min(
        grid.cells[index].rowSpan, grid.rowCount - grid.cells[index].row)
    }
    return grid
  }

  /// Rows at the head of the table: those in `<thead>`, else leading rows of `<th>` only.
  static func headerRows(_ table: xmlNodePtr) -> Int {
    var count = 0
    for row in rows(table) {
      let inHead = row.pointee.parent.map { HTMLText.name($0) == "thead" } ?? false
      let names = cells(row).map(\.name)
      guard inHead || (!names.isEmpty && names.allSatisfy { $0 == "th" }) else { break }
      count += 1
    }
    return count
  }

  /// A row's `<td>` and `<th>` elements, in order, with their names.
  private static func cells(_ row: xmlNodePtr) -> [(cell: xmlNodePtr, name: String)] {
    var cells: [(cell: xmlNodePtr, name: String)] = []
    var child = row.pointee.children
    while let node = child {
      child = node.pointee.next
      guard node.pointee.type == XML_ELEMENT_NODE else { continue }
      let name = HTMLText.name(node)
      if name == "td" || name == "th" { cells.append((node, name)) }
    }
    return cells
  }

  /// `<tr>` elements of this table (directly or in `<thead>`, `<tbody>`, `<tfoot>`), in order.
  private static func rows(_ table: xmlNodePtr) -> [xmlNodePtr] {
    var rows: [xmlNodePtr] = []
    var child = table.pointee.children
    while let node = child {
      child = node.pointee.next
      guard node.pointee.type == XML_ELEMENT_NODE else { continue }
      switch HTMLText.name(node) {
      case "tr":
        rows.append(node)
      case "thead", "tbody", "tfoot":
        var inner = node.pointee.children
        while let row = inner {
          inner = row.pointee.next
          if row.pointee.type == XML_ELEMENT_NODE && HTMLText.name(row) == "tr" { rows.append(row) }
        }
      default:
        continue
      }
    }
    return rows
  }

  /// A `rowspan`/`colspan` value: 1 when absent or not a positive number, at most `limit`.
  private static func span(_ cell: xmlNodePtr, _ name: String, limit: Int) -> Int {
    guard let text = HTMLText.attribute(cell, name),
      let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0
    else { return 1 }
    return min(value, limit)
  }
}

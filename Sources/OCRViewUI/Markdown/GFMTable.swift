import CMark
import OCRMarkup

/// A GFM pipe table (cmark-gfm's `table` extension) as a `Grid`: the header row bold, the
/// delimiter row's alignments, at most `MarkdownLimits` rows and columns, long cells cut.
struct GFMTable {
  let inlines: InlineSpans

  func lines(_ table: CMarkNode, width: Int, styles: MarkdownStyles) -> [StyledLine] {
    var grid = Grid()
    let alignments = table.tableAlignments
    grid.columnCount = min(alignments.count, MarkdownLimits.columns)
    grid.omittedColumns = alignments.count - grid.columnCount
    grid.alignments = Array(alignments.prefix(grid.columnCount))
    var headerRows = 0
    for (index, row) in table.children.enumerated() {
      guard index < MarkdownLimits.rows else {
        grid.omittedRows += 1
        continue
      }
      if row.isHeaderRow { headerRows = index + 1 }
      let base = row.isHeaderRow ? Style(bold: true) : styles.plain
      for (column, cell) in row.children.enumerated() where column < grid.columnCount {
        let spans = Span.truncated(
          inlines.spans(cell, base: base), characters: MarkdownLimits.cellCharacters)
        grid.cells.append(GridCell(spans: spans, row: index, column: column))
      }
      grid.rowCount = index + 1
    }
    return GridLayout.lines(grid, headerRows: headerRows, width: width, styles: styles)
  }
}

extension Span {
  /// At most `characters` characters of `spans`, ending in "…" when cut.
  static func truncated(_ spans: [Span], characters: Int) -> [Span] {
    var left = characters
    var result: [Span] = []
    for span in spans {
      guard left > 0 else { break }
      let count = span.text.count
      if count <= left {
        result.append(span)
        left -= count
      } else {
        result.append(Span(String(span.text.prefix(left)) + "…", span.style))
        left = 0
      }
    }
    return result
  }
}

extension CMarkNode {
  /// A GFM table's column alignments from its delimiter row.
  var tableAlignments: [GridAlignment] {
    let count = Int(cmark_gfm_extensions_get_table_columns(pointer))
    guard let alignments = cmark_gfm_extensions_get_table_alignments(pointer) else {
      return Array(repeating: .left, count: count)
    }
    return (0..<count).map { index in
      switch alignments[index] {
      case UInt8(ascii: "c"): .center
      case UInt8(ascii: "r"): .right
      default: .left
      }
    }
  }
}

/// A block of tesseract's words read column by column: how a reader of a table may go through
/// it (poppler's text of a born-digital table often does: a column of figures, then the next),
/// where tesseract always reads row by row. `WordPlacement` aligns the model's words against
/// whichever reading of each block keeps more of the model's order.
///
/// Columns are the words whose horizontal extents overlap, directly or through others, left to
/// right, each read top to bottom (then left to right on one line). A word alone on its line
/// and wider than half its block (a rule of dashes, a heading across the table) belongs to no
/// column: such words come first, in tesseract's order. A block of prose is one column — its
/// lines' words overlap each other — and so reads as tesseract reads it.
enum ColumnReading {
  /// A word of a block: its line and its index on that line.
  struct Position: Hashable {
    var line: Int
    var word: Int
  }

  /// Tesseract's order of `block`'s words.
  static func rows(_ block: TesseractLayout.Block) -> [Position] {
    block.lines.enumerated().flatMap { l, line in
      line.words.indices.map { Position(line: l, word: $0) }
    }
  }

  /// `block`'s words column by column.
  static func columns(_ block: TesseractLayout.Block) -> [Position] {
    let wide = Double(block.box.x2 - block.box.x1) / 2
    var spanning: [Position] = []
    var placed: [(position: Position, box: PixelBox)] = []
    for position in rows(block) {
      let box = block.lines[position.line].words[position.word].box
      if block.lines[position.line].words.count == 1, Double(box.x2 - box.x1) > wide {
        spanning.append(position)
      } else {
        placed.append((position, box))
      }
    }
    // Overlapping extents, swept from the left: a column ends where no word reaches past.
    placed.sort { ($0.box.x1, $0.position.line) < ($1.box.x1, $1.position.line) }
    var columns: [[Position]] = []
    var reach = Int.min
    for (position, box) in placed {
      if columns.isEmpty || box.x1 >= reach {
        columns.append([])
        reach = box.x2
      }
      columns[columns.count - 1].append(position)
      reach = max(reach, box.x2)
    }
    return spanning
      + columns.flatMap { $0.sorted { ($0.line, $0.word) < ($1.line, $1.word) } }
  }
}

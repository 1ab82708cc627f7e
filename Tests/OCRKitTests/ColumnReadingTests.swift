import Testing

@testable import OCRKit

/// `ColumnReading`: a block's words by rows (tesseract's order) and by columns.
struct ColumnReadingTests {
  static func block(_ rows: [[(String, Int, Int)]], width: Int = 600) -> TesseractLayout.Block {
    let lines = rows.enumerated().map { k, row in
      let box = PixelBox(x1: 0, y1: 30 * k, x2: width, y2: 30 * k + 20)
      return TesseractLayout.Line(
        box: box, baselineLeft: Double(box.y2 - 4), baselineRight: Double(box.y2 - 4),
        words: row.map { .init($0.0, box: PixelBox(x1: $0.1, y1: box.y1, x2: $0.2, y2: box.y2)) })
    }
    return .init(box: PixelBox(x1: 0, y1: 0, x2: width, y2: 30 * rows.count), lines: lines)
  }

  static func texts(_ block: TesseractLayout.Block, _ order: [ColumnReading.Position])
    -> [String]
  { order.map { block.lines[$0.line].words[$0.word].text } }

  /// Columns left to right, each top to bottom; a rule across the table comes first; figures
  /// right-aligned in a column (their extents overlapping) stay one column.
  @Test func aTableReadsColumnByColumn() {
    let table = Self.block([
      [("--------------------------", 0, 560)],
      [("Ir", 0, 20), ("Dr", 200, 220), ("code", 300, 340)],
      [("4,991", 10, 60), ("1,995", 170, 220), ("for", 300, 330), ("(i", 340, 360)],
      [(".", 54, 60), ("0", 214, 220), ("table[i]", 320, 400)],
    ])
    #expect(
      Self.texts(table, ColumnReading.columns(table)) == [
        "--------------------------", "Ir", "4,991", ".", "Dr", "1,995", "0", "code", "for",
        "(i", "table[i]",
      ])
    #expect(
      Self.texts(table, ColumnReading.rows(table)) == [
        "--------------------------", "Ir", "Dr", "code", "4,991", "1,995", "for", "(i", ".",
        "0", "table[i]",
      ])
  }

  /// Prose is one column: its lines' words overlap each other's, so it reads as tesseract
  /// reads it (and `WordPlacement` then tries no second reading).
  @Test func proseReadsTheSameBothWays() {
    let prose = Self.block([
      [("The", 0, 30), ("quick", 40, 90), ("brown", 100, 150), ("fox", 160, 190)],
      [("jumps", 0, 50), ("over", 60, 105), ("the", 115, 145), ("lazy", 148, 188)],
      [("dog.", 0, 40)],
    ])
    #expect(ColumnReading.columns(prose) == ColumnReading.rows(prose))
  }
}

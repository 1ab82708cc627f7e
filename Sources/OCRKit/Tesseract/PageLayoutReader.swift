import CTesseract

/// The page's layout (`TesseractLayout`) as tesseract's result iterator gives it after
/// recognition: one walk symbol by symbol, opening a block, line or word whenever the iterator
/// is at the beginning of one. Blocks `PageLines` skips (images, rules, noise) are skipped
/// here too, so the layout's words are `PageLines.words`'s words.
enum PageLayoutReader {
  static func layout(_ api: OpaquePointer?) -> TesseractLayout {
    guard let iterator = TessBaseAPIGetIterator(api) else { return TesseractLayout() }
    defer { TessResultIteratorDelete(iterator) }
    let position = TessResultIteratorGetPageIterator(iterator)
    var blocks: [TesseractLayout.Block] = []
    repeat {
      // An empty block (an image) has no word box; a skipped block's text is noise.
      guard let wordBox = box(position, RIL_WORD),
        !PageLines.skippedBlocks.contains(TessPageIteratorBlockType(position))
      else { continue }
      if blocks.isEmpty || TessPageIteratorIsAtBeginningOf(position, RIL_BLOCK) != 0 {
        blocks.append(.init(box: box(position, RIL_BLOCK) ?? wordBox, lines: []))
      }
      if blocks[blocks.count - 1].lines.isEmpty
        || TessPageIteratorIsAtBeginningOf(position, RIL_TEXTLINE) != 0
      {
        blocks[blocks.count - 1].lines.append(line(position, wordBox: wordBox))
      }
      var lines = blocks[blocks.count - 1].lines
      blocks[blocks.count - 1].lines = []  // unshared while words are appended
      if lines[lines.count - 1].words.isEmpty
        || TessPageIteratorIsAtBeginningOf(position, RIL_WORD) != 0
      {
        let text = self.text(iterator, RIL_WORD)
        let confidence = Double(TessResultIteratorConfidence(iterator, RIL_WORD))
        lines[lines.count - 1].words.append(.init(text, confidence: confidence, box: wordBox))
      }
      if let symbolBox = box(position, RIL_SYMBOL) {
        let symbol = TesseractLayout.Symbol(text(iterator, RIL_SYMBOL), box: symbolBox)
        let last = lines[lines.count - 1].words.count - 1
        lines[lines.count - 1].words[last].symbols.append(symbol)
      }
      blocks[blocks.count - 1].lines = lines
    } while TessResultIteratorNext(iterator, RIL_SYMBOL) != 0
    return TesseractLayout(blocks: blocks)
  }

  /// The line starting here: its box, and its baseline carried to the box's edges.
  private static func line(_ position: OpaquePointer?, wordBox: PixelBox) -> TesseractLayout.Line {
    let lineBox = box(position, RIL_TEXTLINE) ?? wordBox
    var (x1, y1, x2, y2): (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
    var left = Double(lineBox.y2)
    var right = left
    if TessPageIteratorBaseline(position, RIL_TEXTLINE, &x1, &y1, &x2, &y2) != 0 {
      let slope = x2 == x1 ? 0 : Double(y2 - y1) / Double(x2 - x1)
      left = Double(y1) + slope * Double(lineBox.x1 - Int(x1))
      right = Double(y1) + slope * Double(lineBox.x2 - Int(x1))
    }
    let clamp = { (y: Double) in min(max(y, Double(lineBox.y1)), Double(lineBox.y2)) }
    return .init(box: lineBox, baselineLeft: clamp(left), baselineRight: clamp(right), words: [])
  }

  private static func box(_ position: OpaquePointer?, _ level: TessPageIteratorLevel)
    -> PixelBox?
  {
    var (left, top, right, bottom): (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
    guard TessPageIteratorBoundingBox(position, level, &left, &top, &right, &bottom) != 0
    else { return nil }
    return PixelBox(x1: Int(left), y1: Int(top), x2: Int(right), y2: Int(bottom))
  }

  private static func text(_ iterator: OpaquePointer?, _ level: TessPageIteratorLevel) -> String {
    guard let text = TessResultIteratorGetUTF8Text(iterator, level) else { return "" }
    defer { TessDeleteText(text) }
    return String(cString: text)
  }
}

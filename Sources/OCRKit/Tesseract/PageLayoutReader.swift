import CTesseract

/// The page's layout (`TesseractLayout`) as tesseract's result iterator gives it after
/// recognition: one walk symbol by symbol, opening a block, line or word whenever the iterator
/// is at the beginning of one. Blocks `PageLines` skips (images, rules, noise) are skipped
/// here too, so the layout's words are `PageLines.words`'s words.
enum PageLayoutReader {
  ///
  /// Per symbol it asks only what it must: a word's text, confidence and box once, at its
  /// first symbol; a block's type once, at its start. (Asking tesseract for the word's box at
  /// every symbol made the walk twice as slow: 0.2 s for 2,392 symbols in a debug build.)
  static func layout(_ api: OpaquePointer?) -> TesseractLayout {
    guard let iterator = TessBaseAPIGetIterator(api) else { return TesseractLayout() }
    defer { TessResultIteratorDelete(iterator) }
    let position = TessResultIteratorGetPageIterator(iterator)
    var blocks: [TesseractLayout.Block] = []
    var block: TesseractLayout.Block?
    var line: TesseractLayout.Line?
    var word: TesseractLayout.Word?
    var skipping = false
    func endWord() {
      if let done = word { line?.words.append(done) }
      word = nil
    }
    func endLine() {
      endWord()
      if let done = line, !done.words.isEmpty { block?.lines.append(done) }
      line = nil
    }
    func endBlock() {
      endLine()
      if let done = block, !done.lines.isEmpty { blocks.append(done) }
      block = nil
    }
    repeat {
      // An empty block (an image) has no symbol box.
      guard let symbolBox = box(position, RIL_SYMBOL) else { continue }
      let atBlock = block == nil || TessPageIteratorIsAtBeginningOf(position, RIL_BLOCK) != 0
      if atBlock {
        endBlock()
        // A skipped block's text is noise.
        skipping = PageLines.skippedBlocks.contains(TessPageIteratorBlockType(position))
        block = .init(box: box(position, RIL_BLOCK) ?? symbolBox, lines: [])
      }
      if skipping { continue }
      let atLine = atBlock || TessPageIteratorIsAtBeginningOf(position, RIL_TEXTLINE) != 0
      if atLine {
        endLine()
        line = self.line(position, fallback: symbolBox)
      }
      if atLine || TessPageIteratorIsAtBeginningOf(position, RIL_WORD) != 0 {
        endWord()
        word = .init(
          text(iterator, RIL_WORD),
          confidence: Double(TessResultIteratorConfidence(iterator, RIL_WORD)),
          box: box(position, RIL_WORD) ?? symbolBox)
      }
      word?.symbols.append(.init(text(iterator, RIL_SYMBOL), box: symbolBox))
    } while TessResultIteratorNext(iterator, RIL_SYMBOL) != 0
    endBlock()
    return TesseractLayout(blocks: blocks)
  }

  /// The line starting here: its box, and its baseline carried to the box's edges.
  private static func line(_ position: OpaquePointer?, fallback: PixelBox) -> TesseractLayout.Line {
    let lineBox = box(position, RIL_TEXTLINE) ?? fallback
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

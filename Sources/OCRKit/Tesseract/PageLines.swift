import CTesseract

/// The text lines of the page tesseract is reading, in its reading order, and how they are
/// written out: the one text formatter of the built-in engine, so batch mode (all lines once
/// recognition is done) and stream mode (lines as recognition passes them) cannot differ.
///
/// Lines are the positions tesseract's result iterator steps through at `RIL_TEXTLINE`; a
/// block without words (an image) is a line without words, so line numbers are the same
/// before, during and after recognition (recognition splits words, never lines).
struct PageLines {
  /// One line: how many words layout analysis gave it, and its text once read.
  struct Line {
    /// In a text block, not an image or a rule (tesseract's own page text skips those).
    var isText = true
    /// Words at this line's positions, when counted (before recognition: as layout analysis
    /// found them).
    var words = 0
    /// The line as tesseract writes it (`ResultIterator` at `RIL_TEXTLINE`: its spacing —
    /// none between Hangul syllables, as `kor` asks with `preserve_interword_spaces` — a
    /// newline, and a second one when the next line starts a paragraph), when asked for.
    var text = ""
  }

  /// Walks the page's lines from the top, stopping before line `limit`, reading the text of
  /// lines in `reading` only and counting words only when asked. Reading a word tesseract has
  /// not recognised yet would fail an assertion inside it, so callers pass only lines they
  /// know are done; counting words and stepping over lines only looks at layout, safe at any
  /// time. Stepping line by line, not word by word, matters: stream mode walks the page once
  /// per finished line (measured on a 700-word two-column page: word steps cost 40 % of the
  /// page's time, line steps were within run-to-run noise).
  static func walk(
    _ api: OpaquePointer?, limit: Int = .max, reading: Range<Int> = 0..<0,
    countingWords: Bool = false
  ) -> [Line] {
    guard let iterator = TessBaseAPIGetIterator(api) else { return [] }
    defer { TessResultIteratorDelete(iterator) }
    let position = TessResultIteratorGetPageIterator(iterator)
    var lines: [Line] = []
    repeat {
      if lines.count == limit { break }
      var line = Line(isText: !Self.skippedBlocks.contains(TessPageIteratorBlockType(position)))
      if reading.contains(lines.count) { line.text = Self.text(iterator) }
      if countingWords { line.words = Self.words(from: iterator) }
      lines.append(line)
    } while TessResultIteratorNext(iterator, RIL_TEXTLINE) != 0
    return lines
  }

  /// Every word tesseract read on the page, with its confidence (0–100), in reading order;
  /// words in blocks its page text skips (images, rules, noise) are left out. Call after
  /// recognition.
  static func words(_ api: OpaquePointer?) -> [TesseractReading.Word] {
    guard let iterator = TessBaseAPIGetIterator(api) else { return [] }
    defer { TessResultIteratorDelete(iterator) }
    let position = TessResultIteratorGetPageIterator(iterator)
    var words: [TesseractReading.Word] = []
    repeat {
      guard isWord(position), !skippedBlocks.contains(TessPageIteratorBlockType(position)),
        let text = TessResultIteratorGetUTF8Text(iterator, RIL_WORD)
      else { continue }
      defer { TessDeleteText(text) }
      let confidence = Double(TessResultIteratorConfidence(iterator, RIL_WORD))
      words.append(TesseractReading.Word(String(cString: text), confidence: confidence))
    } while TessResultIteratorNext(iterator, RIL_WORD) != 0
    return words
  }

  /// Words from the start of a line to the start of the next line (or empty block).
  private static func words(from lineStart: OpaquePointer?) -> Int {
    guard let iterator = TessResultIteratorCopy(lineStart) else { return 0 }
    defer { TessResultIteratorDelete(iterator) }
    let position = TessResultIteratorGetPageIterator(iterator)
    var words = 0
    repeat {
      if isWord(position) { words += 1 }
    } while TessResultIteratorNext(iterator, RIL_WORD) != 0
      && TessPageIteratorIsAtBeginningOf(position, RIL_TEXTLINE) == 0
    return words
  }

  /// Blocks `TessBaseAPIGetUTF8Text` leaves out of the page text (noise it asserts on).
  static let skippedBlocks: Set<TessPolyBlockType> = [
    PT_FLOWING_IMAGE, PT_HEADING_IMAGE, PT_PULLOUT_IMAGE, PT_HORZ_LINE, PT_VERT_LINE, PT_NOISE,
  ]

  /// A word is at this position (not an empty block): only words have a bounding box.
  private static func isWord(_ position: OpaquePointer?) -> Bool {
    var left: Int32 = 0
    var top: Int32 = 0
    var right: Int32 = 0
    var bottom: Int32 = 0
    return TessPageIteratorBoundingBox(position, RIL_WORD, &left, &top, &right, &bottom) != 0
  }

  /// The text of the line starting here ("" in an empty block).
  private static func text(_ iterator: OpaquePointer?) -> String {
    guard let text = TessResultIteratorGetUTF8Text(iterator, RIL_TEXTLINE) else { return "" }
    defer { TessDeleteText(text) }
    return String(cString: text)
  }

  /// What a line adds to the page text: its text, as `TessBaseAPIGetUTF8Text` puts it in,
  /// except that lines outside text blocks and lines of blanks add nothing. (A line whose
  /// words tesseract read as nothing is blank until it deletes such words at the end.)
  static func write(_ line: Line) -> String {
    line.isText && line.text.contains { !$0.isWhitespace } ? line.text : ""
  }
}

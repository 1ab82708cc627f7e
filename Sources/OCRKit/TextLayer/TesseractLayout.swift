/// Where tesseract found the text of one page: its blocks, their lines (with baselines), the
/// lines' words and the words' symbols, each with its box in pixels of the page image, in
/// tesseract's reading order.
///
/// Read from the same recognition `--check` runs (`TesseractEngine.readWords`), so a checked
/// run that also writes a text layer recognises each page once. A plain value, so
/// `WordPlacement` and its tests never need tesseract.
///
/// Symbols matter for scripts tesseract splits into words differently from the text: Korean
/// spacing, CJK without spaces. A word's box can be cut by its characters.
public struct TesseractLayout: Sendable, Equatable {
  public struct Symbol: Sendable, Equatable {
    public var text: String
    public var box: PixelBox

    public init(_ text: String, box: PixelBox) {
      self.text = text
      self.box = box
    }
  }

  /// Its box lies horizontally inside its line's, but not always vertically: tesseract gives
  /// some one-syllable Hangul words (의, 가) and lone letters boxes twice their line's height
  /// (measured on `assets/sample.pdf`). Take heights from the line.
  public struct Word: Sendable, Equatable {
    public var text: String
    /// Tesseract's confidence, 0–100.
    public var confidence: Double
    public var box: PixelBox
    /// In reading order; empty when tesseract gave none (a test's layout may leave them out).
    public var symbols: [Symbol]

    public init(_ text: String, confidence: Double = 90, box: PixelBox, symbols: [Symbol] = []) {
      self.text = text
      self.confidence = confidence
      self.box = box
      self.symbols = symbols
    }
  }

  public struct Line: Sendable, Equatable {
    public var box: PixelBox
    /// The baseline's y at the line box's left and right edges.
    public var baselineLeft: Double
    public var baselineRight: Double
    public var words: [Word]

    public init(box: PixelBox, baselineLeft: Double, baselineRight: Double, words: [Word]) {
      self.box = box
      self.baselineLeft = baselineLeft
      self.baselineRight = baselineRight
      self.words = words
    }

    /// The box the line's type fills, across the line's width: what a font's ascent and
    /// descent would give its letters, as a viewer's highlight of the printed words does.
    ///
    /// From its letters and digits (their symbols', else their words' boxes), leaving out any
    /// more than 1.6 times as tall as their upper quartile, and reaching below the baseline at
    /// least a quarter of their height above it (a font's descent, where no letter descends:
    /// a row of figures). Tesseract's line box is no measure of the type: it holds whatever
    /// tesseract joined to the line — a ruled table's rules read as `|`, a rule fused to a
    /// letter, quotes and brackets — measured on crc-doc's tables at twice the rows' type,
    /// which made poppler read the layer's rows as one block of columns, and on Korean lines
    /// tall enough to overlap the next, so poppler read a line's end after the next line.
    /// Tesseract's own estimate (`RowAttributes`, hOCR's `x_size`) was no help either: 1.3–2.5
    /// times the type on some lines of the same page. The line's box when it has no letter or
    /// digit.
    public var typeBox: PixelBox {
      let letters = words.flatMap { word in
        word.symbols.isEmpty ? [(word.text, word.box)] : word.symbols.map { ($0.text, $0.box) }
      }.filter { text, box in box.y2 > box.y1 && text.contains { $0.isLetter || $0.isNumber } }
        .map(\.1)
      guard !letters.isEmpty else { return box }
      let heights = letters.map { $0.y2 - $0.y1 }.sorted()
      let limit = 1.6 * Double(heights[(heights.count - 1) * 3 / 4])
      let kept = letters.filter { Double($0.y2 - $0.y1) <= limit }
      let top = kept.map(\.y1).min()!
      let baseline = max(baselineLeft, baselineRight)
      let descent = max(0, min(baselineLeft, baselineRight) - Double(top)) / 4
      let bottom = max(kept.map(\.y2).max()!, Int((baseline + descent).rounded()))
      return PixelBox(x1: box.x1, y1: top, x2: box.x2, y2: bottom)
    }
  }

  public struct Block: Sendable, Equatable {
    public var box: PixelBox
    public var lines: [Line]

    public init(box: PixelBox, lines: [Line]) {
      self.box = box
      self.lines = lines
    }

    /// Each line's type box (`Line.typeBox`), one size for the block's lines of one size:
    /// the lines within 0.75–1.33 times the block's median type height take that height and
    /// the median reach below the baseline, about their own baselines. A line's ink band
    /// varies with its letters (descenders or none, capitals or none), its type does not; and
    /// a reader groups lines into a paragraph, a table's rows into columns, only when their
    /// type is one size (poppler: within 5 %). Measured on valgrind's tables of figures, whose
    /// rows poppler read as single words one after another until they were one size. A line
    /// of another size (a heading tesseract joined to the block) keeps its own.
    public var typeBoxes: [PixelBox] {
      let own = lines.map(\.typeBox)
      guard lines.count > 1 else { return own }
      let heights = own.enumerated().map { k, box in
        Double(box.y2 - box.y1) - abs(lines[k].baselineRight - lines[k].baselineLeft)
      }
      let height = heights.sorted()[heights.count / 2]
      let descents = own.enumerated().map { k, box in
        Double(box.y2) - max(lines[k].baselineLeft, lines[k].baselineRight)
      }.sorted()
      let descent = descents[descents.count / 2]
      guard height > 0 else { return own }
      return own.enumerated().map { k, box in
        guard heights[k] >= 0.75 * height, heights[k] <= 1.33 * height else { return box }
        let line = lines[k]
        let bottom = max(line.baselineLeft, line.baselineRight) + descent
        let top = min(line.baselineLeft, line.baselineRight) + descent - height
        return PixelBox(
          x1: box.x1, y1: Int(top.rounded()), x2: box.x2, y2: Int(bottom.rounded()))
      }
    }
  }

  /// Text blocks only (tesseract's images, rules and noise are left out, as its page text
  /// leaves them out); a block keeps only lines with words.
  public var blocks: [Block]
  /// The page image the boxes are in (0 × 0 when unknown: a test's layout).
  public var imageWidth: Int
  public var imageHeight: Int
  /// The page image's ink, in the boxes' pixels: where the lines tesseract missed stand
  /// (nil when unknown: a test's layout without a drawn page).
  public var ink: InkMask?

  public init(
    blocks: [Block] = [], imageWidth: Int = 0, imageHeight: Int = 0, ink: InkMask? = nil
  ) {
    self.blocks = blocks
    self.imageWidth = imageWidth
    self.imageHeight = imageHeight
    self.ink = ink
  }

  /// Every word, in reading order.
  public var words: [Word] { blocks.flatMap { $0.lines.flatMap(\.words) } }
}

extension Box {
  /// Whether `other` lies inside this box, allowing `slack` pixels on every side.
  public func contains(_ other: Box, slack: Int = 0) -> Bool {
    other.x1 >= x1 - slack && other.y1 >= y1 - slack && other.x2 <= x2 + slack
      && other.y2 <= y2 + slack
  }

  /// The smallest box holding both.
  public func union(_ other: Box) -> Box {
    Box(x1: min(x1, other.x1), y1: min(y1, other.y1), x2: max(x2, other.x2), y2: max(y2, other.y2))
  }
}

import Foundation

/// The model's words placed on the page image by tesseract's layout: the model writes the
/// better text, tesseract knows where text stands, and a text layer needs both.
///
/// - Words are paired by `WordAlignment` (anchors of exact runs in any order, then
///   Needleman–Wunsch between them, splits and merges as units).
/// - A paired word takes its tesseract word's horizontal extent; a unit that splits or merges
///   words is cut by tesseract's symbol boxes in proportion to the characters, so Korean words
///   spaced differently by the two readings still get the part of the line they cover.
/// - An unpaired word is interpolated inside the line of its paired neighbours on the same
///   model line, between them (by characters); when those neighbours sit on two tesseract
///   lines (a model line wrapped across them), the words are shared between the end of the
///   first and the start of the second by the free space each has.
/// - A model line with no paired word at all is a line tesseract missed: it goes on the row of
///   ink where it is printed, between the lines before and after it, when the page's ink
///   shows rows there that fit the missed lines (`placeMissedLinesOnInk`); else it gets a
///   line of its own in the block of the line before it (the previous model line's last
///   paired word), just below that line and as tall.
/// - Every word takes its line's type height (`TesseractLayout.Block.typeBoxes`: a ruled table's
///   line box holds its rules too); lines keep tesseract's baselines; every model word is
///   placed once, and words on a line are in the model's order, so copying the text layer
///   gives the model's text back. Lines and blocks run in tesseract's reading order.
public enum WordPlacement {
  /// The page's text layer. `text` is the model's plain text (`ModelPlainText.plain`): its
  /// lines are the model's lines.
  public static func place(
    text: String, layout: TesseractLayout, page: Int, imageWidth: Int, imageHeight: Int
  ) -> PlacedPage {
    placeTracing(
      text: text, layout: layout, page: page, imageWidth: imageWidth, imageHeight: imageHeight
    ).page
  }

  /// The text layer of `image`, the page image tesseract read: what the integration calls
  /// with `ModelPlainText.plain(modelText, grounded:)` and `TesseractReading.layout`.
  public static func place(text: String, layout: TesseractLayout, image: PageImage) -> PlacedPage {
    place(
      text: text, layout: layout, page: image.number, imageWidth: image.width,
      imageHeight: image.height)
  }

  /// Where one of the model's words went: indices into `PlacedPage.blocks`, its `lines`, and
  /// their `words`.
  public struct Position: Sendable, Equatable {
    public var block: Int
    public var line: Int
    public var word: Int
  }

  /// `place`, and where each of the model's words (whitespace-separated, in the model's
  /// order) went: what a benchmark compares with the words' true boxes.
  public static func placeTracing(
    text: String, layout: TesseractLayout, page: Int, imageWidth: Int, imageHeight: Int
  ) -> (page: PlacedPage, positions: [Position]) {
    let reading = Placer.columnBlocks(ModelToken.tokens(text), layout: layout)
    var placer = Placer(
      text: text, layout: layout, size: (imageWidth, imageHeight),
      columnBlocks: reading.blocks, units: reading.units)
    let (blocks, order) = placer.place()
    var positions = [Position](
      repeating: Position(block: 0, line: 0, word: 0),
      count: order.flatMap { $0.flatMap { $0 } }.count)
    for (b, lines) in order.enumerated() {
      for (l, tokens) in lines.enumerated() {
        for (w, token) in tokens.enumerated() {
          positions[token] = Position(block: b, line: l, word: w)
        }
      }
    }
    return (
      PlacedPage(number: page, imageWidth: imageWidth, imageHeight: imageHeight, blocks: blocks),
      positions
    )
  }
}

/// One model word, with its line and the key it is paired by.
struct ModelToken {
  var text: String
  var key: String?
  var line: Int

  /// The words of the model's plain text, line by line. A rule run into the word after it
  /// (`-----…-----Ir`: `pdftotext` of a table under a dashed rule, and a model copying such
  /// text) is two lines, as printed: the rule, then the word on the line below it; so is a
  /// line that starts with a rule of 40 or more and goes on (`pdftotext` joins a rule and the
  /// heading below it: `-----…----- Auto-annotated source: concord.c`).
  static func tokens(_ text: String) -> [ModelToken] {
    var tokens: [ModelToken] = []
    var line = 0
    for content in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
      for (k, var word) in content.split(whereSeparator: \.isWhitespace).enumerated() {
        if k == 1, let rule = tokens.last, rule.isRule, rule.text.count >= 40 { line += 1 }
        if let rule = ruleRunInto(word) {
          if tokens.last?.line == line { line += 1 }
          tokens.append(ModelToken(text: String(rule), key: key(String(rule)), line: line))
          line += 1
          word = word[rule.endIndex...]
        }
        tokens.append(ModelToken(text: String(word), key: key(String(word)), line: line))
      }
      line += 1
    }
    return tokens
  }

  /// The rule a word starts with when more follows it: eight or more of one of `-`, `=`, `_`
  /// (not when what follows draws with it: an arrow `-------->`, a box's corner `--------+`).
  static func ruleRunInto(_ word: Substring) -> Substring? {
    guard let first = word.first, "-=_".contains(first) else { return nil }
    let rule = word.prefix { $0 == first }
    guard rule.count >= 8, let next = word[rule.endIndex...].first, !"<>|+*/\\".contains(next)
    else { return nil }
    return rule
  }

  /// A rule of its own: eight or more of one of `-`, `=`, `_` and nothing else.
  var isRule: Bool {
    guard let first = text.first, "-=_".contains(first) else { return false }
    return text.count >= 8 && text.allSatisfy { $0 == first }
  }

  /// `TesseractCommandLine.normalizedWords`'s form of one word.
  static func key(_ word: String) -> String? {
    TesseractCommandLine.normalized(word.precomposedStringWithCompatibilityMapping)
  }
}

struct Placer {
  /// A tesseract line: block and line index.
  struct LineRef: Hashable, Comparable {
    var block: Int
    var line: Int
    static func < (a: Self, b: Self) -> Bool { (a.block, a.line) < (b.block, b.line) }
  }
  /// Where a model word went.
  struct Spot {
    var line: LineRef
    var x1: Double
    var x2: Double
    var placement: PlacedWord.Placement
    /// The tesseract words (indices into `words`) it was placed on; empty (at the position
    /// where they would be) when interpolated.
    var tesseract: Range<Int> = 0..<0
    /// A line tesseract missed between two of its lines: the missed line's vertical extent
    /// (its line of its own follows `line` in reading order).
    var band: ClosedRange<Int>? = nil
  }

  let tokens: [ModelToken]
  let layout: TesseractLayout
  /// The alignment of the model's words with `words`, when made already.
  let units: [WordAlignment.Unit]?
  /// Per block, its lines' type boxes (`TesseractLayout.Block.typeBoxes`).
  let typeBoxes: [[PixelBox]]
  let size: (width: Int, height: Int)
  /// Tesseract's words in reading order, with their lines.
  let words: [(ref: LineRef, word: TesseractLayout.Word)]
  var spots: [Spot?]
  /// Per tesseract word: paired with a model word.
  var paired: [Bool]

  /// `columnBlocks`: the blocks whose words are read column by column (`ColumnReading`);
  /// `units`: the alignment of that reading, when already made.
  init(
    text: String, layout: TesseractLayout, size: (Int, Int), columnBlocks: Set<Int>,
    units: [WordAlignment.Unit]? = nil
  ) {
    self.units = units
    tokens = ModelToken.tokens(text)
    self.layout = layout
    self.size = size
    typeBoxes = layout.blocks.map(\.typeBoxes)
    words = Self.reading(layout, columnBlocks: columnBlocks)
    spots = Array(repeating: nil, count: tokens.count)
    paired = Array(repeating: false, count: words.count)
  }

  /// Tesseract's words, each block by rows or (`columnBlocks`) by columns.
  static func reading(_ layout: TesseractLayout, columnBlocks: Set<Int>) -> [(
    ref: LineRef, word: TesseractLayout.Word
  )] {
    layout.blocks.enumerated().flatMap { b, block in
      let order =
        columnBlocks.contains(b) ? ColumnReading.columns(block) : ColumnReading.rows(block)
      return order.map {
        (LineRef(block: b, line: $0.line), block.lines[$0.line].words[$0.word])
      }
    }
  }

  /// The blocks better read by columns: those where more of the model's words follow each
  /// other as tesseract's do when the block is read column by column than row by row. Two
  /// paired model words in a row follow each other when their partners do, with as many
  /// words between them (paired or not: the dots of a column of figures) in both readings.
  /// Which words pair says nothing here — anchors pair unique words in any order — but their
  /// order does. Blocks that read the same both ways (prose) are not tried: a page without
  /// others costs no second alignment. `units`: the alignment of the reading chosen, when it
  /// was one of the two tried (nil when some blocks read by columns and some not).
  static func columnBlocks(_ tokens: [ModelToken], layout: TesseractLayout) -> (
    blocks: Set<Int>, units: [WordAlignment.Unit]?
  ) {
    let keys = tokens.map(\.key)
    func align(_ columnBlocks: Set<Int>) -> [WordAlignment.Unit] {
      WordAlignment.align(
        model: keys,
        tesseract: reading(layout, columnBlocks: columnBlocks).map {
          ModelToken.key($0.word.text)
        })
    }
    let differing = Set(
      layout.blocks.indices.filter {
        ColumnReading.columns(layout.blocks[$0]) != ColumnReading.rows(layout.blocks[$0])
      })
    guard !differing.isEmpty else { return ([], align([])) }
    func following(_ columnBlocks: Set<Int>, _ units: [WordAlignment.Unit]) -> [Int: Int] {
      let words = reading(layout, columnBlocks: columnBlocks)
      var count: [Int: Int] = [:]
      for (a, b) in zip(units, units.dropFirst()) {
        let gap = b.model.lowerBound - a.model.upperBound
        guard b.tesseract.lowerBound - a.tesseract.upperBound == gap else { continue }
        count[words[b.tesseract.lowerBound].ref.block, default: 0] += 1
      }
      return count
    }
    let (byRows, byColumns) = (align([]), align(differing))
    let (rowsFollowing, columnsFollowing) = (
      following([], byRows), following(differing, byColumns)
    )
    let chosen = differing.filter {
      columnsFollowing[$0, default: 0] > rowsFollowing[$0, default: 0]
    }
    return (chosen, chosen.isEmpty ? byRows : chosen == differing ? byColumns : nil)
  }

  func line(_ ref: LineRef) -> TesseractLayout.Line { layout.blocks[ref.block].lines[ref.line] }
  func typeBox(_ ref: LineRef) -> PixelBox { typeBoxes[ref.block][ref.line] }

  /// The blocks, and the model tokens on each of their lines.
  mutating func place() -> ([PlacedBlock], [[[Int]]]) {
    let units =
      self.units
      ?? WordAlignment.align(
        model: tokens.map(\.key), tesseract: words.map { ModelToken.key($0.word.text) })
    for unit in units {
      for k in unit.tesseract { paired[k] = true }
      placeMatched(unit)
    }
    placeBetweenPartners()
    placeUnmatched()
    placeMissedLinesOnInk()
    return assemble()
  }

  /// A unit's model words on the line of its first tesseract word, cut by characters.
  mutating func placeMatched(_ unit: WordAlignment.Unit) {
    let ref = words[unit.tesseract.lowerBound].ref
    let partners = unit.tesseract.map { words[$0] }.filter { $0.ref == ref }.map(\.word)
    let placement = PlacedWord.Placement.matched(similarity: unit.similarity)
    if unit.model.count == 1 && partners.count == 1 {
      let box = Self.trimmed(partners[0], like: tokens[unit.model.lowerBound].text)
      spots[unit.model.lowerBound] = Spot(
        line: ref, x1: Double(box.x1), x2: Double(box.x2), placement: placement,
        tesseract: unit.tesseract)
      return
    }
    cut(Array(unit.model), over: partners, on: ref, placement, tesseract: unit.tesseract)
  }

  /// Places model words `run` side by side over tesseract words `partners`, each model word
  /// taking the symbols of its share of the characters.
  mutating func cut(
    _ run: [Int], over partners: [TesseractLayout.Word], on ref: LineRef,
    _ placement: PlacedWord.Placement, tesseract: Range<Int>
  ) {
    let symbols = partners.flatMap(Self.symbolBoxes)
    let lengths = run.map { max(1, tokens[$0].text.count) }
    let total = lengths.reduce(0, +)
    var start = 0
    for (offset, index) in run.enumerated() {
      let end = start + lengths[offset]
      let first = min(symbols.count - 1, start * symbols.count / total)
      let last = max(first, min(symbols.count - 1, (end * symbols.count - 1) / total))
      let x1 = symbols[first...last].map(\.x1).min()!
      let x2 = symbols[first...last].map(\.x2).max()!
      spots[index] = Spot(
        line: ref, x1: Double(x1), x2: Double(x2), placement: placement, tesseract: tesseract)
      start = end
    }
  }

  /// The box of tesseract's `word` without the punctuation at its ends that the model's
  /// `text` lacks: tesseract reads a heading and its dot leaders ("Notes.......") as one word,
  /// which pairs with the model's "Notes" (punctuation aside they are the same).
  static func trimmed(_ word: TesseractLayout.Word, like text: String) -> PixelBox {
    let characters = Array(word.text)
    guard word.symbols.count == characters.count, !characters.isEmpty else { return word.box }
    let isEdge = { (c: Character) in !(c.isLetter || c.isNumber) }
    let leading = { (c: [Character]) in c.prefix(while: isEdge).count }
    let trailing = { (c: [Character]) in c.reversed().prefix(while: isEdge).count }
    let model = Array(text)
    let first = max(0, leading(characters) - leading(model))
    let last = characters.count - 1 - max(0, trailing(characters) - trailing(model))
    guard first <= last, first > 0 || last < characters.count - 1 else { return word.box }
    var box = word.box
    box.x1 = word.symbols[first].box.x1
    box.x2 = word.symbols[last].box.x2
    return box
  }

  /// A word's symbol boxes, or its box cut evenly by characters when it has none.
  static func symbolBoxes(_ word: TesseractLayout.Word) -> [PixelBox] {
    if !word.symbols.isEmpty { return word.symbols.map(\.box) }
    let count = max(1, word.text.count)
    let width = Double(word.box.x2 - word.box.x1)
    return (0..<count).map { k in
      var box = word.box
      box.x1 = word.box.x1 + Int(width * Double(k) / Double(count))
      box.x2 = word.box.x1 + Int(width * Double(k + 1) / Double(count))
      return box
    }
  }

  /// Runs of whole model lines without a paired word, between two paired words, where just as
  /// many unpaired tesseract words stand between their partners in the reading: one each, in
  /// order. The dots standing for zero in a column of figures (no letter or digit, so never
  /// paired), each a model line of its own when the model reads the column down; a line of
  /// punctuation. (Otherwise a whole model line without a pair gets a line of its own: see
  /// `assemble`.)
  mutating func placeBetweenPartners() {
    for span in unplacedRuns(splitAtLines: false) {
      let (i, end) = (span.lowerBound, span.upperBound)
      // The reading's start or end stands in for a missing neighbour.
      let from = i > 0 ? spots[i - 1]!.tesseract.upperBound : 0
      let to = end < tokens.count ? spots[end]!.tesseract.lowerBound : words.count
      guard i == 0 || tokens[i - 1].line != tokens[i].line,
        end == tokens.count || tokens[end - 1].line != tokens[end].line
      else { continue }
      guard from + (end - i) == to, (from..<to).allSatisfy({ !paired[$0] }) else {
        // A rule is no table cell: it gets a line of its own (`assemble`).
        if !(i..<end).contains(where: { tokens[$0].isRule }) {
          stack(
            Array(i..<end), after: i > 0 ? i - 1 : nil, before: end < tokens.count ? end : nil)
        }
        continue
      }
      for (token, k) in zip(i..<end, from..<to) {
        let box = words[k].word.box
        let placement: PlacedWord.Placement =
          words[k].word.text == tokens[token].text ? .matched(similarity: 1) : .interpolated
        spots[token] = Spot(
          line: words[k].ref, x1: Double(box.x1), x2: Double(box.x2), placement: placement,
          tesseract: k..<(k + 1))
        paired[k] = true
      }
    }
  }

  /// A run of whole model lines of one word each next to paired words: the cells of a table
  /// column read down (the dots standing for zero in valgrind's tables, never paired by their
  /// text). Tesseract misses some of a column's dots (specks at 150 DPI), reads two as one,
  /// or drops a row of nothing but dots, so the words between the partners rarely number the
  /// run; the rows do.
  ///
  /// When `above` and `below` stand in one column (one block, their extents overlapping,
  /// `below` lower), the words take the rows evenly between them. Otherwise the run is the end
  /// of `above`'s column and the start of `below`'s: words go down from `above` while its
  /// block has rows there (at the block's line pitch), the rest up from `below`. Each word
  /// goes on tesseract's line at its row, else on a line of its own there, at the column's
  /// aligned edge (figures right, words left) as wide as its characters at its partner's width
  /// per character — or on an unpaired tesseract word there inside the column.
  mutating func stack(_ run: [Int], after above: Int?, before below: Int?) {
    guard !run.isEmpty, Set(run.map { tokens[$0].line }).count == run.count else { return }
    let p = above.flatMap { spots[$0] }.flatMap { $0.band == nil ? $0 : nil }
    let n = below.flatMap { spots[$0] }.flatMap { $0.band == nil ? $0 : nil }
    if let p, let n, let above, let below, p.line.block == n.line.block,
      n.line.line > p.line.line, min(p.x2, n.x2) > max(p.x1, n.x1)
    {
      let (upper, lower) = (Double(typeBox(p.line).y1), Double(typeBox(n.line).y1))
      let step = (lower - upper) / Double(run.count + 1)
      let height = typeBox(p.line).y2 - typeBox(p.line).y1
      guard height > 0, step >= 0.8 * Double(height) else { return }
      let column = Column(p, tokens[above].text, n, tokens[below].text)
      for (k, token) in run.enumerated() {
        place(token, atTop: upper + step * Double(k + 1), in: p.line.block, column, pitch: step)
      }
      return
    }
    var down = 0
    if let p, let above {
      let pitch = self.pitch(p.line.block)
      let lastTop = Double(typeBoxes[p.line.block].map(\.y1).max()!)
      let top = Double(typeBox(p.line).y1)
      down = min(run.count, max(0, Int(((lastTop - top) / pitch).rounded())))
      let column = Column(p, tokens[above].text)
      for k in 0..<down {
        place(run[k], atTop: top + pitch * Double(k + 1), in: p.line.block, column, pitch: pitch)
      }
    }
    if let n, let below, down < run.count {
      let pitch = self.pitch(n.line.block)
      let firstTop = Double(typeBoxes[n.line.block].map(\.y1).min()!)
      let top = Double(typeBox(n.line).y1)
      let up = run.count - down
      guard Int(((top - firstTop) / pitch).rounded()) >= up else { return }
      let column = Column(n, tokens[below].text)
      for k in 0..<up {
        place(
          run[down + k], atTop: top - pitch * Double(up - k), in: n.line.block, column,
          pitch: pitch)
      }
    }
  }

  /// A table column by its placed cells: its extent, the side its cells align to, and its
  /// width per character.
  struct Column {
    var left: Double
    var right: Double
    var rightAligned: Bool
    var advance: Double

    /// Two cells of one column: aligned on the side where their edges agree more.
    init(_ a: Spot, _ aText: String, _ b: Spot, _ bText: String) {
      (left, right) = (min(a.x1, b.x1), max(a.x2, b.x2))
      rightAligned = abs(a.x2 - b.x2) <= abs(a.x1 - b.x1)
      advance = (a.x2 - a.x1) / Double(max(1, aText.count))
    }

    /// One cell: figures align right, words left.
    init(_ a: Spot, _ aText: String) {
      (left, right) = (a.x1, a.x2)
      rightAligned = aText.contains(where: \.isNumber) && !aText.contains(where: \.isLetter)
      advance = (a.x2 - a.x1) / Double(max(1, aText.count))
    }

    /// A cell of `characters` characters at the column's edge.
    func extent(characters: Int) -> (Double, Double) {
      let width = advance * Double(characters)
      return rightAligned ? (right - width, right) : (left, left + width)
    }
  }

  /// A block's line pitch: the median distance between its lines' type boxes' tops (its first
  /// line's type height and a fifth when it has one line; never under a pixel).
  func pitch(_ block: Int) -> Double {
    let tops = typeBoxes[block].map(\.y1).sorted()
    let steps = zip(tops, tops.dropFirst()).map { Double($1 - $0) }.filter { $0 > 0 }.sorted()
    guard steps.isEmpty else { return steps[steps.count / 2] }
    return max(1, Double(typeBoxes[block][0].y2 - typeBoxes[block][0].y1) * 1.2)
  }

  /// Places model word `token` in `column` at the row whose type starts at `top` in `block`:
  /// on tesseract's line there (within a third of the pitch) — on an unpaired tesseract word
  /// inside the column, else at its edge — or on a line of its own there.
  mutating func place(
    _ token: Int, atTop top: Double, in block: Int, _ column: Column, pitch: Double
  ) {
    let (x1, x2) = column.extent(characters: tokens[token].text.count)
    let nearest = typeBoxes[block].indices.min {
      abs(Double(typeBoxes[block][$0].y1) - top) < abs(Double(typeBoxes[block][$1].y1) - top)
    }
    guard let l = nearest, abs(Double(typeBoxes[block][l].y1) - top) <= pitch / 3 else {
      // Between tesseract's lines: the band of the line before it.
      let before = typeBoxes[block].indices.last { Double(typeBoxes[block][$0].y1) < top }
      let ref = LineRef(block: block, line: before ?? 0)
      let height = typeBox(ref).y2 - typeBox(ref).y1
      let y1 = Int(top.rounded())
      spots[token] = Spot(
        line: ref, x1: x1, x2: x2, placement: .interpolated, band: y1...(y1 + height))
      return
    }
    let ref = LineRef(block: block, line: l)
    if let j = words.indices.first(where: { j in
      let box = words[j].word.box
      return words[j].ref == ref && !paired[j] && Double(box.x2) > column.left
        && Double(box.x1) < column.right
    }) {
      let box = words[j].word.box
      spots[token] = Spot(
        line: ref, x1: Double(box.x1), x2: Double(box.x2), placement: .interpolated,
        tesseract: j..<(j + 1))
      paired[j] = true
      return
    }
    spots[token] = Spot(line: ref, x1: x1, x2: x2, placement: .interpolated)
  }

  /// Runs of unpaired words: between paired neighbours on one tesseract line, whatever model
  /// lines they are on; then, on the same model line, next to or between paired neighbours.
  mutating func placeUnmatched() {
    // Words between two paired on one printed line stand on it, whatever lines the model
    // broke them into (`pdftotext` breaks a table's header row at its wide gaps).
    for span in unplacedRuns(splitAtLines: false) {
      let (i, end) = (span.lowerBound, span.upperBound)
      guard i > 0, end < tokens.count, let p = spots[i - 1], let n = spots[end],
        p.band == nil, n.band == nil, p.line == n.line, p.x2 <= n.x1,
        !(i..<end).contains(where: { tokens[$0].isRule })
      else { continue }
      placeOnLine(Array(i..<end), between: p, and: n)
    }
    for span in unplacedRuns(splitAtLines: true) {
      let (i, end) = (span.lowerBound, span.upperBound)
      let previous = i > 0 && tokens[i - 1].line == tokens[i].line ? spots[i - 1] : nil
      let next = end < tokens.count && tokens[end].line == tokens[i].line ? spots[end] : nil
      let run = Array(i..<end)
      switch (previous, next) {
      case (let p?, let n?) where p.line == n.line:
        placeOnLine(run, between: p, and: n)
      case (let p?, let n?):
        // The model line wraps: share the run by the room after p and before n (in the
        // block: tesseract's line box ends at the last word it read).
        // Tesseract's line boxes hold the words it read but could not pair: where they are,
        // the run is. Without them, the room left in the block.
        let lineEnd = min(Double(block(p.line).box.x2), p.x2 + width(of: run, like: i - 1))
        let lineStart = max(Double(block(n.line).box.x1), n.x1 - width(of: run, like: end))
        var after = max(0, Double(line(p.line).box.x2) - p.x2)
        var before = max(0, n.x1 - Double(line(n.line).box.x1))
        if after + before < 1 {
          (after, before) = (max(0, lineEnd - p.x2), max(0, n.x1 - lineStart))
        }
        let share = after + before > 0 ? after / (after + before) : 0.5
        let split = splitIndex(run, share: share)
        let (first, second) = (Array(run[..<split]), Array(run[split...]))
        let firstEnd = max(Double(line(p.line).box.x2), lineEnd)
        interpolate(
          first, on: p.line, from: p.x2,
          to: max(p.x2, min(firstEnd, p.x2 + self.width(of: first, like: i - 1))))
        let secondStart = min(Double(line(n.line).box.x1), lineStart)
        interpolate(
          second, on: n.line,
          from: min(n.x1, max(secondStart, n.x1 - self.width(of: second, like: end))),
          to: n.x1)
      case (let p?, nil)
      where fits(run, over: freeWords(p.tesseract.upperBound..<words.count, on: p.line)):
        let free = freeWords(p.tesseract.upperBound..<words.count, on: p.line)
        cut(run, over: free, on: p.line, .interpolated, tesseract: 0..<0)
      case (nil, let n?)
      where fits(run, over: freeWords(0..<n.tesseract.lowerBound, on: n.line)):
        let free = freeWords(0..<n.tesseract.lowerBound, on: n.line)
        cut(run, over: free, on: n.line, .interpolated, tesseract: 0..<0)
      case (let p?, nil):
        let wanted = width(of: run, like: i - 1)
        var lineEnd = max(
          min(Double(block(p.line).box.x2), p.x2 + wanted), Double(line(p.line).box.x2))
        if lineEnd - p.x2 < wanted / 2 { lineEnd = room(beside: p, wanted: wanted, after: true) }
        interpolate(run, on: p.line, from: p.x2, to: lineEnd)
      case (nil, let n?):
        let wanted = width(of: run, like: end)
        var lineStart = min(
          max(Double(block(n.line).box.x1), n.x1 - wanted), Double(line(n.line).box.x1))
        if n.x1 - lineStart < wanted / 2 {
          lineStart = room(beside: n, wanted: wanted, after: false)
        }
        interpolate(run, on: n.line, from: lineStart, to: n.x1)
      case (nil, nil):
        break  // a whole model line without a partner: its own line, when assembling
      }
    }
  }

  /// `run` on the line of `p` and `n`, between them: on the unpaired tesseract words there
  /// when they take it, else spread over the room.
  mutating func placeOnLine(_ run: [Int], between p: Spot, and n: Spot) {
    let free = freeWords(
      p.tesseract.upperBound..<max(p.tesseract.upperBound, n.tesseract.lowerBound), on: p.line)
    if !fits(run, over: free) {
      interpolate(run, on: p.line, from: p.x2, to: n.x1)
    } else {
      cut(run, over: free, on: p.line, .interpolated, tesseract: 0..<0)
    }
  }

  /// The maximal runs of model words not yet placed (each inside one model line when
  /// `splitAtLines`). Placing a run fills only its own words, so the runs found first are the
  /// runs met while placing them in order.
  func unplacedRuns(splitAtLines: Bool) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var i = 0
    while i < tokens.count {
      guard spots[i] == nil else {
        i += 1
        continue
      }
      var end = i
      while end < tokens.count, spots[end] == nil,
        !splitAtLines || tokens[end].line == tokens[i].line
      {
        end += 1
      }
      runs.append(i..<end)
      i = end
    }
    return runs
  }

  /// Where a run of unpaired words `wanted` wide, at the start (or, `after`, the end) of a
  /// model line, reaches when tesseract's block stops at the paired word `spot`: tesseract
  /// split a printed line into blocks and misread or missed the part beyond (measured on a
  /// Korean page, where the run was squeezed to nothing at the block's edge). Unpaired
  /// tesseract words beside the line (their boxes overlapping its height, on other lines) are
  /// where the run is; past the nearest paired word beside it (another column) it never goes;
  /// else it takes its width, inside the page.
  func room(beside spot: Spot, wanted: Double, after: Bool) -> Double {
    let band = line(spot.line).box
    let beside = words.indices.filter { k in
      let box = words[k].word.box
      guard words[k].ref != spot.line, min(box.y2, band.y2) > max(box.y1, band.y1) else {
        return false
      }
      return after ? Double(box.x1) >= spot.x2 : Double(box.x2) <= spot.x1
    }
    if after {
      let wall =
        beside.filter { paired[$0] }.map { Double(words[$0].word.box.x1) }.min()
        ?? Double(size.width)
      let reach = min(wall, spot.x2 + 2 * wanted)
      let misread = beside.filter { !paired[$0] && Double(words[$0].word.box.x2) <= reach }
        .map { Double(words[$0].word.box.x2) }.max()
      return misread ?? min(wall, spot.x2 + wanted)
    }
    let wall = beside.filter { paired[$0] }.map { Double(words[$0].word.box.x2) }.max() ?? 0
    let reach = max(wall, spot.x1 - 2 * wanted)
    let misread = beside.filter { !paired[$0] && Double(words[$0].word.box.x1) >= reach }
      .map { Double(words[$0].word.box.x1) }.min()
    return misread ?? max(wall, spot.x1 - wanted)
  }

  /// Whether unpaired tesseract words `free` can hold `run`: a symbol for each word at least.
  /// A speck or a quote tesseract read beside a line cut off by its block would otherwise
  /// take a whole run of words, every one on the same symbol (measured on a Korean page: six
  /// words at one point). (Asking for half the run's width too lost bullets: a lone "•" is
  /// narrower than a character and a space.)
  func fits(_ run: [Int], over free: [TesseractLayout.Word]) -> Bool {
    free.map { Self.symbolBoxes($0).count }.reduce(0, +) >= max(1, run.count)
  }

  /// The unpaired tesseract words among `range` on line `ref`: what a run of unpaired model
  /// words between paired neighbours most likely is (a misreading, punctuation, dot leaders).
  func freeWords(_ range: Range<Int>, on ref: LineRef) -> [TesseractLayout.Word] {
    range.filter { words[$0].ref == ref && !paired[$0] }.map { words[$0].word }
  }

  func block(_ ref: LineRef) -> TesseractLayout.Block { layout.blocks[ref.block] }

  /// How wide `run` would print at the character width of placed word `neighbour`, with a
  /// space before each word.
  func width(of run: [Int], like neighbour: Int) -> Double {
    guard let spot = spots[neighbour] else { return 0 }
    let characterWidth = (spot.x2 - spot.x1) / Double(max(1, tokens[neighbour].text.count))
    return characterWidth * Double(run.map { tokens[$0].text.count + 1 }.reduce(0, +))
  }

  /// The index in `run` before which words go to the first of two lines: the first words up
  /// to `share` of the run's characters.
  func splitIndex(_ run: [Int], share: Double) -> Int {
    let lengths = run.map { Double(tokens[$0].text.count + 1) }
    let total = lengths.reduce(0, +)
    var sum = 0.0
    for (k, length) in lengths.enumerated() {
      if sum + length / 2 > share * total { return k }
      sum += length
    }
    return run.count
  }

  /// Places `run` between `from` and `to` on `line`, each word by its characters.
  mutating func interpolate(_ run: [Int], on line: LineRef, from: Double, to: Double) {
    let placement: PlacedWord.Placement = .interpolated
    for (index, (x1, x2)) in zip(run, Self.spread(run.map { tokens[$0].text }, from, to)) {
      spots[index] = Spot(line: line, x1: x1, x2: x2, placement: placement)
    }
  }

  /// Horizontal extents for `texts` side by side between `from` and `to`, by characters (a
  /// space's width between words).
  static func spread(_ texts: [String], _ from: Double, _ to: Double) -> [(Double, Double)] {
    let to = max(from, to)
    let total = Double(texts.map { $0.count + 1 }.reduce(0, +))
    var position = 0.5
    return texts.map { text in
      let start = from + (to - from) * position / total
      position += Double(text.count)
      let end = from + (to - from) * position / total
      position += 1
      return (start, end)
    }
  }

  /// The blocks in tesseract's order, each with its lines and the lines of its own that
  /// missed model lines get.
  func assemble() -> ([PlacedBlock], [[[Int]]]) {
    var onLine: [LineRef: [PlacedWord]] = [:]
    var onLineTokens: [LineRef: [Int]] = [:]
    // Words on lines tesseract missed between its lines (`Spot.band`), after the line before.
    var between: [LineRef: [ClosedRange<Int>: [(word: PlacedWord, token: Int)]]] = [:]
    // Missed model lines, keyed by the tesseract line they follow or precede. A missed line
    // goes after the last placed one; a rule and the missed lines after it, and any line
    // before the first placed one, above the next placed one (a rule is printed above the row
    // the model ran it into).
    var missedAfter: [LineRef: [[Int]]] = [:]
    var missedBefore: [LineRef: [[Int]]] = [:]
    var lastLine: LineRef?
    var pending: [[Int]] = []  // missed lines waiting for the next placed one
    var i = 0
    while i < tokens.count {
      var end = i
      while end < tokens.count, tokens[end].line == tokens[i].line { end += 1 }
      let spotted = (i..<end).compactMap { spots[$0] }
      if spotted.isEmpty {
        if let lastLine, pending.isEmpty, !(end - i == 1 && tokens[i].isRule) {
          missedAfter[lastLine, default: []].append(Array(i..<end))
        } else {
          pending.append(Array(i..<end))
        }
      } else {
        for index in i..<end {
          let spot = spots[index]!
          if let band = spot.band {
            let word = PlacedWord(
              text: tokens[index].text,
              box: clamp(
                PixelBox(
                  x1: Int(spot.x1.rounded()), y1: band.lowerBound, x2: Int(spot.x2.rounded()),
                  y2: band.upperBound)), placement: spot.placement)
            between[spot.line, default: [:]][band, default: []].append((word, index))
            continue
          }
          let box = clamp(
            PixelBox(
              x1: Int(spot.x1.rounded()), y1: typeBox(spot.line).y1,
              x2: Int(spot.x2.rounded()), y2: typeBox(spot.line).y2))
          onLine[spot.line, default: []].append(
            PlacedWord(text: tokens[index].text, box: box, placement: spot.placement))
          onLineTokens[spot.line, default: []].append(index)
        }
        if !pending.isEmpty {
          missedBefore[spotted[0].line, default: []] += pending
          pending = []
        }
        lastLine = spotted.last!.line
      }
      i = end
    }
    // Missed lines on a page where tesseract found nothing; or the last ones, after the last
    // placed line.
    var orphan: [[Int]] = []
    if let lastLine { missedAfter[lastLine, default: []] += pending } else { orphan = pending }
    var blocks: [PlacedBlock] = []
    var order: [[[Int]]] = []
    for (b, block) in layout.blocks.enumerated() {
      var lines: [PlacedLine] = []
      var lineTokens: [[Int]] = []
      for (l, tesseractLine) in block.lines.enumerated() {
        let ref = LineRef(block: b, line: l)
        if let before = missedBefore[ref] {
          lines += ownLines(
            before, beside: tesseractLine, in: block.box, before: true, pitch: pitch(b))
          lineTokens += before
        }
        if let placed = onLine[ref].map(widened) {
          lines.append(
            PlacedLine(
              box: placed.map(\.box).reduce(clamp(typeBox(ref))) { $0.union($1) },
              baselineLeft: tesseractLine.baselineLeft,
              baselineRight: tesseractLine.baselineRight, words: placed))
          lineTokens.append(onLineTokens[ref]!)
        }
        let descent = Double(typeBox(ref).y2) - tesseractLine.baselineLeft
        for (band, placed) in (between[ref] ?? [:]).sorted(by: {
          $0.key.lowerBound < $1.key.lowerBound
        }) {
          let words = widened(placed.map(\.word))
          let baseline = Double(band.upperBound) - descent
          lines.append(
            PlacedLine(
              box: words.map(\.box).reduce(words[0].box) { $0.union($1) },
              baselineLeft: baseline, baselineRight: baseline, words: words))
          lineTokens.append(placed.map(\.token))
        }
        if let after = missedAfter[ref] {
          lines += ownLines(after, beside: tesseractLine, in: block.box, before: false)
          lineTokens += after
        }
      }
      guard !lines.isEmpty else { continue }
      let box = lines.map(\.box).reduce(clamp(block.box)) { $0.union($1) }
      blocks.append(PlacedBlock(box: box, lines: lines))
      order.append(lineTokens)
    }
    if !orphan.isEmpty {
      blocks.append(orphanBlock(orphan))
      order.append(orphan)
    }
    return (blocks, order)
  }

  /// The line's words, none narrower than its characters print. Tesseract's box is a word's
  /// ink, and a lone "." or "1" inks a sliver of the room it takes (a viewer's highlight of
  /// the printed word covers its advance: on valgrind's tables of figures, a dot's box was a
  /// sixth of the original's). A word of one or two characters whose box is under 0.6 of them
  /// at the line's advance — the median, over its matched words of two characters or more, of
  /// width per character — grows to that width about its middle, never into a neighbour's
  /// box. (Longer words are left alone: a word hyphenated across lines stands on its first
  /// half, narrower than its characters by right.)
  func widened(_ words: [PlacedWord]) -> [PlacedWord] {
    let advances = words.filter {
      guard case .matched = $0.placement else { return false }
      return $0.text.count >= 2
    }.map { Double($0.box.x2 - $0.box.x1) / Double($0.text.count) }.sorted()
    guard !advances.isEmpty else { return words }
    let advance = advances[advances.count / 2]
    let byX = words.indices.sorted { words[$0].box.x1 < words[$1].box.x1 }
    var result = words
    for (rank, k) in byX.enumerated() {
      let box = words[k].box
      let (width, wanted) = (Double(box.x2 - box.x1), advance * Double(words[k].text.count))
      guard words[k].text.count <= 2, width < 0.6 * wanted else { continue }
      let grow = (wanted - width) / 2
      let left = rank > 0 ? words[byX[rank - 1]].box.x2 : 0
      let right = rank + 1 < byX.count ? words[byX[rank + 1]].box.x1 : size.width
      result[k].box.x1 = min(box.x1, max(left, Int((Double(box.x1) - grow).rounded())))
      result[k].box.x2 = max(box.x2, min(right, Int((Double(box.x2) + grow).rounded())))
    }
    return result
  }

  /// Lines of their own for missed model lines, as tall as `neighbour`, across its block at
  /// its character width: stacked below it, or above it (`before`) a line `pitch` apart —
  /// at most one and a half times its height (type is set 1.2–1.5 times its height apart; a
  /// block's median pitch can be the gap between a table's row and the prose below it).
  func ownLines(
    _ missed: [[Int]], beside neighbour: TesseractLayout.Line, in blockBox: PixelBox,
    before: Bool, pitch: Double = 0
  ) -> [PlacedLine] {
    let band = neighbour.typeBox
    let height = max(1, band.y2 - band.y1)
    let step = max(height, Int(min(pitch, 1.5 * Double(height)).rounded()))
    let baselineDrop = Double(band.y2) - neighbour.baselineLeft
    let characters = neighbour.words.map { $0.text.count + 1 }.reduce(0, +)
    let characterWidth = Double(neighbour.box.x2 - neighbour.box.x1) / Double(max(1, characters))
    return missed.enumerated().map { k, run in
      let y1 =
        before
        ? band.y1 - step * (missed.count - k) : band.y2 + height * k
      let top = min(max(0, y1), max(0, size.height - height))
      let texts = run.map { tokens[$0].text }
      let width = min(
        Double(blockBox.x2 - blockBox.x1),
        characterWidth * Double(texts.map { $0.count + 1 }.reduce(0, +)))
      let from = Double(blockBox.x1)
      return line(
        run, texts: texts,
        box: PixelBox(x1: blockBox.x1, y1: top, x2: blockBox.x2, y2: top + height), from: from,
        to: from + width, baselineDrop: baselineDrop)
    }
  }

  /// A page tesseract found no text on: the model's lines stacked from the top.
  func orphanBlock(_ missed: [[Int]]) -> PlacedBlock {
    let height = max(1, min(40, size.height / max(1, missed.count)))
    let lines = missed.enumerated().map { k, run in
      line(
        run, texts: run.map { tokens[$0].text },
        box: PixelBox(x1: 0, y1: k * height, x2: size.width, y2: (k + 1) * height),
        from: 0, to: Double(size.width), baselineDrop: Double(height) / 5)
    }
    return PlacedBlock(box: lines.map(\.box).reduce(lines[0].box) { $0.union($1) }, lines: lines)
  }

  /// A line of its own for `run`, spread between `from` and `to`.
  func line(
    _ run: [Int], texts: [String], box: PixelBox, from: Double, to: Double, baselineDrop: Double
  ) -> PlacedLine {
    let box = clamp(box)
    let words = zip(texts, Self.spread(texts, from, to)).map { text, extent in
      PlacedWord(
        text: text,
        box: clamp(
          PixelBox(
            x1: Int(extent.0.rounded()), y1: box.y1, x2: Int(extent.1.rounded()), y2: box.y2)),
        placement: .ownLine)
    }
    let baseline = min(Double(box.y2), max(Double(box.y1), Double(box.y2) - baselineDrop))
    return PlacedLine(box: box, baselineLeft: baseline, baselineRight: baseline, words: words)
  }

  /// The box inside the image, never inside out.
  func clamp(_ box: PixelBox) -> PixelBox {
    let x1 = min(max(0, box.x1), size.width)
    let y1 = min(max(0, box.y1), size.height)
    return PixelBox(
      x1: x1, y1: y1, x2: min(max(x1, box.x2), size.width), y2: min(max(y1, box.y2), size.height))
  }
}

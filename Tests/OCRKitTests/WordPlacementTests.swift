import OCRMarkup
import OCRTestSupport
import Testing

@testable import OCRKit

/// `WordPlacement` over generated layouts: the printed page is known, tesseract's reading of
/// it is the printed page spoiled (words misspelled, dropped, invented, a line missed), and
/// the model's text is the printed text in its own order.
struct WordPlacementTests {
  static let stopWords = ["the", "of", "and", "a", "to", "in"]

  /// A printed page: its layout (every word where it stands) and the words of each line.
  struct Printed {
    var layout: TesseractLayout
    var width = 1200
    var height = 1600
  }

  /// Its symbols fill the line's height, as tesseract's line box is its words' (the line's
  /// type box is then the line's box).
  static func word(_ text: String, x: Int, line: PixelBox) -> TesseractLayout.Word {
    let box = PixelBox(x1: x, y1: line.y1, x2: x + 12 * text.count, y2: line.y2)
    let symbols = text.enumerated().map { k, character in
      TesseractLayout.Symbol(
        String(character),
        box: PixelBox(x1: x + 12 * k, y1: box.y1, x2: x + 12 * (k + 1), y2: box.y2))
    }
    return TesseractLayout.Word(text, box: box, symbols: symbols)
  }

  /// One block of `lines`, each its box, its baseline and its words (text, left edge).
  static func block(_ lines: [(box: PixelBox, baseline: Double, words: [(String, Int)])])
    -> TesseractLayout
  {
    block(
      lines.map { line in
        .init(
          box: line.box, baselineLeft: line.baseline, baselineRight: line.baseline,
          words: line.words.map { word($0.0, x: $0.1, line: line.box) })
      })
  }

  /// One block of `lines`, as large as they are.
  static func block(_ lines: [TesseractLayout.Line]) -> TesseractLayout {
    TesseractLayout(blocks: [
      .init(box: lines.dropFirst().reduce(lines[0].box) { $0.union($1.box) }, lines: lines)
    ])
  }

  /// Unique random words (and a few repeated short ones) in `columns` blocks side by side.
  static func printed(_ rng: inout SplitMix64, columns: Int) -> Printed {
    var used: Set<String> = []
    func fresh() -> String {
      while true {
        let length = 3 + rng.below(7)
        let word = String((0..<length).map { _ in Character(Unicode.Scalar(97 + rng.below(26))!) })
        if used.insert(word).inserted { return word }
      }
    }
    let columnWidth = 1160 / columns
    var blocks: [TesseractLayout.Block] = []
    for column in 0..<columns {
      let left = 20 + column * columnWidth
      var lines: [TesseractLayout.Line] = []
      for k in 0..<(4 + rng.below(12)) {
        let y = 40 + k * 40
        var box = PixelBox(x1: left, y1: y, x2: left, y2: y + 30)
        var words: [TesseractLayout.Word] = []
        var x = left
        for _ in 0..<(2 + rng.below(6)) {
          let text = rng.below(7) == 0 ? rng.pick(stopWords) : fresh()
          guard x + 12 * text.count < left + columnWidth - 20 else { break }
          words.append(word(text, x: x, line: box))
          x += 12 * (text.count + 1)
        }
        box.x2 = words.last!.box.x2
        lines.append(.init(box: box, baselineLeft: 63, baselineRight: 63, words: words))
        lines[k].baselineLeft = Double(y + 24)
        lines[k].baselineRight = Double(y + 24)
      }
      let box = lines.map(\.box).reduce(lines[0].box) { $0.union($1) }
      blocks.append(.init(box: box, lines: lines))
    }
    return Printed(layout: TesseractLayout(blocks: blocks))
  }

  /// What went wrong in tesseract's reading and how the model ordered its text.
  struct Case: CustomStringConvertible {
    var seed: UInt64
    var columns = 1
    var misspell = false
    var drop = false
    var insert = false
    var missLine = false
    var shuffleLines = false
    /// Two columns read across, row by row (a table read by rows where tesseract reads
    /// columns).
    var acrossColumns = false
    /// Lines of a block joined into one model line (a paragraph).
    var paragraphs = false
    var description: String {
      "seed \(seed) columns \(columns) misspell \(misspell) drop \(drop) insert \(insert) "
        + "missLine \(missLine) shuffle \(shuffleLines) across \(acrossColumns) "
        + "paragraphs \(paragraphs)"
    }
  }

  struct Outcome {
    var placed: PlacedPage
    var printed: Printed
    /// Model lines, each a list of words.
    var modelLines: [[String]]
    /// Words tesseract read exactly (by text) and misread (by the printed text).
    var exact: Set<String> = []
    var misread: Set<String> = []
    var dropped: Set<String> = []
    var missedLine: Set<String> = []
  }

  static func run(_ setup: Case) -> Outcome {
    var rng = SplitMix64(seed: setup.seed)
    let printed = printed(&rng, columns: setup.columns)
    // The model's lines: the printed lines in the chosen order.
    var modelLines: [[String]] = []
    let blocks = printed.layout.blocks
    if setup.acrossColumns {
      for k in 0..<blocks.map(\.lines.count).max()! {
        for block in blocks where k < block.lines.count {
          modelLines.append(block.lines[k].words.map(\.text))
        }
      }
    } else if setup.paragraphs {
      for block in blocks {
        var rows = block.lines.map { $0.words.map(\.text) }
        while !rows.isEmpty {
          let take = min(rows.count, 1 + rng.below(3))
          modelLines.append(rows.prefix(take).flatMap { $0 })
          rows.removeFirst(take)
        }
      }
    } else {
      modelLines = blocks.flatMap { $0.lines.map { $0.words.map(\.text) } }
    }
    if setup.shuffleLines { modelLines.shuffle(using: &rng) }
    // Tesseract's reading: the printed layout, spoiled.
    var outcome = Outcome(
      placed: PlacedPage(number: 1, imageWidth: 0, imageHeight: 0, blocks: []),
      printed: printed, modelLines: modelLines)
    var seen = printed.layout
    let unique = { (text: String) in !stopWords.contains(text) }
    if setup.missLine {
      let b = rng.below(seen.blocks.count)
      if seen.blocks[b].lines.count > 2 {
        let l = 1 + rng.below(seen.blocks[b].lines.count - 1)
        outcome.missedLine = Set(seen.blocks[b].lines[l].words.map(\.text).filter(unique))
        seen.blocks[b].lines.remove(at: l)
      }
    }
    for b in seen.blocks.indices {
      for l in seen.blocks[b].lines.indices {
        var words = seen.blocks[b].lines[l].words
        var k = 0
        while k < words.count {
          let text = words[k].text
          if setup.drop, words.count > 1, rng.below(8) == 0 {
            if unique(text) { outcome.dropped.insert(text) }
            words.remove(at: k)
            continue
          }
          if setup.misspell, text.count >= 5, unique(text), rng.below(5) == 0 {
            var characters = Array(text)
            let at = rng.below(characters.count)
            characters[at] = characters[at] == "x" ? "y" : "x"
            words[k].text = String(characters)
            outcome.misread.insert(text)
          } else if unique(text) {
            outcome.exact.insert(text)
          }
          k += 1
        }
        if setup.insert, rng.below(3) == 0 {
          let line = seen.blocks[b].lines[l].box
          let noise = word("zq", x: min(words.last!.box.x2 + 12, 1200 - 30), line: line)
          words.insert(noise, at: words.count)
          seen.blocks[b].lines[l].box.x2 = max(line.x2, noise.box.x2)
          seen.blocks[b].box.x2 = max(seen.blocks[b].box.x2, noise.box.x2)
        }
        seen.blocks[b].lines[l].words = words
      }
    }
    let text = modelLines.map { $0.joined(separator: " ") }.joined(separator: "\n")
    let (placed, positions) = WordPlacement.placeTracing(
      text: text, layout: seen, page: 1, imageWidth: printed.width, imageHeight: printed.height)
    outcome.placed = placed
    // Each model word's position points at it.
    let traced = positions.map { placed.blocks[$0.block].lines[$0.line].words[$0.word].text }
    #expect(traced == modelLines.flatMap { $0 }, "\(setup)")
    return outcome
  }

  /// The printed box of each unique word: its horizontal extent, its line's height.
  static func truth(_ printed: Printed) -> [String: PixelBox] {
    var boxes: [String: PixelBox] = [:]
    for line in printed.layout.blocks.flatMap(\.lines) {
      for word in line.words {
        boxes[word.text] = PixelBox(
          x1: word.box.x1, y1: line.box.y1, x2: word.box.x2, y2: line.box.y2)
      }
    }
    return boxes
  }

  static func cases() -> [Case] {
    var rng = SplitMix64(seed: 25)
    return (0..<300).map { n in
      var setup = Case(seed: rng.next())
      setup.columns = 1 + rng.below(2)
      setup.misspell = rng.below(2) == 0
      setup.drop = rng.below(2) == 0
      setup.insert = rng.below(2) == 0
      setup.missLine = rng.below(3) == 0
      switch n % 4 {
      case 1: setup.shuffleLines = true
      case 2: setup.acrossColumns = true
      case 3: setup.paragraphs = true
      default: break
      }
      return setup
    }
  }

  @Test func everyModelWordIsPlacedOnceInTheModelsOrderInsideTheImage() {
    for setup in Self.cases() {
      let outcome = Self.run(setup)
      let placed = outcome.placed
      let modelWords = outcome.modelLines.flatMap { $0 }
      #expect(placed.words.map(\.text).sorted() == modelWords.sorted(), "\(setup)")
      // Words on one placed line come in the model's order.
      let order = Dictionary(
        modelWords.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
      let image = PixelBox(x1: 0, y1: 0, x2: placed.imageWidth, y2: placed.imageHeight)
      for block in placed.blocks {
        #expect(image.contains(block.box))
        for line in block.lines {
          #expect(block.box.contains(line.box), "\(setup)")
          let positions = line.words.map(\.text).filter { !Self.stopWords.contains($0) }
            .map { order[$0]! }
          #expect(positions == positions.sorted(), "\(setup)")
          for word in line.words {
            #expect(image.contains(word.box), "\(setup)")
            #expect(word.box.y1 == line.box.y1 && word.box.y2 == line.box.y2)
            #expect(word.box.x1 <= word.box.x2)
          }
        }
      }
    }
  }

  @Test func wordsTesseractReadLandOnTheirPrintedBoxes() {
    var (misreadRight, misread) = (0, 0)
    for setup in Self.cases() {
      let outcome = Self.run(setup)
      let truth = Self.truth(outcome.printed)
      for word in outcome.placed.words {
        if outcome.exact.contains(word.text) {
          #expect(word.box == truth[word.text], "\(word.text): \(setup)")
          #expect(word.placement == .matched(similarity: 1), "\(word.text): \(setup)")
        } else if outcome.misread.contains(word.text) {
          misread += 1
          if word.box == truth[word.text] { misreadRight += 1 }
        }
      }
    }
    #expect(misread > 100)
    #expect(Double(misreadRight) >= 0.95 * Double(misread), "\(misreadRight) of \(misread)")
  }

  /// A word tesseract did not read sits inside its line, between its placed neighbours —
  /// when its model line has a word tesseract read exactly (else nothing says where the line
  /// is: it gets a line of its own).
  @Test func droppedWordsAreInterpolatedBetweenTheirNeighbours() {
    var dropped = 0
    for setup in Self.cases() where setup.drop {
      let outcome = Self.run(setup)
      let anchored = Set(
        outcome.modelLines.filter { $0.contains(where: outcome.exact.contains) }.flatMap { $0 })
      for line in outcome.placed.blocks.flatMap(\.lines) {
        for (k, word) in line.words.enumerated()
        where outcome.dropped.contains(word.text) && anchored.contains(word.text) {
          dropped += 1
          #expect(word.placement == .interpolated, "\(word.text): \(setup)")
          #expect(line.box.x1 <= word.box.x1 && word.box.x2 <= line.box.x2, "\(setup)")
          if let before = line.words[..<k].last(where: { $0.placement != .interpolated }) {
            #expect(before.box.x2 <= word.box.x1, "\(word.text): \(setup)")
          }
          if let after = line.words[(k + 1)...].first(where: { $0.placement != .interpolated }) {
            #expect(word.box.x2 <= after.box.x1, "\(word.text): \(setup)")
          }
          // On its printed line.
          let truth = Self.truth(outcome.printed)[word.text]!
          #expect(line.box.y1 == truth.y1, "\(word.text): \(setup)")
        }
      }
    }
    #expect(dropped > 100)
  }

  /// A line tesseract missed gets a line of its own, below the line before it, in its block.
  @Test func aMissedLineGetsALineOfItsOwn() {
    var missed = 0
    for setup in Self.cases() where setup.missLine && !setup.shuffleLines {
      let outcome = Self.run(setup)
      guard !outcome.missedLine.isEmpty else { continue }
      for word in outcome.placed.words where outcome.missedLine.contains(word.text) {
        missed += 1
        if !setup.paragraphs {
          #expect(word.placement == .ownLine, "\(word.text): \(setup)")
        }
      }
    }
    #expect(missed > 20)
  }

  /// Korean spacing: the model writes "대한민국의 경제", tesseract read "대한민 국의경제". Each
  /// model word takes the symbols of its own characters.
  @Test func aMergedAndSplitWordIsCutBySymbols() {
    let line = PixelBox(x1: 100, y1: 100, x2: 400, y2: 130)
    let layout = Self.block([(line, 124, [("대한민", 100), ("국의경제", 100 + 12 * 4)])])
    let placed = WordPlacement.place(
      text: "대한민국의 경제", layout: layout, page: 1, imageWidth: 500, imageHeight: 500)
    #expect(placed.words.map(\.text) == ["대한민국의", "경제"])
    // 대한민 at 100–136, 국의경제 at 148–196: 국의 are 148–172, 경제 172–196.
    #expect(placed.words.map(\.box.x1) == [100, 172])
    #expect(placed.words.map(\.box.x2) == [172, 196])
  }

  /// The model joined a word hyphenated at a line's end; tesseract read both halves. The word
  /// stands where its first half is (it is written once), without the hyphen; the next word
  /// on the next line.
  @Test func aWordHyphenatedAcrossLinesStandsAtItsFirstHalf() {
    let first = PixelBox(x1: 100, y1: 100, x2: 400, y2: 130)
    let second = PixelBox(x1: 100, y1: 140, x2: 400, y2: 170)
    let layout = Self.block([
      (first, 124, [("the", 100), ("infor-", 148)]),
      (second, 164, [("mation", 100), ("age", 184)]),
    ])
    let placed = WordPlacement.place(
      text: "the information age", layout: layout, page: 1, imageWidth: 500, imageHeight: 500)
    #expect(placed.words.map(\.text) == ["the", "information", "age"])
    #expect(
      placed.words.map(\.box) == [
        PixelBox(x1: 100, y1: 100, x2: 136, y2: 130), PixelBox(x1: 148, y1: 100, x2: 208, y2: 130),
        PixelBox(x1: 184, y1: 140, x2: 220, y2: 170),
      ])
    #expect(placed.words[1].placement == .matched(similarity: 1))
  }

  @Test func editSimilarityStopsOnlyWhenTheThresholdCannotBeMet() {
    let scalars = { (text: String) in Array(text.unicodeScalars) }
    #expect(EditSimilarity.similarity(scalars("receive"), scalars("recieve")) == 1 - 2.0 / 7)
    #expect(
      EditSimilarity.similarity(scalars("receive"), scalars("recieve"), atLeast: 0.7) == 1 - 2.0 / 7
    )
    #expect(EditSimilarity.similarity(scalars("receive"), scalars("recieve"), atLeast: 0.75) == 0)
    #expect(EditSimilarity.similarity(scalars("대한민국"), scalars("대한민굿")) == 0.75)
    #expect(EditSimilarity.similarity(scalars("abc"), scalars("xyz")) == 0)
    #expect(EditSimilarity.similarity(scalars(""), scalars("")) == 1)
  }

  /// The model's Markdown, stripped as `--check` strips it, then placed: a heading, a GFM
  /// table and an HTML table (one line of plain text: its cells a space apart) each land on
  /// the lines tesseract read them on.
  @Test func markdownTablesStrippedByTheCheckersParserArePlacedCellByCell() {
    let rows = [
      ["Quarterly", "results"], ["Region", "Sales"], ["North", "1204"],
      ["South", "977"], ["Total", "2181"], ["Net", "margin"],
    ]
    var lines: [TesseractLayout.Line] = []
    for (k, row) in rows.enumerated() {
      let box = PixelBox(x1: 50, y1: 50 + 40 * k, x2: 450, y2: 80 + 40 * k)
      let words = row.enumerated().map { column, text in
        Self.word(text, x: 50 + 200 * column, line: box)
      }
      lines.append(
        .init(
          box: box, baselineLeft: Double(box.y2 - 6), baselineRight: Double(box.y2 - 6),
          words: words))
    }
    let layout = TesseractLayout(blocks: [
      .init(box: PixelBox(x1: 50, y1: 50, x2: 450, y2: 320), lines: lines)
    ])
    let markdown = """
      # Quarterly results

      | Region | Sales |
      | --- | --- |
      | North | 1204 |
      | South | 977 |

      <table><tr><td>Total</td><td>2181</td></tr><tr><td>Net</td><td>margin</td></tr></table>
      """
    let plain = ModelPlainText.plain(markdown, grounded: false)
    let placed = WordPlacement.place(
      text: plain, layout: layout, page: 2, imageWidth: 500, imageHeight: 400)
    #expect(placed.words.map(\.text) == rows.flatMap { $0 })
    for (line, row) in zip(placed.blocks.flatMap(\.lines), lines) {
      #expect(line.words.map(\.box.x1) == row.words.map(\.box.x1))
    }
  }

  /// The model reads a table column by column, tesseract row by row: each cell still lands
  /// on its own row, and each row keeps the model's order.
  @Test func aTableReadByColumnsLandsCellByCell() {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<50 {
      let (rowCount, columnCount) = (2 + rng.below(8), 2 + rng.below(3))
      var used: Set<String> = []
      let cells = (0..<rowCount).map { _ in
        (0..<columnCount).map { _ in
          var word = ""
          repeat {
            word = String(
              (0..<(2 + rng.below(6))).map { _ in Character(Unicode.Scalar(97 + rng.below(26))!) })
          } while !used.insert(word).inserted
          return word
        }
      }
      var lines: [TesseractLayout.Line] = []
      for (k, row) in cells.enumerated() {
        let box = PixelBox(x1: 40, y1: 40 + 30 * k, x2: 40 + 150 * columnCount, y2: 62 + 30 * k)
        let words = row.enumerated().map { c, text in Self.word(text, x: 40 + 150 * c, line: box) }
        lines.append(
          .init(
            box: box, baselineLeft: Double(box.y2 - 4), baselineRight: Double(box.y2 - 4),
            words: words))
      }
      let layout = Self.block(lines)
      let text = (0..<columnCount).map { c in cells.map { $0[c] }.joined(separator: " ") }.joined(
        separator: "\n")
      let placed = WordPlacement.place(
        text: text, layout: layout, page: 1, imageWidth: 800, imageHeight: 400)
      let truth = Dictionary(uniqueKeysWithValues: layout.words.map { ($0.text, $0.box.x1) })
      #expect(placed.blocks.flatMap(\.lines).map { $0.words.map(\.text) } == cells, "\(text)")
      for line in placed.blocks.flatMap(\.lines) {
        for word in line.words {
          #expect(word.box.x1 == truth[word.text], "\(word.text) in \(text)")
        }
      }
    }
  }

  /// A table of figures as poppler gives a born-digital one (valgrind's `cg_annotate`
  /// tables): each column read down, one cell a line, a dot standing for zero — no letter or
  /// digit, so never paired by its text. Tesseract reads it row by row. Every cell, dots too,
  /// lands on its own cell.
  ///
  /// `tesseractMissesDots`: tesseract's reading lacks a third of the dots (specks at 150 DPI),
  /// and a row left with nothing is no line at all; the dots still land on their rows at
  /// their column's right edge — all but a few: a column of nothing but dots has no cell to
  /// say where it is, and with many dots missing the rows reading can pair as well as the
  /// columns one (measured: 1,057 of the 1,080 cells of 40 tables).
  @Test(arguments: [false, true])
  func aColumnOfFiguresReadDownLandsCellByCellDotsToo(tesseractMissesDots: Bool) {
    var rng = SplitMix64(seed: tesseractMissesDots ? 8 : 7)
    var (landed, cellCount) = (0, 0)
    defer {
      if tesseractMissesDots {
        print("cells on their cells: \(landed) of \(cellCount)")
        #expect(Double(landed) >= 0.95 * Double(cellCount))
      }
    }
    for _ in 0..<40 {
      let (rowCount, columnCount) = (4 + rng.below(10), 2 + rng.below(4))
      // Figures unique on the page: a column of single digits repeated ("0", "1", "0"…) is
      // not placed reliably yet (nothing tells one "0" from another but its neighbours).
      var used: Set<String> = []
      let cells = (0..<rowCount).map { _ in
        (0..<columnCount).map { _ -> String in
          guard rng.below(2) == 0 else { return "." }
          var figure = ""
          repeat {
            figure = "\(1 + rng.below(999)),\(100 + rng.below(900))"
          } while !used.insert(figure).inserted
          return figure
        }
      }
      var lines: [TesseractLayout.Line] = []
      var truth: [[PixelBox]] = []
      for (k, row) in cells.enumerated() {
        let box = PixelBox(x1: 40, y1: 40 + 30 * k, x2: 40 + 120 * columnCount, y2: 62 + 30 * k)
        // Right-aligned in columns 120 wide, as figures are.
        let words = row.enumerated().map { c, text in
          Self.word(text, x: 40 + 120 * (c + 1) - 12 * text.count - 10, line: box)
        }
        truth.append(words.map(\.box))
        let read = words.filter { !tesseractMissesDots || $0.text != "." || rng.below(3) > 0 }
        guard !read.isEmpty else { continue }
        lines.append(
          .init(
            box: box, baselineLeft: Double(box.y2 - 4), baselineRight: Double(box.y2 - 4),
            words: read))
      }
      guard !lines.isEmpty else { continue }
      let layout = Self.block(lines)
      let text = (0..<columnCount).flatMap { c in cells.map { $0[c] } }.joined(separator: "\n")
      let (placed, positions) = WordPlacement.placeTracing(
        text: text, layout: layout, page: 1, imageWidth: 800, imageHeight: 600)
      // Where each cell went: its extent and its row's top.
      let boxes = positions.map {
        let box = placed.blocks[$0.block].lines[$0.line].words[$0.word].box
        return [box.x1, box.x2, box.y1]
      }
      let expected = (0..<columnCount).flatMap { c in truth.map { [$0[c].x1, $0[c].x2, $0[c].y1] } }
      landed += zip(boxes, expected).filter { $0 == $1 }.count
      cellCount += expected.count
      if !tesseractMissesDots { #expect(boxes == expected, "\(text)") }
    }
  }

  /// A lone "." or "1" inks a sliver of the room it takes: its box grows to the line's
  /// character advance about its middle, never into its neighbours; a word as wide as its
  /// characters print is left alone.
  @Test func aWordNarrowerThanItsCharactersGrowsToThem() {
    let box = PixelBox(x1: 0, y1: 100, x2: 400, y2: 124)
    func word(_ text: String, _ x1: Int, _ x2: Int) -> TesseractLayout.Word {
      .init(text, box: PixelBox(x1: x1, y1: 100, x2: x2, y2: 124))
    }
    // Ten pixels a character; the dot inks 2 of its 10, the "1" 4, "ab" is narrow-ish (14
    // of 20) but not under 0.6 of it.
    let words = [
      word("total", 0, 50), word(".", 64, 66), word("1", 73, 77), word("ab", 100, 114),
      word("figures", 130, 200),
    ]
    let layout = TesseractLayout(blocks: [
      .init(box: box, lines: [.init(box: box, baselineLeft: 120, baselineRight: 120, words: words)])
    ])
    let placed = WordPlacement.place(
      text: "total . 1 ab figures", layout: layout, page: 1, imageWidth: 400, imageHeight: 300)
    #expect(
      placed.words.map { [$0.box.x1, $0.box.x2] } == [
        [0, 50], [60, 70], [70, 80], [100, 114], [130, 200],
      ])
  }

  /// `pdftotext` of a table under a dashed rule runs the rule into the row's first word
  /// (`-----…-----27,742,716`, valgrind's manual), and a model copying such text does too. The
  /// rule is printed on the line above the row: a line of its own there, from the block's
  /// left edge and no wider than the block, and the figure stands on its own box. (A reader
  /// joins the rows under a rule as wide as the table into one block read row by row; without
  /// it, poppler read valgrind's columns of figures down.)
  @Test func aRuleRunIntoARowStandsOnItsOwnLineAboveIt() {
    let header = PixelBox(x1: 20, y1: 100, x2: 164, y2: 124)
    let row = PixelBox(x1: 20, y1: 172, x2: 176, y2: 196)
    let layout = Self.block([
      (header, 120, [("Ir", 20), ("Dr", 140)]), (row, 192, [("27,742", 20), ("276", 140)]),
    ])
    let placed = WordPlacement.place(
      text: "Ir Dr\n------------27,742 276", layout: layout, page: 1, imageWidth: 400,
      imageHeight: 300)
    let lines = placed.blocks.flatMap(\.lines)
    #expect(
      lines.map { $0.words.map(\.text) } == [["Ir", "Dr"], ["------------"], ["27,742", "276"]])
    let (rule, figure) = (lines[1].words[0], lines[2].words[0])
    // As tall as the row's type, one and a half of that above it (the block's pitch, 72 px,
    // is the gap between the header and the row); across the block.
    let height = figure.box.y2 - figure.box.y1
    #expect(rule.box.y1 == figure.box.y1 - Int((1.5 * Double(height)).rounded()))
    #expect(rule.box.y2 - rule.box.y1 == height)
    #expect(rule.box.x1 >= 20 && rule.box.x2 <= 176 && rule.box.x2 - rule.box.x1 >= 140)
    #expect(rule.placement == .ownLine)
    #expect(lines[2].words.map { [$0.box.x1, $0.box.x2] } == [[20, 92], [140, 176]])
    #expect(lines[2].words.allSatisfy { $0.placement == .matched(similarity: 1) })
  }

  /// `pdftotext` breaks a table's header row at its wide gaps, and tesseract misread four of
  /// its words as two scraps (valgrind's manual at 150 DPI). The words between the two paired on the
  /// printed line stand on it, in order over what tesseract read there — not the first on it
  /// and the rest on a line of their own below.
  @Test func wordsTheModelBrokeOffAPrintedLineStandOnIt() {
    let box = PixelBox(x1: 20, y1: 100, x2: 548, y2: 124)
    let layout = Self.block([
      (
        box, 120,
        [("I1mr", 20), ("ILmr", 80), ("{!}", 140), ("[#]", 300), ("D1mw", 440), ("DLmw", 500)]
      )
    ])
    let placed = WordPlacement.place(
      text: "I1mr ILmr Dr\nD1mr DLmr Dw\nD1mw DLmw", layout: layout, page: 1, imageWidth: 600,
      imageHeight: 300)
    let lines = placed.blocks.flatMap(\.lines)
    #expect(
      lines.map { $0.words.map(\.text) } == [
        ["I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"]
      ])
    let middle = lines[0].words[2...5].map(\.box)
    // Between ILmr (ends at 128) and D1mw (starts at 440), on the scraps, in order.
    #expect(middle.allSatisfy { $0.x1 >= 128 && $0.x2 <= 440 }, "\(middle)")
    #expect(middle[0].x1 < 152 && middle[3].x2 > 300, "\(middle)")
    #expect(zip(middle, middle.dropFirst()).allSatisfy { $0.x2 <= $1.x1 }, "\(middle)")
  }

  /// Only a rule of eight or more run into a word is cut off it, onto a line of its own — not
  /// an arrow drawn in text.
  @Test func aModelWordIsCutOnlyAfterARuleRunIntoIt() {
    let tokens = ModelToken.tokens(
      "a ---------b\n--------\nx--------y -------z -------->\n========.")
    #expect(
      tokens.map(\.text) == [
        "a", "---------", "b", "--------", "x--------y", "-------z", "-------->", "========",
        ".",
      ])
    #expect(tokens.map(\.line) == [0, 1, 2, 3, 4, 4, 4, 5, 6])
    #expect(
      tokens.map(\.isRule) == [false, true, false, true, false, false, false, true, false])
  }

  /// A line that starts with a long rule and goes on is the rule above the rest (`pdftotext`
  /// joins valgrind's rule to the heading printed below it); a short one stays on its line.
  @Test func aLongRuleStartingALineIsALineOfItsOwn() {
    let long = String(repeating: "-", count: 40)
    let tokens = ModelToken.tokens("\(long) Auto-annotated source\n-------- Title --------")
    #expect(tokens.map(\.line) == [0, 1, 1, 2, 2, 2])
    #expect(tokens.map(\.isRule) == [true, false, false, true, false, true])
  }

  /// Tesseract split a printed line into two blocks and read the left one as a scrap (a
  /// Korean man page scanned at 150 DPI: the line's first six words squeezed to nothing at
  /// the right block's edge, `scripts/searchable-pdf-benchmark`). The words before the first
  /// paired one take their width leftwards, from the scrap, not zero width at the edge.
  @Test func wordsBeforeABlockTesseractCutOffKeepTheirWidth() {
    let printed = PixelBox(x1: 100, y1: 100, x2: 400, y2: 130)
    // alpha 100–160, bravo 172–232, charlie 244–328, delta 340–400.
    let charlie = Self.word("charlie", x: 244, line: printed)
    let delta = Self.word("delta", x: 340, line: printed)
    var right = printed
    right.x1 = 244
    let scrap = PixelBox(x1: 102, y1: 100, x2: 150, y2: 112)
    let layout = TesseractLayout(blocks: [
      .init(
        box: scrap,
        lines: [
          .init(
            box: scrap, baselineLeft: 110, baselineRight: 110,
            words: [TesseractLayout.Word("~.", box: scrap)])
        ]),
      .init(
        box: right,
        lines: [.init(box: right, baselineLeft: 124, baselineRight: 124, words: [charlie, delta])]),
    ])
    let placed = WordPlacement.place(
      text: "alpha bravo charlie delta", layout: layout, page: 1, imageWidth: 500,
      imageHeight: 500)
    let boxes = Dictionary(uniqueKeysWithValues: placed.words.map { ($0.text, $0.box) })
    #expect(placed.words.map(\.text) == ["alpha", "bravo", "charlie", "delta"])
    for (word, x1, x2) in [("alpha", 100, 160), ("bravo", 172, 232)] {
      let box = boxes[word]!
      let overlap = min(box.x2, x2) - max(box.x1, x1)
      #expect(Double(overlap) >= 0.5 * Double(x2 - x1), "\(word): \(box)")
    }
    // Without the scrap the words take their width at the paired words' character width.
    let alone = WordPlacement.place(
      text: "alpha bravo charlie delta",
      layout: TesseractLayout(blocks: [layout.blocks[1]]), page: 1, imageWidth: 500,
      imageHeight: 500)
    #expect(alone.words.prefix(2).allSatisfy { $0.box.x2 - $0.box.x1 >= 40 })
    #expect(alone.words[1].box.x2 <= 244)
  }

  /// The same cut-off line, with a speck tesseract read at its block's edge (a quote, a
  /// comma): the words before the first paired one are not all put on the speck's one symbol.
  @Test func wordsBeforeABlockAreNotStackedOnASpeckAtItsEdge() {
    let printed = PixelBox(x1: 100, y1: 100, x2: 400, y2: 130)
    let speck = Self.word("'", x: 236, line: printed)
    let words = [
      speck, Self.word("charlie", x: 244, line: printed), Self.word("delta", x: 340, line: printed),
    ]
    var right = printed
    right.x1 = 236
    let layout = TesseractLayout(blocks: [
      .init(
        box: right,
        lines: [.init(box: right, baselineLeft: 124, baselineRight: 124, words: words)])
    ])
    let placed = WordPlacement.place(
      text: "alpha bravo charlie delta", layout: layout, page: 1, imageWidth: 500,
      imageHeight: 500)
    #expect(placed.words.map(\.text) == ["alpha", "bravo", "charlie", "delta"])
    #expect(placed.words.prefix(2).allSatisfy { $0.box.x2 - $0.box.x1 >= 40 }, "\(placed.words)")
    #expect(placed.words[0].box.x2 <= placed.words[1].box.x1)
  }

  @Test func aPageTesseractFoundNothingOnStillCarriesTheText() {
    let placed = WordPlacement.place(
      text: "one two\nthree", layout: TesseractLayout(), page: 3, imageWidth: 300,
      imageHeight: 400)
    #expect(placed.number == 3)
    #expect(placed.words.map(\.text) == ["one", "two", "three"])
    #expect(placed.words.allSatisfy { $0.placement == .ownLine })
    #expect(placed.blocks.flatMap(\.lines).count == 2)
  }
}

/// A page with no anchor at all: the same text three times over (every run of words is
/// repeated), a long window aligned in a band.
struct RepeatedTextPlacementTests {
  @Test func aPageOfRepeatedTextIsAlignedWordByWord() {
    var rng = SplitMix64(seed: 7)
    let rows = (0..<25).map { _ in
      (0..<(4 + rng.below(6))).map { _ in
        String((0..<(2 + rng.below(7))).map { _ in Character(Unicode.Scalar(97 + rng.below(26))!) })
      }
    }
    var lines: [TesseractLayout.Line] = []
    var truth: [PixelBox] = []
    for (k, row) in (rows + rows + rows).enumerated() {
      let box = PixelBox(x1: 20, y1: 10 + 24 * k, x2: 20, y2: 30 + 24 * k)
      var words: [TesseractLayout.Word] = []
      var x = 20
      for text in row {
        var word = WordPlacementTests.word(text, x: x, line: box)
        truth.append(PixelBox(x1: word.box.x1, y1: box.y1, x2: word.box.x2, y2: box.y2))
        if text.count > 4, rng.below(8) == 0 { word.text = "x" + text.dropFirst() }
        words.append(word)
        x = word.box.x2 + 12
      }
      lines.append(
        .init(
          box: PixelBox(x1: 20, y1: box.y1, x2: x, y2: box.y2), baselineLeft: Double(box.y2 - 4),
          baselineRight: Double(box.y2 - 4), words: words))
    }
    let layout = WordPlacementTests.block(lines)
    let text = (rows + rows + rows).map { $0.joined(separator: " ") }.joined(separator: "\n")
    let (placed, positions) = WordPlacement.placeTracing(
      text: text, layout: layout, page: 1, imageWidth: 1200, imageHeight: 2000)
    let boxes = positions.map { placed.blocks[$0.block].lines[$0.line].words[$0.word].box }
    let right = zip(boxes, truth).filter { $0 == $1 }.count
    #expect(truth.count > 300)
    #expect(Double(right) >= 0.97 * Double(truth.count), "\(right) of \(truth.count)")
  }
}

import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// The layout `readWords` carries beside `--check`'s words, on real rendered pages.
@Suite(.serialized) struct TesseractLayoutTests {
  func page(_ number: Int) async throws -> PageImage {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    return try await document.render(page: number, maxSide: 1540)
  }

  /// Boxes nest (symbols in words, words in lines, lines in blocks), baselines cross their
  /// line boxes, words run in reading order, and the layout's words are `--check`'s words.
  func checkNesting(_ reading: TesseractReading, image: PageImage) {
    let layout = reading.layout
    let page = PixelBox(x1: 0, y1: 0, x2: image.width, y2: image.height)
    #expect(!layout.blocks.isEmpty)
    #expect(layout.words.map(\.text) == reading.words.map(\.text))
    #expect(layout.words.map(\.confidence) == reading.words.map(\.confidence))
    for block in layout.blocks {
      #expect(page.contains(block.box))
      #expect(!block.lines.isEmpty)
      for line in block.lines {
        #expect(block.box.contains(line.box, slack: 2), "\(line.box) outside \(block.box)")
        #expect((Double(line.box.y1)...Double(line.box.y2)).contains(line.baselineLeft))
        #expect((Double(line.box.y1)...Double(line.box.y2)).contains(line.baselineRight))
        // The baseline sits in the line's lower half.
        #expect(line.baselineLeft > Double(line.box.y1 + line.box.y2) / 2)
        for (word, next) in zip(line.words, line.words.dropFirst()) {
          #expect(word.box.x1 <= next.box.x1, "\(word.text) after \(next.text)")
        }
        for word in line.words {
          // Horizontally inside its line; vertically it may stand out (tesseract gives
          // some one-syllable words, 의 or 가, boxes twice the line's height), but its middle
          // is on the line.
          #expect(line.box.x1 <= word.box.x1 && word.box.x2 <= line.box.x2, "\(word.text)")
          #expect((line.box.y1...line.box.y2).contains((word.box.y1 + word.box.y2) / 2))
          #expect(!word.symbols.isEmpty)
          #expect(word.symbols.map(\.text).joined() == word.text)
          for symbol in word.symbols {
            #expect(word.box.contains(symbol.box, slack: 1))
          }
        }
      }
      for (line, next) in zip(block.lines, block.lines.dropFirst()) {
        #expect(line.box.y1 < next.box.y1)
      }
    }
  }

  @Test func englishPageNestsInReadingOrder() async throws {
    let engine = try TesseractEngine(languages: "eng", workers: 1)
    defer { engine.shutdown() }
    let image = try await page(1)
    let clock = ContinuousClock()
    let start = clock.now
    let reading = try await engine.readWords(image)
    print("read with layout in \(clock.now - start)")
    checkNesting(reading, image: image)
    #expect(reading.layout.words.count > 100)
    // The page's ink comes with it, in the boxes' pixels: ink in every word's box, none in
    // the margin above the first line.
    let ink = try #require(reading.layout.ink)
    #expect((ink.width, ink.height) == (image.width, image.height))
    for word in reading.layout.words {
      #expect(!ink.bands(in: word.box, excluding: [], gap: 1).isEmpty, "\(word.text)")
    }
    let top = reading.layout.blocks.map(\.box.y1).min()!
    #expect(
      ink.bands(in: PixelBox(x1: 0, y1: 0, x2: image.width, y2: top), excluding: [], gap: 1).isEmpty
    )
  }

  @Test func koreanPageGivesHangulSymbols() async throws {
    let engine = try TesseractEngine(languages: "kor+eng", workers: 1)
    defer { engine.shutdown() }
    let image = try await page(3)
    let reading = try await engine.readWords(image)
    checkNesting(reading, image: image)
    let symbols = reading.layout.words.flatMap(\.symbols)
    #expect(symbols.contains { $0.text == "텍" })
  }

  /// A word of letters laid out one symbol per character, `height` tall on `baseline`
  /// (descending letters `depth` below it).
  static func word(
    _ text: String, x: Int, baseline: Int, height: Int, depth: Int = 0
  ) -> TesseractLayout.Word {
    let symbols = text.enumerated().map { k, character in
      let descends = "gjpqy".contains(character)
      return TesseractLayout.Symbol(
        String(character),
        box: PixelBox(
          x1: x + 10 * k, y1: baseline - height, x2: x + 10 * k + 8,
          y2: baseline + (descends ? depth : 0)))
    }
    return .init(
      text, box: symbols.map(\.box).reduce(symbols[0].box) { $0.union($1) }, symbols: symbols)
  }

  /// A ruled table's row as tesseract reads it at 150 DPI (crc-doc's Table 6): the rules
  /// read as `|` words twice the type's height, and a rule fused to the row's first letter.
  @Test func theTypeBoxLeavesOutWhatTesseractJoinedToTheLine() {
    var sarwate = Self.word("Sarwate", x: 324, baseline: 495, height: 15)
    sarwate.symbols[0].box = PixelBox(x1: 324, y1: 475, x2: 332, y2: 505)
    sarwate.box = sarwate.box.union(sarwate.symbols[0].box)
    let rule = TesseractLayout.Word(
      "|", box: PixelBox(x1: 510, y1: 476, x2: 520, y2: 505),
      symbols: [.init("|", box: PixelBox(x1: 510, y1: 476, x2: 520, y2: 505))])
    let row = TesseractLayout.Line(
      box: PixelBox(x1: 324, y1: 475, x2: 700, y2: 505), baselineLeft: 495, baselineRight: 495,
      words: [
        sarwate, Self.word("6.61", x: 466, baseline: 495, height: 15), rule,
        Self.word("6.62", x: 528, baseline: 495, height: 15),
      ])
    // The letters' and figures' height, and a font's descent below the baseline (a quarter
    // of the height above it): no letter on the row descends.
    #expect(row.typeBox == PixelBox(x1: 324, y1: 480, x2: 700, y2: 499))
    // …which is what each placed word's box spans (a viewer's highlight, the PDF's words).
    let layout = TesseractLayout(blocks: [.init(box: row.box, lines: [row])])
    let placed = WordPlacement.place(
      text: "Sarwate 6.61 6.62", layout: layout, page: 1, imageWidth: 1190, imageHeight: 1540)
    #expect(placed.words.map(\.text) == ["Sarwate", "6.61", "6.62"])
    #expect(placed.words.allSatisfy { $0.box.y1 == 480 && $0.box.y2 == 499 })

    // A line of prose: its descenders are the bottom; a bracket taller than the letters
    // (within 1.6 times) is no letter and leaves the box alone.
    let prose = TesseractLayout.Line(
      box: PixelBox(x1: 0, y1: 100, x2: 300, y2: 130), baselineLeft: 124, baselineRight: 124,
      words: [
        Self.word("Typography", x: 0, baseline: 124, height: 20, depth: 6),
        .init("(", box: PixelBox(x1: 120, y1: 100, x2: 126, y2: 130)),
        Self.word("type", x: 130, baseline: 124, height: 20, depth: 6),
      ])
    #expect(prose.typeBox == PixelBox(x1: 0, y1: 104, x2: 300, y2: 130))

    // Nothing but punctuation: the line's box.
    let dots = TesseractLayout.Line(
      box: PixelBox(x1: 0, y1: 10, x2: 50, y2: 30), baselineLeft: 28, baselineRight: 28,
      words: [.init(".", box: PixelBox(x1: 0, y1: 26, x2: 3, y2: 29))])
    #expect(dots.typeBox == dots.box)
  }

  /// A block's lines of one type get one size: a line with descenders and a row of figures
  /// (its ink shorter) both take the block's median height and reach below their baselines;
  /// a heading twice the size keeps its own.
  @Test func aBlocksLinesOfOneSizeGetOneTypeBox() {
    func line(_ text: String, baseline: Int, height: Int, depth: Int = 0) -> TesseractLayout.Line {
      let word = Self.word(text, x: 10, baseline: baseline, height: height, depth: depth)
      return .init(
        box: word.box, baselineLeft: Double(baseline), baselineRight: Double(baseline),
        words: [word])
    }
    let lines = [
      line("Typography", baseline: 40, height: 20, depth: 6),  // 20…46
      line("1234", baseline: 80, height: 20),  // 20…40, a descent of 5 added: 20…45
      line("Heading", baseline: 140, height: 44),  // 96…151
      line("quietly", baseline: 180, height: 20, depth: 6),  // 160…186
    ]
    let block = TesseractLayout.Block(
      box: lines.map(\.box).reduce(lines[0].box) { $0.union($1) }, lines: lines)
    #expect(block.lines.map(\.typeBox.y1) == [20, 60, 96, 160])
    #expect(
      block.typeBoxes.map { [$0.y1, $0.y2] } == [[20, 46], [60, 86], [96, 151], [160, 186]])
  }
}

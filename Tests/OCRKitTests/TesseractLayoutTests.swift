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
}

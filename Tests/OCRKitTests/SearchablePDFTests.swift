import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// The searchable PDF read back by poppler: the words placed are the words a viewer selects,
/// where it draws them; the page looks as it did; qpdf finds nothing wrong.
@Suite struct SearchablePDFTests {
  let sample = TestFiles.asset("sample.pdf")

  /// Every word of `expected` read back in order, exactly, each box overlapping its original.
  /// Returns the IoUs.
  @discardableResult
  private func expectSameWords(_ got: BBoxPage, _ expected: BBoxPage, minimumIoU: Double = 0.5)
    -> [Double]
  {
    #expect(got.words.map(\.text) == expected.words.map(\.text))
    let ious = zip(got.words, expected.words).map { $0.iou($1) }
    for (word, iou) in zip(expected.words, ious) where iou < minimumIoU {
      Issue.record("\(word.text): IoU \(iou)")
    }
    return ious
  }

  private func summary(_ ious: [Double]) -> String {
    let sorted = ious.sorted()
    let mean = ious.reduce(0, +) / Double(max(1, ious.count))
    return String(
      format: "%d words, mean IoU %.3f, min %.3f, median %.3f", ious.count, mean,
      sorted.first ?? 0, sorted.isEmpty ? 0 : sorted[sorted.count / 2])
  }

  @Test(arguments: [0, 90, 180, 270])
  func wordsLandOnTheirPrintedPlaceWhateverTheRotationAndCropBox(rotation: Int) throws {
    let directory = TestFiles.scratchDirectory()
    let original = directory + "/original.pdf"
    let blank = directory + "/blank.pdf"
    let output = directory + "/out.pdf"
    try TextLayerFixtures.turned(sample, to: original, rotation: rotation)
    try TextLayerFixtures.turned(sample, to: blank, rotation: rotation, blank: true)
    let expected = Poppler.layout(of: original, page: 1)
    // Upright as displayed: poppler reads the sample's own words in their order.
    #expect(expected.words.map(\.text) == Poppler.layout(of: sample, page: 1).words.map(\.text))
    #expect(expected.words.count > 100)
    // 150 DPI, as --max-side would scale it: pixels are not points.
    let size = TextLayerFixtures.imageSize(width: 612, height: 792, dpi: 150)
    let placed = TextLayerFixtures.placed(
      from: expected, number: 1, imageWidth: size.width, imageHeight: size.height)
    try SearchablePDF.write(pages: [placed], from: blank, to: output)
    let ious = expectSameWords(Poppler.layout(of: output, page: 1), expected)
    print("rotation \(rotation), crop box, media box off the origin: \(summary(ious))")
    #expect(ious.reduce(0, +) / Double(ious.count) > 0.9)
  }

  /// The sample's table page and its Korean page: every word back exactly, where it stood.
  @Test(arguments: [2, 3])
  func tableAndHangulPagesReadBackExactly(page: Int) throws {
    let directory = TestFiles.scratchDirectory()
    let blank = directory + "/blank.pdf"
    let output = directory + "/out.pdf"
    try TextLayerFixtures.turned(sample, to: blank, rotation: 0, blank: true)
    let expected = Poppler.layout(of: sample, page: page, cropBox: false)
    let placed = TextLayerFixtures.placed(
      from: expected, number: page, imageWidth: 1190, imageHeight: 1540)
    try SearchablePDF.write(pages: [placed], from: blank, to: output)
    let ious = expectSameWords(Poppler.layout(of: output, page: page), expected)
    print("sample page \(page): \(summary(ious))")
    #expect(ious.reduce(0, +) / Double(ious.count) > 0.9)
  }

  @Test func theOriginalPageRendersAsBeforeAndQPDFFindsNothingWrong() throws {
    let directory = TestFiles.scratchDirectory()
    let original = directory + "/original.pdf"
    let output = directory + "/out.pdf"
    try TextLayerFixtures.turned(sample, to: original, rotation: 90)
    let layouts = (1...3).map { Poppler.layout(of: original, page: $0) }
    // Upper-cased: poppler drops text drawn exactly over the same text (fake bold), and the
    // layer lies exactly over the printed words.
    let placed = layouts.enumerated().map { index, layout in
      var page = TextLayerFixtures.placed(
        from: layout, number: index + 1, imageWidth: 1000, imageHeight: 1400)
      for block in page.blocks.indices {
        for line in page.blocks[block].lines.indices {
          for word in page.blocks[block].lines[line].words.indices {
            page.blocks[block].lines[line].words[word].text =
              page.blocks[block].lines[line].words[word].text.uppercased()
          }
        }
      }
      return page
    }
    try SearchablePDF.write(
      pages: placed, from: original, to: output, options: .init(linearize: true))
    for page in 1...3 {
      let before = Poppler.render(original, page: page)
      #expect(before.count > 1000)
      #expect(Poppler.render(output, page: page) == before, "page \(page)")
    }
    let (status, report) = Command.status("qpdf", ["--check", output])
    #expect(status == 0, "\(report)")
    #expect(!report.contains("WARNING"), "\(report)")
    #expect(report.contains("File is linearized"))
    // The original's text and the layer's (interleaved by pdftotext: they overlap exactly).
    let text = Command.output("pdftotext", [output, "-"])
    #expect(text.contains("Streaming") && text.contains("STREAMING"))
  }

  @Test func anImageBecomesAPageWithItsWords() throws {
    let directory = TestFiles.scratchDirectory()
    let image = directory + "/page"
    let output = directory + "/out.pdf"
    _ = Command.output(
      "pdftoppm", ["-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", sample, image])
    let expected = Poppler.layout(of: sample, page: 1)
    let decoded = try #require(
      LeptonicaImage(png: Array(try Data(contentsOf: URL(fileURLWithPath: image + ".png")))))
    let placed = TextLayerFixtures.placed(
      from: expected, number: 1, imageWidth: decoded.width, imageHeight: decoded.height)
    try ImagePDF.write(pages: [placed], fromImage: image + ".png", to: output)
    let got = Poppler.layout(of: output, page: 1)
    // pdftoppm wrote the PNG's resolution (100 DPI), so the page is the original's size.
    #expect(abs(got.width - 612) < 1 && abs(got.height - 792) < 1)
    let ious = expectSameWords(got, expected)
    print("image page: \(summary(ious))")
    #expect(ious.reduce(0, +) / Double(ious.count) > 0.9)
    let (status, report) = Command.status("qpdf", ["--check", output])
    #expect(status == 0 && !report.contains("WARNING"), "\(report)")
  }

  @Test func everyFrameOfATIFFBecomesAPage() throws {
    let output = TestFiles.scratchDirectory() + "/out.pdf"
    let box = PixelBox(x1: 5, y1: 5, x2: 60, y2: 20)
    let page = TextLayerFixtures.oneLine(
      [PlacedWord(text: "third", box: box, placement: .ownLine)], line: box, baseline: (17, 17),
      number: 3, imageWidth: 100, imageHeight: 100)
    try ImagePDF.write(pages: [page], fromImage: TestFiles.fixture("three-frames.tif"), to: output)
    #expect(Command.output("pdfinfo", [output]).contains("Pages:           3"))
    #expect(Poppler.layout(of: output, page: 3).words.map(\.text) == ["third"])
    #expect(Poppler.layout(of: output, page: 1).words.isEmpty)
    let (status, report) = Command.status("qpdf", ["--check", output])
    #expect(status == 0 && !report.contains("WARNING"), "\(report)")
  }

  /// Pixel sizes as the renderer makes them (`PDFPages.raster` at `--max-side`), on a page
  /// turned by its own /Rotate and on a small one: a word's box comes back where it was put.
  @Test(arguments: [(1, 1540), (3, 1540), (1, 700)])
  func boxesInTheRenderersPixelsComeBackWhereTheyWerePut(page: Int, maxSide: Int) throws {
    let input = TestFiles.fixture("mixed-rotated.pdf")
    let output = TestFiles.scratchDirectory() + "/out.pdf"
    let raster = try PDFPages(path: input, password: nil).raster(page: page, maxSide: maxSide)
    let (width, height) = (raster.width, raster.height)
    let box = PixelBox(x1: width / 10, y1: height / 5, x2: width / 2, y2: height / 5 + height / 20)
    let placed = TextLayerFixtures.oneLine(
      [PlacedWord(text: "placed", box: box, placement: .ownLine)], line: box,
      baseline: (Double(box.y2), Double(box.y2)), number: page, imageWidth: width,
      imageHeight: height)
    try SearchablePDF.write(pages: [placed], from: input, to: output)
    let read = try #require(
      Poppler.layout(of: output, page: page).words.first { $0.text == "placed" })
    // pdftotext's page size is the unturned box: the displayed one is the rendered image's shape.
    let layout = Poppler.layout(of: output, page: page)
    let displayed =
      (width > height) == (layout.width > layout.height)
      ? (layout.width, layout.height) : (layout.height, layout.width)
    let scale = (x: Double(width) / displayed.0, y: Double(height) / displayed.1)
    let expected = BBoxWord(
      text: "placed", x1: Double(box.x1) / scale.x, y1: Double(box.y1) / scale.y,
      x2: Double(box.x2) / scale.x, y2: Double(box.y2) / scale.y)
    #expect(read.iou(expected) > 0.95, "\(read) vs \(expected)")
  }

  @Test func aJPEGGoesInByteForByte() throws {
    let directory = TestFiles.scratchDirectory()
    let output = directory + "/out.pdf"
    let jpeg = directory + "/page.jpg"
    _ = Command.output(
      "pdftoppm",
      ["-jpeg", "-r", "40", "-f", "1", "-l", "1", "-singlefile", sample, directory + "/page"])
    let bytes = try Data(contentsOf: URL(fileURLWithPath: jpeg))
    try ImagePDF.write(pages: [], fromImage: jpeg, to: output)
    let extracted = directory + "/extracted"
    _ = Command.output("pdfimages", ["-all", output, extracted])
    #expect(try Data(contentsOf: URL(fileURLWithPath: extracted + "-000.jpg")) == bytes)
  }

  @Test func hangulAccentsLigaturesAndCharactersBeyondTheBMPCopyOutAsUnicode() throws {
    let directory = TestFiles.scratchDirectory()
    let output = directory + "/out.pdf"
    let texts = ["한국어", "문서를", "café", "cafe\u{301}", "ﬁnd", "𝔘nicode", "😀", "<&\">"]
    let words = texts.enumerated().map { index, text in
      PlacedWord(
        text: text, box: PixelBox(x1: 100 + index * 150, y1: 100, x2: 230 + index * 150, y2: 140),
        placement: .interpolated)
    }
    let page = TextLayerFixtures.oneLine(
      words, line: PixelBox(x1: 100, y1: 100, x2: 1380, y2: 140), baseline: (132, 132),
      imageWidth: 1500, imageHeight: 600)
    try ImagePDF.write(pages: [page], fromImage: TestFiles.asset("sample-scan.png"), to: output)
    let got = Poppler.layout(of: output, page: 1).words.map(\.text)
    #expect(got == texts)
    let text = Command.output("pdftotext", [output, "-"])
    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == texts.joined(separator: " "))
  }

  /// Two words cut from one tesseract word (`asn1_node` read, "asn1 node" written) touch: a
  /// reader still gets two words, and the first keeps most of its box.
  @Test func wordsThatTouchCopyOutAsTwoWords() throws {
    let output = TestFiles.scratchDirectory() + "/out.pdf"
    let boxes = [(100, 300), (300, 500), (500, 560), (575, 800)]
    let texts = ["asn1", "node", "is", "alone"]
    let words = zip(texts, boxes).map { text, box in
      PlacedWord(
        text: text, box: PixelBox(x1: box.0, y1: 100, x2: box.1, y2: 140),
        placement: .matched(similarity: 0.8))
    }
    let page = TextLayerFixtures.oneLine(
      words, line: PixelBox(x1: 100, y1: 100, x2: 800, y2: 140), baseline: (132, 132),
      imageWidth: 1275, imageHeight: 1650)
    try ImagePDF.write(pages: [page], fromImage: TestFiles.asset("sample-scan.png"), to: output)
    let text = Command.output("pdftotext", [output, "-"])
    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "asn1 node is alone")
    let read = Poppler.layout(of: output, page: 1).words
    #expect(read.map(\.text) == texts)
    // In points (1275 px over 612 pt): "asn1" still spans most of its 200 px.
    #expect(read[0].x2 - read[0].x1 > 0.8 * 200 * 612 / 1275)
  }

  /// A monospaced table of figures (valgrind's `cg_annotate` output: 10 pt Courier, rows
  /// 12 pt apart, its letters' band 0.78 of the em): poppler reads each column down as one
  /// block, as it reads the printed table — so a selection in a viewer runs as it would on the
  /// original. With the layer's font size at the band (Ascent − Descent 1 em) the rows stood
  /// 1.56 sizes apart, beyond the 1.5 poppler joins, and every figure was a block of its own.
  @Test func aTablesColumnsReadDownAsPrintedOnes() throws {
    let output = TestFiles.scratchDirectory() + "/out.pdf"
    // 150 DPI on a letter page: 12 pt = 25 px between rows, a 7.8 pt band = 16 px.
    let columns = [(100, 160), (400, 440), (700, 760)]
    let lines = (0..<6).map { row in
      let top = 200 + 25 * row
      let words = columns.enumerated().map { c, extent in
        PlacedWord(
          text: "\(c + 1)\(row)", box: PixelBox(x1: extent.0, y1: top, x2: extent.1, y2: top + 16),
          placement: .matched(similarity: 1))
      }
      return PlacedLine(
        box: PixelBox(x1: 100, y1: top, x2: 760, y2: top + 16),
        baselineLeft: Double(top + 13), baselineRight: Double(top + 13), words: words)
    }
    let page = PlacedPage(
      number: 1, imageWidth: 1275, imageHeight: 1650,
      blocks: [PlacedBlock(box: PixelBox(x1: 100, y1: 200, x2: 760, y2: 341), lines: lines)])
    try ImagePDF.write(pages: [page], fromImage: TestFiles.asset("sample-scan.png"), to: output)
    let blocks = Poppler.layout(of: output, page: 1).blocks.map { $0.flatMap { $0 }.map(\.text) }
    #expect(blocks == (1...3).map { c in (0..<6).map { "\(c)\($0)" } })
  }

  /// A searchable PDF of one line from x 100 to 1100 and y 100 to `bottom` of a 1200 × 400
  /// scan, its baseline at (`baseline.left`, `baseline.right`): `texts` placed `every` px
  /// apart, each `wide` px wide. The words placed, and the file.
  static func slopingLine(
    _ texts: [String], every: Int, wide: Int, bottom: Int, baseline: (Double, Double)
  ) throws -> (words: [PlacedWord], output: String) {
    let output = TestFiles.scratchDirectory() + "/out.pdf"
    let words = texts.enumerated().map { index, text in
      PlacedWord(
        text: text,
        box: PixelBox(
          x1: 100 + index * every, y1: 100, x2: 100 + index * every + wide, y2: bottom),
        placement: .matched(similarity: 1))
    }
    let page = TextLayerFixtures.oneLine(
      words, line: PixelBox(x1: 100, y1: 100, x2: 1100, y2: bottom), baseline: baseline,
      imageWidth: 1200, imageHeight: 400)
    try ImagePDF.write(pages: [page], fromImage: TestFiles.asset("sample-scan.png"), to: output)
    return (words, output)
  }

  /// A skewed scan: the line falls 20 px over 1000 (1.1°); each word sits on its stretch of it,
  /// upright.
  @Test func wordsOnASlopingLineFollowItsBaseline() throws {
    let texts = ["one", "two", "three", "four", "five"]
    let (words, output) = try Self.slopingLine(
      texts, every: 200, wide: 160, bottom: 180, baseline: (142, 162))
    let got = Poppler.layout(of: output, page: 1)
    #expect(got.words.map(\.text) == texts)
    let scale = (x: got.width / 1200, y: got.height / 400)
    for (word, read) in zip(words, got.words) {
      let center = Double(word.box.x1 + word.box.x2) / 2
      // The text band (60 px high) at the word's middle.
      let bandMiddle = 100 + (center - 100) * 0.02 + 30
      #expect(abs((read.y1 + read.y2) / 2 / scale.y - bandMiddle) < 4, "\(word.text)")
      #expect(abs(read.x1 / scale.x - Double(word.box.x1)) < 3, "\(word.text)")
      #expect(abs(read.x2 / scale.x - Double(word.box.x2)) < 3, "\(word.text)")
    }
  }

  /// Words of a skewed scan come out whole: a line falling 35 px over 1000 (2°, as OCRmyPDF's
  /// `skew.pdf` does), each word long. Turned along the line, poppler cut them where their
  /// letters drifted off its baseline (`composit` `ion`: 89 % of that page's words copied
  /// out, 77 % of `rotated_skew.pdf`'s).
  @Test func wordsOfASkewedLineComeOutWhole() throws {
    let texts = ["composition", "performance", "professional", "simultaneous"]
    let (_, output) = try Self.slopingLine(
      texts, every: 250, wide: 230, bottom: 170, baseline: (127, 162))
    #expect(
      Command.output("pdftotext", [output, "-"]).split(whereSeparator: \.isWhitespace)
        == texts.map { Substring($0) })
  }

  @Test func aSecondRunReplacesOcrviewsOwnLayerInsteadOfStacking() throws {
    let directory = TestFiles.scratchDirectory()
    let first = directory + "/first.pdf"
    let second = directory + "/second.pdf"
    func page(_ word: String) -> PlacedPage { TextLayerFixtures.oneWord(2, word: word) }
    #expect(try SearchablePDF.pagesWithOwnLayer(in: sample).isEmpty)
    try SearchablePDF.write(pages: [page("zebrafirst")], from: sample, to: first)
    #expect(try SearchablePDF.pagesWithOwnLayer(in: first) == [2])
    try SearchablePDF.write(pages: [page("yaksecond")], from: first, to: second)
    #expect(try SearchablePDF.pagesWithOwnLayer(in: second) == [2])
    let text = Command.output("pdftotext", [second, "-"])
    #expect(text.contains("yaksecond") && !text.contains("zebrafirst"))
    #expect(text.contains("Streaming and batch modes"))
    #expect(Poppler.render(second, page: 2) == Poppler.render(sample, page: 2))
  }

  /// The sample's pages share one `/Font` dictionary: redoing page 1 must leave pages 2 and 3
  /// their own layer's font (its ToUnicode gives their characters beyond the BMP).
  @Test func redoingOnePageLeavesTheOthersLayersIntact() throws {
    let directory = TestFiles.scratchDirectory()
    let first = directory + "/first.pdf"
    let second = directory + "/second.pdf"
    func page(_ number: Int, _ word: String) -> PlacedPage {
      TextLayerFixtures.oneWord(number, word: word)
    }
    try SearchablePDF.write(pages: (1...3).map { page($0, "alpha😀") }, from: sample, to: first)
    try SearchablePDF.write(pages: [page(1, "beta𝔘")], from: first, to: second)
    func text(_ number: Int) -> String {
      Command.output("pdftotext", ["-f", "\(number)", "-l", "\(number)", second, "-"])
    }
    #expect(text(1).contains("beta𝔘") && !text(1).contains("alpha"))
    #expect(text(2).contains("alpha😀") && text(3).contains("alpha😀"))
    let (status, report) = Command.status("qpdf", ["--check", second])
    #expect(status == 0 && !report.contains("WARNING"), "\(report)")
  }

  @Test func writingOntoTheInputIsRefused() throws {
    let directory = TestFiles.scratchDirectory()
    let input = directory + "/in.pdf"
    try FileManager.default.copyItem(atPath: sample, toPath: input)
    let before = try Data(contentsOf: URL(fileURLWithPath: input))
    #expect(symlink(input, directory + "/link.pdf") == 0)
    for output in [input, directory + "/link.pdf", directory + "/./in.pdf"] {
      #expect(throws: SearchablePDFError.outputIsInput(path: output)) {
        try SearchablePDF.write(pages: [], from: input, to: output)
      }
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
  }

  @Test func encryptedAndDamagedInputsSayWhatIsWrongInOneLine() throws {
    let directory = TestFiles.scratchDirectory()
    let encrypted = directory + "/encrypted.pdf"
    let damaged = directory + "/damaged.pdf"
    let output = directory + "/out.pdf"
    _ = Command.output("qpdf", ["--encrypt", "user", "owner", "256", "--", sample, encrypted])
    #expect(throws: SearchablePDFError.input(.encrypted(path: encrypted))) {
      try SearchablePDF.write(pages: [], from: encrypted, to: output)
    }
    #expect(throws: SearchablePDFError.input(.wrongPassword(path: encrypted))) {
      try SearchablePDF.write(pages: [], from: encrypted, password: "nope", to: output)
    }
    // With the password, it is written — still encrypted, as the input was.
    try SearchablePDF.write(pages: [], from: encrypted, password: "user", to: output)
    #expect(Command.status("qpdf", ["--check", output]).0 != 0)
    #expect(Command.status("qpdf", ["--password=user", "--check", output]).0 == 0)
    FileManager.default.createFile(atPath: damaged, contents: Data("not a PDF at all".utf8))
    do {
      try SearchablePDF.write(pages: [], from: damaged, to: output + "2")
      Issue.record("a damaged file was written")
    } catch {
      guard case .input(.corrupt) = error else { throw error }
      #expect(!error.description.contains("\n"))
    }
    #expect(!FileManager.default.fileExists(atPath: output + "2"))
  }

  @Test func aPageOutsideTheDocumentIsRefused() throws {
    let output = TestFiles.scratchDirectory() + "/out.pdf"
    let page = PlacedPage(number: 4, imageWidth: 10, imageHeight: 10, blocks: [])
    #expect(throws: SearchablePDFError.pageOutOfRange(page: 4, pageCount: 3)) {
      try SearchablePDF.write(pages: [page], from: sample, to: output)
    }
  }
}

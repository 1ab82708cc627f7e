import Foundation
import Testing

@testable import OCRKit

/// `--redo-text` underneath: another tool's invisible text found and taken out, the page
/// looking exactly as before, its visible text never touched.
@Suite struct InvisibleTextTests {
  private func rendered(_ path: String, in directory: String, as name: String) throws -> [Data] {
    _ = Command.output("pdftoppm", ["-png", "-r", "50", path, directory + "/" + name])
    return try (1...3).map {
      try Data(contentsOf: URL(fileURLWithPath: directory + "/\(name)-\($0).png"))
    }
  }

  @Test func pagesWithOnlyInvisibleTextAreAnotherToolsLayer() throws {
    let input = TestFiles.scratchDirectory() + "/layered.pdf"
    LayeredPDF.write(to: input)
    #expect(
      try InvisibleText.survey(of: input, password: nil) == [
        .invisible, .invisible, [.invisible, .other],
      ])
    #expect(try TextLayerSurvey.pages(of: input) == [.otherLayer, .otherLayer, .foreign])
    // A born-digital page shows its text.
    #expect(
      try InvisibleText.survey(of: TestFiles.asset("sample.pdf"), password: nil) == [
        .other, .other, .other,
      ])
  }

  @Test func theOldLayerGoesTheNewOneComesAndThePagesLookTheSame() throws {
    let directory = TestFiles.scratchDirectory()
    let input = directory + "/layered.pdf"
    let output = directory + "/out.pdf"
    LayeredPDF.write(to: input)
    try SearchablePDF.write(
      pages: (1...3).map { TextLayerFixtures.oneWord($0, word: "fresh\($0)") }, from: input,
      to: output,
      options: SearchablePDF.Options(removeInvisibleText: [1, 2, 3]))
    let text = Command.output("pdftotext", [output, "-"])
    #expect(!text.contains("zebra") && !text.contains("oldlayer"), "\(text)")
    for number in 1...3 { #expect(text.contains("fresh\(number)"), "\(text)") }
    #expect(text.contains("Printed words"), "\(text)")
    #expect(
      try rendered(output, in: directory, as: "out") == rendered(input, in: directory, as: "in"))
    let (status, report) = Command.status("qpdf", ["--check", output])
    #expect(status == 0 && !report.contains("WARNING"), "\(report)")
    // The survey of the output: ocrview's own layer on pages 1–2, page 3 still printed.
    #expect(try TextLayerSurvey.pages(of: output) == [.ocrview, .ocrview, .foreign])
  }

  @Test func onlyThePagesAskedLoseTheirOldLayerAndAReRunDoesNotStack() throws {
    let directory = TestFiles.scratchDirectory()
    let input = directory + "/layered.pdf"
    let first = directory + "/first.pdf"
    let second = directory + "/second.pdf"
    LayeredPDF.write(to: input)
    try SearchablePDF.write(
      pages: [TextLayerFixtures.oneWord(1, word: "fresh1")], from: input, to: first,
      options: SearchablePDF.Options(removeInvisibleText: [1]))
    let text = Command.output("pdftotext", [first, "-"])
    #expect(!text.contains("oldlayer") && text.contains("zebraform") && text.contains("zebramixed"))
    try SearchablePDF.write(
      pages: [
        TextLayerFixtures.oneWord(1, word: "again1"), TextLayerFixtures.oneWord(2, word: "fresh2"),
      ], from: first, to: second,
      options: SearchablePDF.Options(removeInvisibleText: [1, 2]))
    let again = Command.output("pdftotext", [second, "-"])
    #expect(!again.contains("fresh1") && again.contains("again1") && again.contains("fresh2"))
    #expect(!again.contains("zebraform") && again.contains("zebramixed"), "\(again)")
    #expect(try SearchablePDF.pagesWithOwnLayer(in: second) == [1, 2])
  }

  @Test func aPageOutsideTheDocumentIsRefusedBeforeAnythingIsWritten() throws {
    let directory = TestFiles.scratchDirectory()
    let input = directory + "/layered.pdf"
    LayeredPDF.write(to: input)
    #expect(throws: SearchablePDFError.pageOutOfRange(page: 4, pageCount: 3)) {
      try SearchablePDF.write(
        pages: [], from: input, to: directory + "/out.pdf",
        options: SearchablePDF.Options(removeInvisibleText: [4]))
    }
    #expect(!FileManager.default.fileExists(atPath: directory + "/out.pdf"))
  }
}

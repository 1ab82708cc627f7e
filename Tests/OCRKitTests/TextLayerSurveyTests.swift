import Foundation
import Testing

@testable import OCRKit

/// Which pages already have text, and whether it is ocrview's own (replaceable) layer.
@Suite struct TextLayerSurveyTests {
  let sample = TestFiles.asset("sample.pdf")

  @Test func aBornDigitalPageHasForeignText() throws {
    #expect(try TextLayerSurvey.pages(of: sample) == [.foreign, .foreign, .foreign])
  }

  @Test func anImagePageHasNoneUntilOcrviewGivesItOne() throws {
    let directory = TestFiles.scratchDirectory()
    let bare = directory + "/bare.pdf"
    let layered = directory + "/layered.pdf"
    try ImagePDF.write(pages: [], fromImage: TestFiles.asset("sample-scan.png"), to: bare)
    #expect(try TextLayerSurvey.pages(of: bare) == [.none])
    try SearchablePDF.write(
      pages: [TextLayerFixtures.oneWord(1, word: "hello")], from: bare, to: layered)
    #expect(try TextLayerSurvey.pages(of: layered) == [.ocrview])
  }

  @Test func ocrviewsLayerOverPrintedTextIsStillForeign() throws {
    let layered = TestFiles.scratchDirectory() + "/layered.pdf"
    try SearchablePDF.write(
      pages: [TextLayerFixtures.oneWord(2, word: "hello")], from: sample, to: layered)
    #expect(try SearchablePDF.pagesWithOwnLayer(in: layered) == [2])
    #expect(try TextLayerSurvey.pages(of: layered) == [.foreign, .foreign, .foreign])
  }

  @Test func removingOcrviewsLayerGivesThePagesBackAsTheyWere() throws {
    let directory = TestFiles.scratchDirectory()
    let layered = directory + "/layered.pdf"
    let removed = directory + "/removed.pdf"
    try SearchablePDF.write(
      pages: [
        TextLayerFixtures.oneWord(1, word: "zebrafirst"),
        TextLayerFixtures.oneWord(3, word: "zebrathird"),
      ], from: sample, to: layered)
    try SearchablePDF.removeOwnLayer(from: layered, to: removed)
    #expect(try SearchablePDF.pagesWithOwnLayer(in: removed).isEmpty)
    #expect(!Command.output("pdftotext", [removed, "-"]).contains("zebra"))
    #expect(
      Command.output("pdftotext", [removed, "-"]) == Command.output("pdftotext", [sample, "-"]))
    let (status, report) = Command.status("qpdf", ["--check", removed])
    #expect(status == 0 && !report.contains("WARNING"), "\(report)")
  }
}

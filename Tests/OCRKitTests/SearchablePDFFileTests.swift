import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// The viewer's searchable PDF: a free name beside the document, and no second layer on a
/// page that has text of its own.
struct SearchablePDFFileTests {
  @Test func aBornDigitalPageKeepsItsTextAndAScanGetsTheLayer() async throws {
    let folder = TestFiles.scratchDirectory()
    let born = folder + "/born.pdf"
    SyntheticPDF.write(pages: 2, to: born, linesPerPage: 3)
    let scan = folder + "/scan.pdf"
    RasterizedPDF.write(born, to: scan)
    let bornDocument = try await OpenedDocument.open(path: born)
    let scanDocument = try await OpenedDocument.open(path: scan)
    #expect(TextLayerSurvey.decide(bornDocument, redoText: true).kept == [1, 2])
    #expect(TextLayerSurvey.decide(scanDocument, redoText: false).kept.isEmpty)
    let box = PixelBox(x1: 72, y1: 80, x2: 300, y2: 104)
    let page = TextLayerFixtures.oneLine(
      [PlacedWord(text: "zebracorn", box: box, placement: .matched(similarity: 1))], line: box,
      baseline: (100, 100), imageWidth: 612, imageHeight: 792)
    let kept = try SearchablePDFFile.save([page], of: bornDocument, in: nil)
    #expect(kept == .init(path: folder + "/born.ocr.pdf", kept: [1, 2]))
    let layered = try SearchablePDFFile.save([page], of: scanDocument, in: nil)
    #expect(layered == .init(path: folder + "/scan.ocr.pdf", kept: []))
    // A second save never replaces the first.
    let again = try SearchablePDFFile.save([page], of: scanDocument, in: nil)
    #expect(again.path == folder + "/scan.ocr-2.pdf")
    #expect(!Command.output("pdftotext", [kept.path, "-"]).contains("zebracorn"))
    #expect(Command.output("pdftotext", [layered.path, "-"]).contains("zebracorn"))
  }
}

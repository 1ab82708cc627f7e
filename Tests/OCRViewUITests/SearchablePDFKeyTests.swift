import OCRKit
import Testing

@testable import OCRViewUI

/// `P`: a searchable PDF of the pages read, said while it is made and where it went after.
@Suite struct SearchablePDFKeyTests {
  @Test func pAsksForThePagesReadAndSaysWhichHaveNoText() {
    var model = Fixtures.document()
    model.document?.pages[2].progress = .done
    model.document?.pages[2].text = "Third"
    let effects = update(&model, .key(.character("P")))
    let id = model.document!.id
    #expect(
      effects == [
        .saveSearchablePDF(
          document: id,
          [
            CheckRequest(page: 1, run: 1, text: "# Title\n\nFirst page text."),
            CheckRequest(page: 3, run: 1, text: "Third"),
          ], grounded: false)
      ])
    #expect(
      model.message?.text == "making the searchable PDF: tesseract places the words of 2 pages…")
    // Asked again while it is being made: nothing new is started.
    #expect(update(&model, .key(.character("P"))).isEmpty)
    #expect(model.message?.text == "the searchable PDF is being made — a moment")
    // Page 2 was not read; tesseract could not read page 3.
    _ = update(&model, .searchablePDFSaved(path: "/docs/sample.ocr.pdf", missing: [3], kept: []))
    #expect(
      model.message?.text
        == "searchable PDF saved: /docs/sample.ocr.pdf (no text on pages 2–3)")
    // Saved, it can be asked for again (more pages may have been read since). A born-digital
    // page keeps its own text and is said so, not counted as without text.
    #expect(!update(&model, .key(.character("P"))).isEmpty)
    _ = update(
      &model, .searchablePDFSaved(path: "/docs/sample.ocr-2.pdf", missing: [], kept: [1, 2]))
    #expect(
      model.message?.text
        == "searchable PDF saved: /docs/sample.ocr-2.pdf (pages 1–2 kept the text they have)")
  }

  @Test func withNothingReadOrAFailedWriteNothingIsKept() {
    var model = Fixtures.document()
    model.document?.pages[0].progress = .failed
    #expect(update(&model, .key(.character("P"))).isEmpty)
    #expect(model.message?.text == "no searchable PDF yet: no page has been read to its end")
    model.document?.pages[0].progress = .done
    _ = update(&model, .key(.character("P")))
    _ = update(&model, .searchablePDFFailed(message: "/docs: disk full"))
    #expect(
      model.message
        == Model.Message("could not save the searchable PDF: /docs: disk full", isError: true))
    #expect(model.document?.searchablePDF == nil)
    #expect(!update(&model, .key(.character("P"))).isEmpty)
  }
}

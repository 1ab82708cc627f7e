import OCRKit
import Testing

@testable import OCRViewUI

/// `s` mid-run saves what is read and says the file is partial; `s` again with nothing changed
/// says where the file is instead of writing an identical copy.
@Suite struct SaveTests {
  static let path = "/docs/sample.ocr.md"

  func save(_ model: inout Model) -> String? {
    guard case .save(let text, _)? = update(&model, .key(.character("s"))).first else {
      return nil
    }
    return text
  }

  @Test func sMidRunSavesThePagesReadAndSaysTheFileIsPartial() {
    var model = Fixtures.document()
    // Page 1 is done, page 2 streaming, page 3 queued: no page is called failed.
    #expect(
      save(&model)
        == "<!-- page 1 -->\n\n# Title\n\nFirst page text.\n\n"
        + "<!-- not read yet when saved: pages 2–3 of 3 -->\n")
    _ = update(&model, .saved(path: Self.path))
    #expect(model.message?.text == "saved 1 of 3 pages (2–3 not read yet) to \(Self.path)")
  }

  @Test func failedAndCancelledPagesAreNamedAsSuch() {
    var model = Fixtures.document()
    model.document?.pages[1].progress = .failed
    model.document?.pages[1].error = "the server closed the stream early"
    model.document?.pages[2].progress = .cancelled
    model.document?.pages[2].text = ""
    let text = save(&model) ?? ""
    #expect(text.contains("<!-- page 2: failed -->") && text.contains("<!-- page 3: cancelled -->"))
    #expect(!text.contains("not read yet"))
    _ = update(&model, .saved(path: Self.path))
    #expect(model.message?.text == "saved 1 of 3 pages (2 failed; 3 cancelled) to \(Self.path)")
  }

  @Test func sTwiceWithNothingChangedSaysWhereTheFileIs() {
    var model = Fixtures.document()
    _ = save(&model)
    #expect(update(&model, .key(.character("s"))) == [], "still saving")
    _ = update(&model, .saved(path: Self.path))
    #expect(update(&model, .key(.character("s"))) == [])
    #expect(model.message?.text == "already saved as \(Self.path) — nothing changed since")
    // More text of a page not read yet changes nothing saved; its end does.
    _ = update(&model, .run(.delta(page: 2, text: " 더"), run: 1))
    #expect(update(&model, .key(.character("s"))) == [])
    let stats = Fixtures.stats(.stream, ttft: 0.4, e2e: 2)
    _ = update(&model, .run(.pageFinished(page: 2, text: "끝", stats: stats), run: 1))
    #expect(save(&model)?.contains("<!-- page 2 -->\n\n끝") == true)
  }

  @Test func beforeAnyPageEndsThereIsNothingToSave() {
    var model = Fixtures.document()
    model.document?.pages[0].progress = .streaming
    #expect(update(&model, .key(.character("s"))) == [])
    #expect(model.message?.text == "nothing to save yet: no page has been read to its end")
  }

  @Test func aFailedSaveIsTriedAgain() {
    var model = Fixtures.document()
    _ = save(&model)
    _ = update(&model, .saveFailed(message: "could not save the transcript: disk full"))
    #expect(save(&model) != nil)
  }
}

import OCRKit
import Testing

@testable import OCRViewUI

/// What a review of the viewer found, each with the test that would have caught it.
@Suite struct ReviewFixesTests {
  @Test func aRestoredPageIsSavedOnce() {
    var model = Fixtures.document()
    var restored = Fixtures.stats(.stream, ttft: 0.1, e2e: 1)
    restored.restored = true
    model.document?.pages[0].stats = restored
    guard case .save(let text, _)? = update(&model, .key(.character("s"))).first else {
      Issue.record("no save")
      return
    }
    #expect(text.components(separatedBy: "First page text.").count == 2, "\(text)")
  }

  @Test func groundedPagesAreSavedWithoutTheirBoxes() {
    var model = Fixtures.document()
    model.engine.info?.grounding = true
    model.document?.pages[0].text =
      "![title](0,0,1000,100)\n# Title\n\n![text](0,100,1000,900)\nBody."
    guard case .save(let text, _)? = update(&model, .key(.character("s"))).first else { return }
    #expect(!text.contains("![title]") && text.contains("# Title") && text.contains("Body."))
  }

  @Test func cGivesUpARunWaitingForTheEngine() {
    var model = Model(size: Size(width: 80, height: 24), directory: "/docs")
    _ = start(&model, opening: "/docs/a.pdf")
    _ = update(&model, .documentOpened(id: 1, path: "/docs/a.pdf", pageCount: 2))
    _ = update(&model, .key(.character("c")))
    #expect(model.document?.pages.map(\.progress) == [.cancelled, .cancelled])
    #expect(update(&model, .engineSelected(Fixtures.builtIn)) == [], "nothing starts after all")
  }

  @Test func searchWorksWithThePageImageAlone() {
    var model = Fixtures.document()
    _ = update(&model, .key(.character("v")))
    _ = update(&model, .key(.character("v")))
    #expect(model.view == .page)
    _ = update(&model, .key(.character("/")))
    for character in "first" { _ = update(&model, .key(.character(character))) }
    _ = update(&model, .key(.enter))
    #expect(model.search?.count == 1 && model.search?.current?.page == 1)
  }

  @Test func bTurnsGroundingOnOnlyWhereTheModelHasIt() {
    var model = Fixtures.document()
    #expect(update(&model, .key(.character("B"))) == [])
    #expect(model.message?.isError == true)
    model.engine.info = EngineInfo(
      kind: .server, label: "server", reason: "up", profile: "LightOnOCR-3-1B · 1540 px",
      groundingAvailable: true)
    #expect(update(&model, .key(.character("B"))) == [.switchEngine(to: .server, grounding: true)])
    #expect(model.engine.status == .switching(to: .server))
  }
}

import OCRKit
import Testing

@testable import OCRViewUI

/// The document's changes as values (no model, no keys), and the keys that reach them, routed
/// by the pane that has the focus.
@Suite struct DocumentStateTests {
  static let pane = TextPaneSize(format: PaneFormat(width: 40), rows: 5)

  /// A finished 3-page document whose page 1 has 20 lines.
  static func document() -> DocumentState {
    var document = DocumentState(path: "/docs/a.pdf", pageCount: 3, openedAt: .now)
    for index in document.pages.indices { document.pages[index].progress = .done }
    document.pages[0].text = (1...20).map { "line \($0)" }.joined(separator: "\n")
    document.follow = false
    return document
  }

  @Test func selectingClampsToTheDocumentAndFollowsOnlyAPageStillComing() {
    var document = Self.document()
    document.select(Int.max)
    #expect(document.selected == 3 && !document.follow)
    document.select(-4)
    #expect(document.selected == 1)
    document.pages[1].progress = .streaming
    document.scroll = 7
    document.select(2)
    #expect(document.selected == 2 && document.scroll == 0 && document.follow)
  }

  @Test func scrollingStopsAtTheLastScreenfulAndTheEndOfAFinishedPageIsNotFollowed() {
    var document = Self.document()
    document.scroll(by: 3, Self.pane)
    #expect(document.scroll == 3)
    document.scroll(by: 100, Self.pane)
    #expect(document.scroll == 15, "20 lines, 5 rows")
    document.scroll(to: -1, Self.pane)
    #expect(document.scroll == 0)
    document.scrollToEnd(Self.pane)
    #expect(document.scroll == 15 && !document.isFollowing)
    // A resize to more rows keeps the position valid.
    document.clampScroll(TextPaneSize(format: PaneFormat(width: 40), rows: 10))
    #expect(document.scroll == 10)
  }

  @Test func droppingPendingChecksLeavesTheChecksThatCameIn() {
    var document = Self.document()
    document.pages[0].check = .pending
    document.pages[1].check = .unchecked("the built-in engine failed")
    document.pages[2].check = .pending
    document.dropPendingChecks()
    #expect(document.pages.map(\.check) == [nil, .unchecked("the built-in engine failed"), nil])
  }

  /// The same key does what the focused pane does with it: j selects the next page in the
  /// list, scrolls the text, pans a zoomed image, and turns the page on an unzoomed one.
  @Test func jDoesWhatTheFocusedPaneDoes() {
    var model = Fixtures.document(size: Size(width: 100, height: 30))
    model.document?.pages[0].text = (1...60).map { "line \($0)" }.joined(separator: "\n")
    model.document?.pages[1].progress = .done

    model.focus = .pages
    _ = update(&model, .key(.character("j")))
    #expect(model.document?.selected == 2)

    _ = update(&model, .key(.character("k")))
    model.focus = .text
    _ = update(&model, .key(.character("j")))
    #expect(model.document?.selected == 1 && model.document?.scroll == 1)

    model.view = .pageAndText
    model.focus = .image
    _ = update(&model, .key(.character("j")))
    #expect(model.document?.selected == 2, "unzoomed, j turns the page")

    _ = update(&model, .key(.character("+")))
    let before = model.pagePane
    _ = update(&model, .key(.character("j")))
    #expect(model.document?.selected == 2, "zoomed, j pans instead")
    #expect(model.pagePane != before)

    // Keys that read the text work from every pane: a screen down from the image.
    model.document?.select(1)
    _ = update(&model, .key(.character(" ")))
    #expect(model.document?.scroll ?? 0 > 0)
  }
}

import Foundation
import OCRKit
import Testing

@testable import OCRViewUI

/// One key table for the help, the README and the hint line: the README's tables are the ones
/// `KeyTable` makes, every key that does something is in it, and `?` shows all of it.
@Suite struct KeyTableTests {
  static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

  @Test func theReadmesKeyTablesAreTheOnesTheHelpShows() throws {
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    let start = try #require(text.range(of: KeyTable.readmeStart))
    let end = try #require(text.range(of: KeyTable.readmeEnd))
    let inReadme = String(text[start.lowerBound..<end.upperBound])
    #expect(inReadme == KeyTable.markdown, "README.md should have:\n\(KeyTable.markdown)")
  }

  /// The name the table gives a key.
  static func name(_ key: Key) -> String {
    switch key {
    case .character(" "): "Space"
    case .character(let character): String(character)
    case .control(let character): "Ctrl-" + character.uppercased()
    case .up: "↑"
    case .down: "↓"
    case .left: "←"
    case .right: "→"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .home: "Home"
    case .end: "End"
    case .enter: "Enter"
    case .escape: "Esc"
    case .tab: "Tab"
    case .backTab: "Shift-Tab"
    case .backspace: "Backspace"
    case .delete: "Delete"
    }
  }

  static let everyKey: [Key] =
    (32...126).map { .character(Character(Unicode.Scalar(UInt8($0)))) }
    + "abcdefghijklmnopqrstuvwxyz".map { .control($0) }
    + [
      .up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab,
      .backTab, .backspace, .delete,
    ]

  /// The keys that change the screen or ask the runtime for something, pressed one at a time
  /// on `model`.
  static func keysThatDoSomething(in model: Model) -> Set<String> {
    let before = render(model).allCells
    var found = Set<String>()
    for key in everyKey {
      var pressed = model
      let effects = update(&pressed, .key(key))
      if !effects.isEmpty || render(pressed).allCells != before { found.insert(name(key)) }
    }
    return found
  }

  static func names(_ bindings: [KeyBinding]) -> Set<String> {
    Set(bindings.flatMap { $0.keys.flatMap { $0 } })
  }

  @Test func everyKeyThatDoesSomethingIsInTheTable() {
    // A long page with the text focused, at its top and scrolled; the page image zoomed in and
    // panned; a search with matches.
    var text = Fixtures.document(size: Size(width: 80, height: 24))
    text.document?.pages[0].text = (1...60).map { "line \($0)" }.joined(separator: "\n")
    text.focus = .text
    var image = Fixtures.document(size: Size(width: 80, height: 24))
    _ = update(&image, .key(.character("v")))
    _ = update(&image, .key(.character("+")))
    image.focus = .image
    // (its image at this pan drawn, so panning back shows something else)
    if let key = image.pageImageKey {
      _ = update(&image, .pageImageReady(key, .cells(PagePaneTests.cells)))
    }
    _ = update(&image, .key(.character("l")))
    var scrolled = text
    _ = update(&scrolled, .key(.pageDown))
    var search = text
    for key in "/line 1" { _ = update(&search, .key(.character(key))) }
    _ = update(&search, .key(.enter))
    let document = [Fixtures.document(), text, image, scrolled, search]
      .map(Self.keysThatDoSomething).reduce(Set()) { $0.union($1) }
    #expect(document.subtracting(Self.names(KeyTable.document)).isEmpty)
    // The picker: at its top, further down, filtered, and with a document open.
    var down = Fixtures.picker()
    down.picker.cursor = 3
    var filtered = Fixtures.picker()
    filtered.picker.filter = "p"
    var open = Fixtures.document()
    open.screen = .picker
    open.picker = Fixtures.picker().picker
    let picker = [Fixtures.picker(), down, filtered, open].map(Self.keysThatDoSomething)
      .reduce(Set()) { $0.union($1) }
    #expect(picker.subtracting(Self.names(KeyTable.picker)).isEmpty)
    // And the other way: the tables name no key that does nothing.
    #expect(Self.names(KeyTable.picker).subtracting(picker).isEmpty)
    #expect(Self.names(KeyTable.document).subtracting(document).isEmpty)
  }

  @Test func theHintsAreKeysOfTheTable() {
    #expect(Set(KeyTable.documentHints.map(\.key)).isSubset(of: Self.names(KeyTable.document)))
    #expect(Set(KeyTable.pickerHints.map(\.key)).isSubset(of: Self.names(KeyTable.picker)))
  }

  @Test func questionMarkShowsEveryKeyAndMarkAndJKScrollIt() {
    var model = Fixtures.document()
    _ = update(&model, .key(.character("?")))
    #expect(
      render(model).lines() == [
        " ocrview sample.pdf — 3 pages  no server at http://127.0.0.1:8080 — u…   STREAM ",
        " p┌─────────────────────────────────────────────────────────────────────────┐   ",
        "✓ │ Every key — 1–18 of 54: j k PgDn PgUp scroll, any other key closes      │   ",
        "▸ │                                                                         │   ",
        "· │ In a document                                                           │   ",
        "  │ Tab Shift-Tab        focus: pages → text → page image                   │   ",
        "  │ j k ↑ ↓  g G         move pages / scroll the text; first / last         │   ",
        "  │ PgUp PgDn Space b    scroll the text a screen up / down                 │   ",
        "  │ Ctrl-B Ctrl-F        a screen up / down (as in less and vim)            │   ",
        "  │ Ctrl-U Ctrl-D        half a screen up / down                            │   ",
        "  │ Home End  f          top / end of the text; follow the growing text     │   ",
        "  │ Enter  Esc           focus the text; back to the picker (on this file)  │   ",
        "  │ m                    STREAM / BATCH for every page not yet sent         │   ",
        "  │ r  R  F              read again: this page / all (asks) / failed ones   │   ",
        "  │ c                    cancel the rest: pages running and not started     │   ",
        "  │ s                    save the transcript (mid-run: the pages read)      │   ",
        "  │ P                    save a searchable PDF (the pages read as its text) │   ",
        "  │ t                    compare TTFT and E2E: pages in both modes, medians │   ",
        "  │ e                    switch engine (server / built-in) for new runs     │   ",
        "  │ v                    page image beside the text, alone, or off          │   ",
        "  │ + = -  h l ← →       zoom the page image; pan it (j k on the image)     │   ",
        "  │ M                    render Markdown (tables, math) / raw text          │   ",
        " S└─────────────────────────────────────────────────────────────────────────┘   ",
        "m:mode v:page M:render /:find y:copy s:save r:re-run q:quit … ?:all keys        ",
      ])
    _ = update(&model, .key(.character("G")))
    #expect(
      render(model).lines() == [
        " ocrview sample.pdf — 3 pages  no server at http://127.0.0.1:8080 — u…   STREAM ",
        " p┌─────────────────────────────────────────────────────────────────────────┐   ",
        "✓ │ Every key — 37–54 of 54: j k PgDn PgUp scroll, any other key closes     │   ",
        "▸ │                                                                         │   ",
        "· │                                                                         │   ",
        "  │ Page marks                                                              │   ",
        "  │ ·                    not started                                        │   ",
        "  │ ◌                    rendering the page image                           │   ",
        "  │ …                    sent, waiting for the first text                   │   ",
        "  │ ▸                    text coming in                                     │   ",
        "  │ ✓                    done                                               │   ",
        "  │ ↺                    done in an earlier session (from the journal)      │   ",
        "  │ ◔                    done, the check still reading it                   │   ",
        "  │ ✔                    done, the check agrees                             │   ",
        "  │ ?                    done, the check could not read it                  │   ",
        "  │ ~                    done, worth a look (why: above its text; ! next)   │   ",
        "  │ !                    done, not to be trusted (why: above its text)      │   ",
        "  │ ✗                    failed (why: below its text)                       │   ",
        "  │ ⊘                    cancelled                                          │   ",
        "  │                                                                         │   ",
        "  │ Text in magenta (dim without colour): where the model was unsure        │   ",
        "  │ of its tokens (raw view; when the server gives log-probabilities)       │   ",
        " S└─────────────────────────────────────────────────────────────────────────┘   ",
        "m:mode v:page M:render /:find y:copy s:save r:re-run q:quit … ?:all keys        ",
      ])
    _ = update(&model, .key(.character("k")))
    #expect(model.helpScroll == 35 && model.overlay == .help)
    _ = update(&model, .key(.character("x")))
    #expect(model.overlay == nil)
  }

  @Test func everyHelpLineFitsEightyColumns() {
    for line in KeyTable.helpLines { #expect(DisplayWidth.of(line) <= 74, "\(line)") }
  }
}

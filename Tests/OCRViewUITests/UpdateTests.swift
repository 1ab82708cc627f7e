import OCRKit
import Testing

@testable import OCRViewUI

@Suite struct DocumentKeyTests {
  func press(_ model: inout Model, _ keys: Key...) -> [Effect] {
    keys.flatMap { update(&model, .key($0)) }
  }

  @Test func jkAndArrowsMoveThePageSelectionWithinBounds() {
    var model = Fixtures.document()
    _ = press(&model, .character("j"))
    #expect(model.document?.selected == 2)
    _ = press(&model, .down, .down, .down)
    #expect(model.document?.selected == 3)
    _ = press(&model, .up, .character("k"), .character("k"))
    #expect(model.document?.selected == 1)
    _ = press(&model, .character("G"))
    #expect(model.document?.selected == 3)
    _ = press(&model, .character("g"))
    #expect(model.document?.selected == 1)
  }

  @Test func tabSwitchesFocusAndJKThenScrollTheText() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.document?.pages[0].text = (1...40).map { "line \($0)" }.joined(separator: "\n")
    _ = press(&model, .tab)
    #expect(model.focus == .text)
    _ = press(&model, .character("g"))
    #expect(model.document?.scroll == 0)
    _ = press(&model, .character("j"), .down)
    #expect(model.document?.scroll == 2)
    #expect(model.document?.follow == false)
    _ = press(&model, .pageDown)
    let rows = Layout(model.size).textRows
    #expect(model.document?.scroll == 2 + rows)
    _ = press(&model, .home)
    #expect(model.document?.scroll == 0)
    _ = press(&model, .backTab)
    #expect(model.focus == .pages)
    _ = press(&model, .enter)
    #expect(model.focus == .text)
  }

  @Test func scrollingUpStopsFollowingAndFFollowsAgain() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.document?.selected = 2
    model.document?.pages[1].text = (1...40).map { "streamed line \($0)" }.joined(separator: "\n")
    model.focus = .text
    #expect(model.document?.follow == true)
    _ = press(&model, .pageUp)
    #expect(model.document?.follow == false)
    _ = press(&model, .character("f"))
    #expect(model.document?.follow == true)
    _ = press(&model, .up)
    _ = press(&model, .end)
    #expect(model.document?.follow == true)
  }

  @Test func mSwitchesTheRunningDocumentsPagesNotYetSent() {
    var model = Fixtures.document()
    #expect(press(&model, .character("m")) == [.setMode(.batch)])
    #expect(model.mode == .batch)
    #expect(model.message?.text.contains("BATCH") == true)
    // Page 3 starts after the switch: it goes in batch mode; page 2 keeps its stream.
    _ = update(&model, .run(.pageStarted(page: 3, mode: .batch), run: 1))
    #expect(model.document?.pages.map(\.mode) == [.stream, .stream, .batch])
    #expect(press(&model, .character("m")) == [.setMode(.stream)])
    #expect(model.mode == .stream)
  }

  @Test func rRerunsTheSelectedPageInTheCurrentModeKeepingItsMeasurements() {
    var model = Fixtures.document()
    _ = press(&model, .character("m"))
    let effects = press(&model, .character("r"))
    #expect(
      effects == [
        .startRun(
          run: 2, document: 0, pages: [1], mode: .batch, engine: .builtIn, journal: .readAgain)
      ])
    let page = model.document!.pages[0]
    #expect(page.progress == .queued)
    #expect(page.run == 2)
    #expect(page.measured[.stream] != nil)
  }

  @Test func capitalRRerunsEverythingAfterCancelling() {
    var model = Fixtures.document()
    #expect(
      press(&model, .character("R"), .character("y")) == [
        .cancelRuns,
        .startRun(
          run: 2, document: 0, pages: [1, 2, 3], mode: .stream, engine: .builtIn, journal: .forget),
      ])
  }

  @Test func cCancelsOnlyWhenSomethingRuns() {
    var model = Fixtures.document()
    #expect(press(&model, .character("c")) == [.cancelRuns])
    model.document?.pages[1].progress = .done
    model.document?.pages[2].progress = .done
    #expect(press(&model, .character("c")) == [])
  }

  @Test func sSavesTheTranscriptWithPageMarkers() {
    var model = Fixtures.document()
    let effects = press(&model, .character("s"))
    guard case .save(let text, let path)? = effects.first else {
      Issue.record("expected a save effect, got \(effects)")
      return
    }
    #expect(path == "/docs/sample.pdf")
    #expect(text.hasPrefix("<!-- page 1 -->\n\n# Title\n\nFirst page text.\n\n"))
  }

  @Test func overlaysOpenAndAnyKeyClosesThem() {
    var model = Fixtures.document()
    _ = press(&model, .character("?"))
    #expect(model.overlay == .help)
    _ = press(&model, .character("x"))
    #expect(model.overlay == nil)
    _ = press(&model, .character("t"))
    #expect(model.overlay == .compare)
    _ = press(&model, .escape)
    #expect(model.overlay == nil)
  }

  @Test func qAsksWhilePagesRunAndYQuits() {
    var model = Fixtures.document()
    #expect(press(&model, .character("q")) == [])
    #expect(model.overlay == .confirm(.quit))
    _ = press(&model, .character("n"))
    #expect(model.overlay == nil && !model.quitting)
    _ = press(&model, .character("q"))
    #expect(press(&model, .character("y")) == [.cancelRuns, .quit])
    #expect(model.quitting)
  }

  @Test func qQuitsAtOnceWhenIdleAndCtrlCAlways() {
    var idle = Fixtures.document()
    idle.document?.pages[1].progress = .done
    #expect(press(&idle, .character("q")) == [.cancelRuns, .quit])
    var busy = Fixtures.document()
    #expect(press(&busy, .control("c")) == [.cancelRuns, .quit])
  }

  @Test func escGoesBackToThePickerAndEngineKeySwitches() {
    var model = Fixtures.document()
    #expect(press(&model, .character("e")) == [.switchEngine(to: .server)])
    #expect(model.engine.status == .switching(to: .server))
    #expect(press(&model, .character("e")) == [], "one switch at a time")
    _ = press(&model, .escape)
    #expect(model.screen == .picker)
    _ = press(&model, .tab)
    #expect(model.screen == .document)
  }
}

@Suite struct RunEventTests {
  @Test func eventsFillThePageAndStaleRunsAreIgnored() {
    var model = Fixtures.document()
    model.document?.pages[2].run = 2
    _ = update(&model, .run(.pageStarted(page: 3, mode: .stream), run: 1))
    #expect(model.document?.pages[2].progress == .queued)
    _ = update(&model, .run(.pageRendering(page: 3), run: 2))
    #expect(model.document?.pages[2].progress == .rendering)
    _ = update(&model, .run(.pageStarted(page: 3, mode: .stream), run: 2))
    #expect(model.document?.pages[2].progress == .waiting)
    _ = update(&model, .run(.delta(page: 3, text: "Hel"), run: 2))
    _ = update(&model, .run(.delta(page: 3, text: "lo"), run: 2))
    #expect(model.document?.pages[2].progress == .streaming)
    #expect(model.document?.pages[2].text == "Hello")
    let stats = Fixtures.stats(.stream, ttft: 0.1, e2e: 1)
    _ = update(&model, .run(.pageFinished(page: 3, text: "Hello", stats: stats), run: 2))
    #expect(model.document?.pages[2].progress == .done)
    #expect(model.document?.pages[2].measured[.stream] == stats)
  }

  @Test func aBatchPageWaitsWithoutStreaming() {
    var model = Fixtures.document()
    model.document?.pages[2].run = 1
    _ = update(&model, .run(.pageStarted(page: 3, mode: .batch), run: 1))
    #expect(model.document?.pages[2].progress == .waiting)
    _ = update(&model, .run(.delta(page: 3, text: "whole page"), run: 1))
    #expect(model.document?.pages[2].progress == .waiting)
  }

  @Test func aFailedPageKeepsItsPartialTextAndReason() {
    var model = Fixtures.document()
    _ = update(
      &model,
      .run(
        .pageFailed(page: 2, error: .server(.cutOff(detail: "reset")), partial: "half", stats: nil),
        run: 1))
    #expect(model.document?.pages[1].progress == .failed)
    #expect(model.document?.pages[1].text == "half")
    #expect(model.document?.pages[1].error?.contains("broke mid-answer") == true)
    _ = update(
      &model, .run(.pageFailed(page: 1, error: .cancelled, partial: "x", stats: nil), run: 1))
    #expect(model.document?.pages[0].progress == .cancelled)
  }

  @Test func journalPagesShowAsRestoredAndAPartialOneGivesWayToItsNewText() {
    var model = Fixtures.document()
    var stats = PageStats.unmeasured(.batch)
    stats.restored = true
    _ = update(&model, .run(.pageFinished(page: 1, text: "old", stats: stats), run: 1))
    #expect(model.document?.pages[0].progress == .done)
    #expect(model.document?.pages[0].mode == .batch)
    #expect(model.document?.pages[0].note?.contains("restored from the journal") == true)

    _ = update(&model, .run(.pagePartialRestored(page: 2, text: "half"), run: 1))
    #expect(model.document?.pages[1].text == "half")
    _ = update(&model, .run(.pageStarted(page: 2, mode: .stream), run: 1))
    #expect(model.document?.pages[1].text == "half")  // kept until new text comes
    _ = update(&model, .run(.delta(page: 2, text: "new"), run: 1))
    #expect(model.document?.pages[1].text == "new")
  }

  @Test func anEncryptedPDFAsksForItsPasswordAndTypingItOpensTheDocument() {
    var model = Fixtures.picker()
    model.opening = Model.Opening(id: 1, path: "/docs/locked.pdf")
    _ = update(&model, .documentNeedsPassword(id: 1, path: "/docs/locked.pdf", wrong: false))
    for character in "pw q" { _ = update(&model, .key(.character(character))) }
    _ = update(&model, .key(.backspace))
    guard case .password(let prompt) = model.overlay else {
      Issue.record("no password prompt")
      return
    }
    #expect(prompt.typed == "pw ")  // q is typed, not quit
    #expect(!model.quitting)
    let screen = render(model).lines().joined(separator: "\n")
    #expect(screen.contains("locked.pdf is an encrypted PDF."))
    #expect(screen.contains("password: •••"))
    #expect(!screen.contains("pw"))
    #expect(
      update(&model, .key(.enter)) == [
        .openDocument(id: 1, path: "/docs/locked.pdf", password: "pw ")
      ])
    #expect(model.overlay == nil)

    _ = update(&model, .documentNeedsPassword(id: 1, path: "/docs/locked.pdf", wrong: true))
    #expect(render(model).lines().joined().contains("Wrong password for locked.pdf — try again."))
    #expect(update(&model, .key(.escape)) == [])
    #expect(model.overlay == nil && model.opening == nil)
    #expect(model.message?.text.contains("not opened") == true)
  }

  @Test func aDocumentOpenedLateIsIgnoredWhenAnotherWasAskedFor() {
    var model = Fixtures.picker()
    model.opening = Model.Opening(id: 2, path: "/docs/b.pdf")
    #expect(update(&model, .documentOpened(id: 1, path: "/docs/a.pdf", pageCount: 2)) == [])
    #expect(model.document == nil)
    // Even the same path, asked for again: the older open is not the one waited for.
    #expect(update(&model, .documentOpened(id: 1, path: "/docs/b.pdf", pageCount: 2)) == [])
    #expect(update(&model, .documentFailed(id: 1, path: "/docs/b.pdf", message: "x")) == [])
    #expect(model.message == nil && model.opening?.id == 2)
    #expect(update(&model, .documentOpened(id: 2, path: "/docs/b.pdf", pageCount: 1)).count == 2)
    #expect(model.document?.path == "/docs/b.pdf")
    #expect(model.document?.id == 2)
  }

  @Test func openingADocumentStartsARunOfEveryPage() {
    var model = Fixtures.picker()
    model.opening = Model.Opening(id: 4, path: "/docs/paper.pdf")
    let effects = update(&model, .documentOpened(id: 4, path: "/docs/paper.pdf", pageCount: 4))
    #expect(
      effects == [
        .cancelRuns,
        .startRun(
          run: 1, document: 4, pages: [1, 2, 3, 4], mode: .stream, engine: .builtIn,
          journal: .restore),
      ])
    #expect(model.screen == .document)
    #expect(model.document?.pages.count == 4)
  }
}

@Suite struct PickerKeyTests {
  @Test func directoriesComeFirstAndHiddenOrUnsupportedFilesAreToggled() {
    var model = Fixtures.picker()
    #expect(
      model.picker.visible.map(\.name) == ["..", "reports", "scan.png", "paper.pdf", "locked.pdf"])
    _ = update(&model, .key(.character(".")))
    #expect(model.picker.visible.map(\.name).contains(".hidden.pdf"))
    _ = update(&model, .key(.character("a")))
    #expect(model.picker.visible.map(\.name).contains("notes.txt"))
  }

  @Test func slashFiltersAsYouType() {
    var model = Fixtures.picker()
    _ = update(&model, .key(.character("/")))
    for character in "pap" { _ = update(&model, .key(.character(character))) }
    // `..` is no match: the only match is selected, and Enter opens it.
    #expect(model.picker.visible.map(\.name) == ["paper.pdf"])
    #expect(model.picker.selected?.name == "paper.pdf")
    _ = update(&model, .key(.backspace))
    #expect(model.picker.filter == "pa")
    _ = update(&model, .key(.escape))
    #expect(model.picker.filter == "" && !model.picker.isFiltering)
  }

  @Test func enterOpensDocumentsAndDirectoriesAndBackspaceGoesUp() {
    var model = Fixtures.picker()
    _ = update(&model, .key(.down))  // reports
    #expect(update(&model, .key(.enter)) == [.listDirectory("/docs/reports")])
    #expect(model.picker.directory == "/docs/reports")
    #expect(update(&model, .key(.backspace)) == [.listDirectory("/docs")])
    #expect(model.picker.directory == "/docs")
  }

  @Test func goingUpLandsOnTheDirectoryJustLeftAndCursorsAreRemembered() {
    var model = Fixtures.picker()
    _ = update(&model, .key(.character("j")))
    _ = update(&model, .key(.enter))  // into /docs/reports
    #expect(update(&model, .key(.backspace)) == [.listDirectory("/docs")])
    _ = update(&model, .directoryListed(path: "/docs", entries: Fixtures.picker().picker.entries))
    #expect(model.picker.selected?.name == "reports")
  }

  @Test func openingADocumentAsksTheRuntimeToOpenIt() {
    var model = Fixtures.picker()
    for _ in 0..<3 { _ = update(&model, .key(.character("j"))) }
    #expect(model.picker.selected?.name == "paper.pdf")
    #expect(
      update(&model, .key(.character("l"))) == [.openDocument(id: 1, path: "/docs/paper.pdf")])
    #expect(model.opening == Model.Opening(id: 1, path: "/docs/paper.pdf"))
  }

  @Test func unreadableEntriesSayWhy() {
    var model = Fixtures.picker()
    _ = update(&model, .key(.character("G")))
    #expect(update(&model, .key(.enter)) == [])
    #expect(model.message == Model.Message("locked.pdf: permission denied", isError: true))
  }

  @Test func parentPaths() {
    #expect(parent(of: "/a/b") == "/a")
    #expect(parent(of: "/a") == "/")
    #expect(parent(of: "/") == "/")
    #expect(join("/", "x") == "/x")
  }
}

@Suite struct PageWarningTests {
  @Test func aPageCutAtTheTokenLimitOrRetriedSaysSoInItsTitle() {
    var model = Fixtures.document()
    var stats = Fixtures.stats(.stream, ttft: 0.1, e2e: 1)
    stats.finishReason = "length"
    _ = update(
      &model,
      .run(
        .pageRetrying(page: 2, attempt: 1, error: .server(.incomplete), after: .milliseconds(500)),
        run: 1))
    #expect(model.document?.pages[1].note?.hasPrefix("retry 1 in 500 ms") == true)
    #expect(model.document?.pages[1].progress == .waiting)
    _ = update(&model, .run(.pageFinished(page: 2, text: "t", stats: stats), run: 1))
    #expect(model.document?.pages[1].note?.contains("token limit") == true)
    model.document?.selected = 2
    #expect(render(model).lines().contains { $0.contains("⚠ the model stopped at the token") })
  }
}

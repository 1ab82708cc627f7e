import OCRKit
import Testing

@testable import OCRViewUI

/// The viewer's core flow as values: start-up while the engine is probed, the picker's filter,
/// scrolling over everything the text pane draws, and what quitting counts.
@Suite struct CoreFlowTests {
  @Test func startAsksForTheEngineTheListingAndTheFileAtOnce() {
    var model = Model(size: Size(width: 80, height: 24), directory: "/docs")
    #expect(
      start(&model, opening: "/docs/a.pdf") == [
        .selectEngine, .listDirectory("/docs"), .openDocument(id: 1, path: "/docs/a.pdf"),
      ])
    #expect(model.engine.status == .probing)
    #expect(render(model).lines()[0].contains("probing…"))
  }

  @Test func aDocumentOpenedWhileProbingRunsOnceTheEngineIsKnown() {
    var model = Model(size: Size(width: 80, height: 24), directory: "/docs")
    _ = start(&model, opening: "/docs/a.pdf")
    #expect(
      update(&model, .documentOpened(id: 1, path: "/docs/a.pdf", pageCount: 2)) == [.cancelRuns])
    #expect(model.screen == .document)
    #expect(model.document?.pages.map(\.progress) == [.queued, .queued])
    // Keys work meanwhile; q quits at once (nothing is in flight).
    #expect(update(&model, .key(.character("j"))) == [])
    #expect(
      update(&model, .engineSelected(Fixtures.builtIn)) == [
        .startRun(
          run: 1, document: 1, pages: [1, 2], mode: .stream, engine: .builtIn, journal: .restore)
      ])
    #expect(model.document?.pendingRun == nil)
    #expect(render(model).lines()[0].contains("no server at http://127.0.0.1:8080"))
  }

  @Test func qQuitsAtOnceWhileProbing() {
    var model = Model(size: Size(width: 80, height: 24), directory: "/docs")
    _ = start(&model, opening: "/docs/a.pdf")
    _ = update(&model, .documentOpened(id: 1, path: "/docs/a.pdf", pageCount: 2))
    #expect(update(&model, .key(.character("q"))) == [.cancelRuns, .quit])
  }

  @Test func noEngineFailsTheWaitingPagesWithTheReason() {
    var model = Model(size: Size(width: 80, height: 24), directory: "/docs")
    _ = start(&model, opening: "/docs/a.pdf")
    _ = update(&model, .documentOpened(id: 1, path: "/docs/a.pdf", pageCount: 2))
    #expect(update(&model, .engineFailed(message: "tesseract has no data for 'xyz'")) == [])
    #expect(model.document?.pages.map(\.progress) == [.failed, .failed])
    #expect(model.document?.pages[0].error?.contains("tesseract has no data for 'xyz'") == true)
    #expect(model.document?.readingSince == nil, "the reading clock stopped")
    let header = render(model).lines()[0]
    #expect(header.contains("no engine: tesseract has no data"))
    // e tries the servers instead.
    #expect(update(&model, .key(.character("e"))) == [.switchEngine(to: .server)])
  }

  @Test func aFailedSwitchKeepsTheEngineInUse() {
    var model = Fixtures.document()
    _ = update(&model, .key(.character("e")))
    _ = update(&model, .key(.character("r")))  // waits for the switch
    #expect(update(&model, .engineFailed(message: "no server")).count == 1)
    #expect(model.engine.status == .ready && model.engine.info == Fixtures.builtIn)
    #expect(model.message == Model.Message("no server", isError: true))
  }

  /// Servers loading their models at start are waited for before the engine is chosen: the
  /// header says what it waits for instead of "probing…", until the engine is ready.
  @Test func whileTheServerLoadsItsModelTheHeaderSaysWhatIsWaitedFor() {
    var model = Fixtures.document(size: Size(width: 120, height: 24))
    model.engine = EngineState()
    #expect(render(model).lines()[0].contains("probing…"))
    #expect(update(&model, .serverLoading(url: "http://gpu:8080")).isEmpty)
    #expect(render(model).lines()[0].contains("waiting for the model to load at http://gpu:8080…"))
    let info = EngineInfo(kind: .server, label: "server http://gpu:8080", reason: "up")
    _ = update(&model, .engineSelected(info))
    #expect(model.engine.loadingServer == nil)
    #expect(render(model).lines()[0].contains("server http://gpu:8080"))
    #expect(!render(model).lines()[0].contains("waiting for"))
  }

  @Test func theHeaderSaysALoadingServerAndUncheckedCertificatesFromValues() {
    var model = Fixtures.document(size: Size(width: 120, height: 24))
    model.engine.info = EngineInfo(
      kind: .server, label: "server https://gpu:8080", reason: "server is up", insecure: true)
    #expect(render(model).lines()[0].contains("server https://gpu:8080 · TLS NOT VERIFIED"))
    model.engine.info = EngineInfo(
      kind: .server, label: "server http://gpu:8080",
      reason: "server http://gpu:8080 (still loading its model)", serverLoading: true)
    #expect(render(model).lines()[0].contains("(still loading its model)"))
    model.engine.info = EngineInfo(
      kind: .server, label: "server http://gpu:8080", reason: "up",
      profile: "LightOnOCR-3-4B · 2048 px · grounding", maxSide: 2048)
    #expect(render(model).lines()[0].contains("server http://gpu:8080 · LightOnOCR-3-4B · 2048 px"))
  }

  @Test func filterEnterOpensTheOnlyMatch() {
    var model = Fixtures.picker()
    _ = update(&model, .key(.character("/")))
    for character in "paper" { _ = update(&model, .key(.character(character))) }
    #expect(update(&model, .key(.enter)) == [.openDocument(id: 1, path: "/docs/paper.pdf")])
  }

  @Test func backspaceOnAnEmptyFilterAndEscBringBackDotDot() {
    var model = Fixtures.picker()
    _ = update(&model, .key(.character("/")))
    _ = update(&model, .key(.character("s")))
    #expect(!model.picker.visible.contains { $0.name == ".." })
    _ = update(&model, .key(.backspace))
    _ = update(&model, .key(.backspace))
    #expect(!model.picker.isFiltering && model.picker.visible.first?.name == "..")
  }

  @Test func togglesKeepTheSelectionOnAVisibleEntry() {
    var model = Fixtures.picker()
    _ = update(&model, .key(.character("G")))
    #expect(model.picker.selected?.name == "locked.pdf")
    _ = update(&model, .key(.character(".")))
    #expect(model.picker.selected?.name == "locked.pdf")
    _ = update(&model, .key(.character("a")))
    #expect(model.picker.selected?.name == "locked.pdf")
    // Hiding the selected entry moves to a visible one, never past the end.
    var hidden = Fixtures.picker()
    _ = update(&hidden, .key(.character(".")))
    _ = update(&hidden, .key(.character("G")))
    #expect(hidden.picker.selected?.name == "locked.pdf")
    _ = update(&hidden, .key(.character(".")))
    #expect(hidden.picker.selected != nil)
  }

  @Test func scrollingReachesTheLastErrorLineAndKAfterGMovesOne() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.document?.pages[0].text = (1...30).map { "line \($0)" }.joined(separator: "\n")
    model.document?.pages[0].progress = .failed
    model.document?.pages[0].error = "the server closed the stream early"
    model.focus = .text
    _ = update(&model, .key(.character("G")))
    var screen = render(model).lines()
    let rows = Layout(model.size).textRows
    let errorRow = screen.lastIndex { $0.contains("✗ the server closed the") }
    #expect(errorRow != nil, "\(screen.joined(separator: "\n"))")
    _ = update(&model, .key(.character("k")))
    let lines = paneLines(model.document!.pages[0], model.paneFormat)
    #expect(model.document?.scroll == lines.count - rows - 1)
    screen = render(model).lines()
    #expect(screen.contains { $0.contains("line 30") })
    // j to the end draws the error's last line again.
    for _ in 0..<5 { _ = update(&model, .key(.character("j"))) }
    #expect(model.document?.scroll == lines.count - rows)
    #expect(render(model).lines().contains { $0.contains("stream early") })
  }

  @Test func quitCountsOnlyPagesInFlight() {
    var model = Fixtures.document()
    model.document?.pages[1].progress = .done
    model.document?.pages[2].progress = .rendering  // rendered ahead, not sent
    #expect(update(&model, .key(.character("q"))) == [.cancelRuns, .quit])
    var busy = Fixtures.document()
    busy.document?.pages[2].progress = .rendering
    _ = update(&busy, .key(.character("q")))
    #expect(render(busy).lines().contains { $0.contains("1 page is still running.") })
  }
}

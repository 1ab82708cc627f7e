import Foundation
import OCRKit
import OCRKitDoubles
import OCRTestSupport
import OCRViewUI
import Testing

@testable import ocrview

/// The viewer's runtime driven by events, without a terminal: the real `Runtime` performing
/// `update`'s effects with engines, documents and files the tests control.
@Suite struct RuntimeTests {
  /// A scratch folder with PDFs of the given page counts, named a.pdf, b.pdf, …
  static func pdfs(_ pageCounts: Int...) -> [String] {
    let folder = CLI.scratchDirectory()
    return pageCounts.enumerated().map { index, pages in
      let path = folder + "/\(Character(UnicodeScalar(UInt8(97 + index)))).pdf"
      SyntheticPDF.write(pages: pages, to: path)
      return path
    }
  }

  static func selection(_ engine: ScriptedEngine, concurrency: Int = 1) -> EngineSelection {
    EngineSelection(
      engine: engine, concurrency: .fixed(concurrency), reason: "\(engine.label) chosen")
  }

  @Test func startUpWithASlowProbeDrawsAndTakesKeysWhileTheDocumentWaits() async throws {
    let path = Self.pdfs(2)[0]
    let probe = FakeGate()
    let engine = ScriptedEngine.held("tesseract", kind: .builtIn, releasedAll: true)
    let app = RuntimeHarness(
      services: TestServices.make(select: {
        await probe.wait()
        return Self.selection(engine)
      }))
    app.start(opening: path)  // returns at once: nothing here waits for the probe
    #expect(app.model.engine.status == .probing)
    #expect(render(app.model).lines()[0].contains("probing…"))
    #expect(await app.until { $0.document != nil })
    #expect(app.pages == ["1:queued:-", "2:queued:-"])
    app.press(.character("j"))
    #expect(app.model.document?.selected == 2)
    #expect(engine.calls.isEmpty)

    probe.open()
    #expect(await app.until { $0.document?.doneCount == 2 })
    #expect(engine.calls == ["1:stream", "2:stream"])
    #expect(render(app.model).lines()[0].contains("tesseract chosen"))
  }

  @Test func theSelectionsImageSizeReachesTheHeaderAndThePagePane() async throws {
    let engine = ScriptedEngine.held("server", kind: .server, releasedAll: true)
    let app = RuntimeHarness(
      services: TestServices.make(select: {
        EngineSelection(engine: engine, concurrency: .fixed(1), reason: "server", maxSide: 2048)
      }))
    app.start(opening: Self.pdfs(1)[0])
    #expect(await app.until { $0.document?.doneCount == 1 })
    #expect(app.model.engine.info?.maxSide == 2048)
    app.model.view = .pageAndText
    #expect(app.model.pageImageKey?.maxSide == 2048)
  }

  @Test func qQuitsAtOnceWhileTheServersAreProbed() async throws {
    let app = RuntimeHarness(
      services: TestServices.make(select: {
        try await Task.sleep(for: .seconds(3600))
        throw TestFailure("never")
      }))
    app.start(opening: Self.pdfs(1)[0])
    app.press(.character("q"))
    #expect(app.model.quitting)
    #expect(app.performed.suffix(2) == [.cancelRuns, .quit])
  }

  @Test func anEngineThatCannotStartFailsThePagesWithItsReason() async throws {
    let app = RuntimeHarness(
      services: TestServices.make(select: {
        throw TessDataProblem()
      }))
    app.start(opening: Self.pdfs(2)[0])
    #expect(await app.until { $0.document?.pages.allSatisfy { $0.progress == .failed } == true })
    #expect(app.model.document?.pages[0].error?.contains("no tesseract data here") == true)
  }

  struct TessDataProblem: Error, CustomStringConvertible {
    var description: String { "no tesseract data here" }
  }

  @Test func openingAThenBQuicklyShowsBAndRunsOnlyB() async throws {
    let paths = Self.pdfs(2, 3)
    let slowA = FakeGate()
    let engine = ScriptedEngine.held("tesseract", kind: .builtIn, releasedAll: true)
    let app = RuntimeHarness(
      services: TestServices.make(
        select: { Self.selection(engine) },
        open: { path in
          if path.hasSuffix("a.pdf") { await slowA.wait() }
          return try await OpenedDocument.open(path: path, password: nil)
        },
        list: { _ in
          [
            PickerEntry(name: "a.pdf", kind: .document(.pdf, pageCount: 2)),
            PickerEntry(name: "b.pdf", kind: .document(.pdf, pageCount: 3)),
          ]
        }),
      directory: (paths[0] as NSString).deletingLastPathComponent)
    app.start()
    #expect(await app.until { $0.engine.isReady && !$0.picker.entries.isEmpty })
    app.press(.enter)  // a.pdf, slow
    app.press(.character("j"), .enter)  // b.pdf
    #expect(await app.until { $0.document?.doneCount == 3 })
    slowA.open()
    // A's late open is ignored: B stays, and nothing of A is read.
    try await Task.sleep(for: .milliseconds(200))
    _ = await app.until(timeout: .milliseconds(100)) { _ in false }
    #expect(app.model.document?.path.hasSuffix("b.pdf") == true)
    #expect(engine.calls == ["1:stream", "2:stream", "3:stream"])
  }

  @Test func mSwitchesPagesNotYetSentBackAndForthInOneRun() async throws {
    let engine = ScriptedEngine.held("server", kind: .server)
    let app = RuntimeHarness(services: TestServices.make(select: { Self.selection(engine) }))
    app.start(opening: Self.pdfs(6)[0])
    #expect(await app.until { $0.document?.pages[0].progress == .waiting })
    app.press(.character("m"))  // page 1 is in flight; page 2 waits rendered
    engine.release(1, 2)
    #expect(await app.until { $0.document?.pages[2].progress == .waiting })
    app.press(.character("m"))  // back to stream from page 4 on
    engine.releaseAll()
    #expect(await app.until { $0.document?.doneCount == 6 })
    #expect(
      engine.calls == ["1:stream", "2:batch", "3:batch", "4:stream", "5:stream", "6:stream"])
    #expect(
      app.pages.map { $0.split(separator: ":").last! } == [
        "stream", "batch", "batch", "stream", "stream", "stream",
      ])
    // One run did it all: m starts nothing.
    #expect(app.performed.filter { if case .startRun = $0 { true } else { false } }.count == 1)
  }

  @Test func eSwitchesEnginesBothWaysMakingEachOnce() async throws {
    let builtIn = ScriptedEngine.held("tesseract", kind: .builtIn, releasedAll: true)
    let server = ScriptedEngine.held("server", kind: .server, releasedAll: true)
    let made = Counter()
    let app = RuntimeHarness(
      services: TestServices.make(
        select: { Self.selection(builtIn) },
        make: { kind in
          made.add()
          return Self.selection(kind == .server ? server : builtIn)
        }))
    app.start(opening: Self.pdfs(1)[0])
    #expect(await app.until { $0.document?.doneCount == 1 })
    app.press(.character("e"))
    #expect(await app.until { $0.engine.info?.kind == .server })
    app.press(.character("r"))
    #expect(await app.until { $0.document?.pages[0].progress == .done && server.calls.count == 1 })
    app.press(.character("e"))
    #expect(await app.until { $0.engine.info?.kind == .builtIn })
    app.press(.character("r"))
    #expect(await app.until { builtIn.calls.count == 2 && $0.document?.doneCount == 1 })
    #expect(made.value == 1, "the built-in engine is kept, not made again")
  }

  @Test func rDuringAnotherOpenReadsThePageOfTheDocumentShown() async throws {
    let paths = Self.pdfs(2, 1)
    let slowB = FakeGate()
    let engine = ScriptedEngine.held("tesseract", kind: .builtIn)
    let app = RuntimeHarness(
      services: TestServices.make(
        select: { Self.selection(engine) },
        open: { path in
          if path.hasSuffix("b.pdf") { await slowB.wait() }
          return try await OpenedDocument.open(path: path, password: nil)
        },
        list: { _ in [PickerEntry(name: "b.pdf", kind: .document(.pdf, pageCount: 1))] }),
      directory: (paths[0] as NSString).deletingLastPathComponent)
    app.start(opening: paths[0])
    #expect(await app.until { $0.document?.pages[0].progress == .waiting })
    app.press(.escape, .enter, .character("y"))  // open b.pdf (slow; a.pdf still reads: asked)
    app.press(.tab)  // back to a.pdf while b opens
    engine.release(1)
    #expect(await app.until { $0.document?.pages[0].progress == .done })
    app.press(.character("r"))
    #expect(await app.until { _ in engine.calls.count == 3 })  // 1, 2, and 1 again
    engine.releaseAll()
    #expect(await app.until { $0.document?.doneCount == 2 })
    slowB.open()
    #expect(await app.until { $0.document?.path.hasSuffix("b.pdf") == true })
    #expect(await app.until { $0.document?.doneCount == 1 })
    #expect(app.pages == ["1:done:stream"])
  }

  @Test func cancelStopsThePagesInFlightAndTheRest() async throws {
    let engine = ScriptedEngine.held("server", kind: .server)
    let app = RuntimeHarness(
      services: TestServices.make(select: { Self.selection(engine, concurrency: 2) }))
    app.start(opening: Self.pdfs(4)[0])
    #expect(await app.until { $0.document?.inFlightCount == 2 })
    app.press(.character("c"))
    #expect(await app.until { $0.document?.runningCount == 0 && $0.document?.readingSince == nil })
    #expect(app.pages.allSatisfy { $0.contains(":cancelled:") })
    #expect(engine.cancelled == 2)
    #expect(engine.calls.count == 2)
  }

  @Test func aFailedSaveIsOneErrorLineAndTheViewerGoesOn() async throws {
    let engine = ScriptedEngine.held("tesseract", kind: .builtIn, releasedAll: true)
    let app = RuntimeHarness(
      services: TestServices.make(
        select: { Self.selection(engine) },
        save: { _, _ in throw CocoaError(.fileWriteOutOfSpace) }))
    app.start(opening: Self.pdfs(1)[0])
    #expect(await app.until { $0.document?.doneCount == 1 })
    app.press(.character("s"))
    #expect(await app.until { $0.message?.isError == true })
    #expect(app.model.message?.text.hasPrefix("could not save the transcript:") == true)
    #expect(!app.model.quitting)
    app.press(.character("j"))
    #expect(app.model.message == nil)
  }

  /// `P`: the pages read go into `NAME.ocr.pdf` as its text layer, read back by poppler; a
  /// second `P` never replaces the first file.
  @Test func pSavesASearchablePDFBesideTheDocumentNeverOverwriting() async throws {
    let folder = CLI.scratchDirectory()
    let born = folder + "/born.pdf"
    SyntheticPDF.write(pages: 2, to: born, linesPerPage: 12)
    let path = folder + "/scan.pdf"
    RasterizedPDF.write(born, to: path)
    let engine = ScriptedEngine { page in
      .text([(["Page \(page)"] + SyntheticPDF.lines(page: page, count: 12)).joined(separator: "\n")]
      )
    }
    let app = RuntimeHarness(
      services: TestServices.make(
        select: { Self.selection(engine) },
        saveSearchablePDF: { pages, document in
          try SearchablePDFFile.save(pages, of: document, in: nil)
        }))
    app.start(opening: path)
    #expect(await app.until { $0.document?.doneCount == 2 })
    app.press(.character("P"))
    #expect(app.model.message?.text.hasPrefix("making the searchable PDF") == true)
    #expect(await app.until { $0.message?.text.hasPrefix("searchable PDF saved") == true })
    #expect(app.model.message?.text == "searchable PDF saved: \(folder)/scan.ocr.pdf")
    let text = try await Command.run(["pdftotext", folder + "/scan.ocr.pdf", "-"]).stdout
    #expect(text.contains("2.12 The quick brown fox jumps over the lazy dog;"), "\(text)")
    #expect(text.components(separatedBy: "lazy dog").count - 1 == 24)
    app.press(.character("P"))
    #expect(await app.until { $0.message?.text.contains("scan.ocr-2.pdf") == true })
  }

  @Test func vDrawsThePageOffTheUIThreadAndZoomDrawsItAgain() async throws {
    let engine = ScriptedEngine.held("tesseract", kind: .builtIn, releasedAll: true)
    let app = RuntimeHarness(services: TestServices.make(select: { Self.selection(engine) }))
    let path = CLI.scratchDirectory() + "/square.pdf"
    SyntheticPDF.write(pages: 1, to: path, linesPerPage: 20, redSquare: true)
    app.model.colors = 256
    app.start(opening: path)
    #expect(await app.until { $0.document?.doneCount == 1 })
    app.send(.resize(Size(width: 120, height: 40)))
    app.send(.key(.character("v")))
    #expect(app.performed.contains { if case .drawPageImage = $0 { true } else { false } })
    func image(_ model: Model) -> ImageCells? {
      guard let key = model.pageImageKey, case .cells(let cells)? = model.pagePane.images[key]
      else { return nil }
      return cells
    }
    #expect(await app.until { image($0) != nil })
    let whole = try #require(image(app.model))
    // A letter page in cells twice as tall as wide: as wide as the pane, 1.29 × 46 / 2 tall.
    let area = Layout(app.model.size, view: .pageAndText).imageArea
    #expect(whole.columns == area.width && whole.rows == 30 && area.height >= 30)
    // The red square shows in red-ish palette entries; the text lines in dark symbols.
    #expect(
      whole.cells.contains {
        [.indexed(196), .indexed(160), .red].contains($0.background)
          || [.indexed(196), .indexed(160), .red].contains($0.foreground)
      }, "\(Set(whole.cells.map(\.background)))")
    #expect(whole.cells.contains { $0.symbol != " " })
    app.press(.character("+"))
    #expect(await app.until { image($0) != nil })
    #expect(try #require(image(app.model)) != whole)
  }

  @Test func aOneByTwentyThousandPixelPageIsDrawnAsASliver() async throws {
    let path = CLI.scratchDirectory() + "/sliver.pgm"
    let header = Array("P5\n1 20000\n255\n".utf8)
    let pixels = (0..<20000).map { UInt8($0 % 2 == 0 ? 0 : 255) }
    FileManager.default.createFile(atPath: path, contents: Data(header + pixels))
    let engine = ScriptedEngine.held("tesseract", kind: .builtIn, releasedAll: true)
    let app = RuntimeHarness(services: TestServices.make(select: { Self.selection(engine) }))
    app.model.colors = 256
    app.start(opening: path)
    #expect(await app.until { $0.document?.doneCount == 1 })
    app.press(.character("v"), .character("v"))  // the page alone, across the whole width
    #expect(
      await app.until { model in
        model.pageImageKey.map { model.pagePane.images[$0] != nil } ?? false
      })
    let key = try #require(app.model.pageImageKey)
    guard case .cells(let cells)? = app.model.pagePane.images[key] else {
      Issue.record("no image: \(String(describing: app.model.pagePane.images[key]))")
      return
    }
    #expect(cells.columns == 1 && cells.rows == key.rows)
    #expect(render(app.model).lines().count == app.model.size.height)
  }

  /// The live selection against a llama-server loading its model: the viewer is told what
  /// it waits for, and the engine comes with the model's settings once it has loaded.
  @Test func aServerLoadingItsModelIsSaidThenWaitedFor() async throws {
    let model = FakeModel(id: "lightonai/LightOnOCR-3-0.8B")
    let server = try FakeOCRServer(health: .loading, model: model) { _ in
      .chatStream(deltas: ["x"])
    }
    var setup = EngineSetup(servers: [try #require(ServerEndpoint(server.baseURL))], workers: 1)
    // The server for sure: `auto`'s 5 s health probe can miss a fake on a loaded machine.
    setup.choice = .server
    let services = RuntimeServices.live(
      setup: setup, password: nil, outDirectory: nil,
      environment: ["XDG_STATE_HOME": CLI.scratchDirectory()])
    let said = Locked([String]())
    let selection = try await services.selectEngine { url in
      said.withLock { $0.append(url) }
      server.setHealth(.ok)  // loaded as soon as the viewer has said it waits
    }
    #expect(said.withLock { $0 } == [server.baseURL])
    #expect(selection.profile?.model.maxSide == 2048 && selection.maxSide == 2048)
    #expect(!selection.serverLoading)
    await selection.engine.shutdown()
  }
}

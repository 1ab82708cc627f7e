import OCRKit
import Testing

@testable import OCRViewUI

@Suite struct RenderTests {
  @Test func belowTheMinimumSizeSaysTheTerminalIsTooSmall() {
    var model = Fixtures.document(size: Size(width: 50, height: 10))
    model.overlay = .help
    let lines = render(model).lines()
    #expect(lines.count == 10)
    #expect(lines.contains { $0.contains("terminal too small") })
    #expect(lines.contains { $0.contains("50×10, need 60×15") })
  }

  @Test func theDocumentScreenAt60x15() {
    let lines = render(Fixtures.document(size: Size(width: 60, height: 15))).lines()
    let expected = [
      " ocrview sample.pdf — 3 pages  no server at http:…   STREAM ",
      " pg  mode   TTFT      E2E   │ Page 1 — done (stream)        ",
      "✓  1 stream 420 ms    3.20 s│ # Title                       ",
      "▸  2 stream 0.40s     2.00s…│                               ",
      "·  3                        │ First page text.              ",
      "                            │                               ",
    ]
    for (index, line) in expected.enumerated() { #expect(lines[index] == line, "row \(index)") }
    #expect(lines[13] == " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s …")
    #expect(lines[14].hasPrefix("m:mode v:page"))
    #expect(lines.allSatisfy { DisplayWidth.of($0) == 60 })
  }

  /// `--rescue`: page 1 finished on its second read, page 3 is being read a second time after
  /// a loop. The list says which read, the pane and the stats bar say why.
  @Test func aRescuedPageSaysWhichReadAndWhy() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    let loop = PageAttempt(reason: .loop, temperature: 0.2, characters: 900, outputTokens: 300)
    var stats = Fixtures.stats(.stream, ttft: 0.42, e2e: 3.2)
    stats.attempts = [
      loop, PageAttempt(reason: nil, temperature: 0.3, characters: 24, outputTokens: 9),
    ]
    _ = update(
      &model,
      .run(.pageFinished(page: 1, text: "# Title\n\nFirst page text.", stats: stats), run: 1))
    _ = update(&model, .run(.pageRendering(page: 3), run: 1))
    _ = update(&model, .run(.pageStarted(page: 3, mode: .stream), run: 1))
    _ = update(&model, .run(.delta(page: 3, text: "| a |\n"), run: 1))
    _ = update(
      &model,
      .run(.pageRescuing(page: 3, attempt: loop, text: "| a |\n", nextTemperature: 0.3), run: 1))
    _ = update(&model, .run(.pageStarted(page: 3, mode: .stream), run: 1))
    let expected = [
      " ocrview sample.pdf — 3 pages  no server at http:…   STREAM ",
      " pg  mode   TTFT      E2E   │ Page 1 — done (stream)        ",
      // Read twice: worth a look (the verdict's mark); the note below the text says why.
      "~  1 2nd    420 ms    3.20 s│ # Title                       ",
      "▸  2 stream 0.40s     2.00s…│                               ",
      "…  3 stream 2nd try   0 ms… │ First page text.              ",
      "                            │                               ",
      "                            │ ⚠ 2nd try (loop at 0.2)       ",
    ]
    let lines = render(model).lines()
    for (index, line) in expected.enumerated() { #expect(lines[index] == line, "row \(index)") }
    // The read's text stays on screen until the new read's arrives; the title says why.
    model.document?.selected = 3
    let third = render(model).lines()
    #expect(third[1] == " pg  mode   TTFT      E2E   │ Page 3 — waiting (stream) — … ")
    #expect(third[2].hasSuffix("│ | a |                         "))
    #expect(model.document?.pages[2].note == "loop at 0.2 — reading it again at 0.3")
    // Where the stats bar has room, it says it too.
    model.size = Size(width: 100, height: 15)
    model.document?.selected = 1
    #expect(
      render(model).lines()[13]
        == " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s │ 2nd try (loop at 0.2) │ 1/3 done …     "
    )
  }

  @Test func koreanStreamingTextWrapsByDisplayWidthWithACursorMark() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.document?.selected = 2
    let canvas = render(model)
    let layout = Layout(model.size)
    let pane = canvas.lines().map { String($0.dropFirst(layout.textPane.x - 0)) }
    let text = pane[2...6].joined()
    #expect(text.contains("스트리밍"))
    #expect(text.contains("▌"))
    // No row holds half a character: every cell is a whole character or a continuation.
    for y in 0..<canvas.height {
      for x in 0..<canvas.width where canvas[x, y].grapheme.isEmpty {
        #expect(x > 0 && DisplayWidth.of(canvas[x - 1, y].grapheme) == 2)
      }
    }
  }

  @Test func aWideCharacterOneColumnTooWideForThePaneWrapsWhole() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    let columns = Layout(model.size).textColumns
    // One column short of fitting the last Hangul syllable.
    let text = String(repeating: "a", count: columns - 1) + "한"
    model.document?.pages[0].text = text
    let lines = render(model).lines()
    let paneX = Layout(model.size).textPane.x
    #expect(lines[2].dropFirst(paneX).hasPrefix(String(repeating: "a", count: columns - 1)))
    #expect(lines[3].dropFirst(paneX).hasPrefix("한"))
  }

  @Test func batchModeSaysItWaitsForTheWholePageWithATimer() {
    var model = Fixtures.document()
    model.document?.selected = 3
    model.document?.pages[2].progress = .waiting
    model.document?.pages[2].mode = .batch
    model.document?.pages[2].sentAt = Fixtures.start + .seconds(3)
    let screen = render(model).lines().joined(separator: "\n")
    #expect(screen.contains("waiting for the whole page… 2.00 s"))
    #expect(screen.contains("waiting 2.00 s"))
  }

  @Test func theHelpOverlayListsEveryKey() {
    var model = Fixtures.document()
    _ = update(&model, .key(.character("?")))
    // Moving down a line at a time, every line of the key table comes into view.
    var seen = Set<String>()
    for _ in 0..<KeyTable.helpLines.count {
      for line in render(model).lines() { seen.insert(line) }
      _ = update(&model, .key(.character("j")))
    }
    #expect(model.overlay == .help)
    for line in KeyTable.helpLines where !line.isEmpty {
      #expect(seen.contains { $0.contains(line) }, "help shows \(line)")
    }
    for key in [
      "Tab Shift-Tab", "j k", "PgUp PgDn", "Esc", "m ", "r  R", "c ", "s ", "e ", "v ", "+ = -",
      "M ", "n N", "y  Y", "[ ]", "B ", "Home End", "Backspace", "q  Ctrl-C",
    ] {
      #expect(seen.contains { $0.contains(key) }, "help mentions \(key)")
    }
  }

  @Test func theCompareViewShowsBothModesSideBySide() {
    var document = Fixtures.document().document!
    document.pages[0].measured[.batch] = Fixtures.stats(.batch, ttft: 3.1, e2e: 3.1)
    document.pages[1].measured[.stream] = Fixtures.stats(.stream, ttft: 0.3, e2e: 2.5)
    document.pages[1].measured[.batch] = Fixtures.stats(.batch, ttft: 2.6, e2e: 2.6)
    document.pages[2].measured[.stream] = Fixtures.stats(.stream, ttft: 0.5, e2e: 9.0)
    #expect(
      compareLines(document) == [
        "Stream vs. batch", "",
        "page   stream TTFT   stream E2E   batch TTFT   batch E2E",
        "1      420 ms        3.20 s       3.10 s       3.10 s",
        "2      300 ms        2.50 s       2.60 s       2.60 s",
        "median 360 ms        2.85 s       2.85 s       2.85 s",
        "",
        "stream 3 pages   median TTFT 420 ms   median E2E 3.20 s",
        "batch  2 pages   median TTFT 2.85 s   median E2E 2.85 s",
        "", "first text comes 6.8× sooner in stream mode", "", "any key closes this",
      ])
  }

  /// A run that switched modes half-way (`m`) once said only "no page measured in both modes":
  /// each mode's medians over the pages it read are the comparison it has.
  @Test func aRunThatMixedModesComparesEachModesMedians() {
    var document = Fixtures.document().document!
    document.pages[1].measured[.batch] = Fixtures.stats(.batch, ttft: 4.0, e2e: 4.0)
    document.pages[2].measured[.batch] = Fixtures.stats(.batch, ttft: 6.0, e2e: 6.0)
    #expect(
      compareLines(document) == [
        "Stream vs. batch", "",
        "page   stream TTFT   stream E2E   batch TTFT   batch E2E",
        "(no page measured in both modes yet: m, then r re-reads one)",
        "",
        "stream 1 page    median TTFT 420 ms   median E2E 3.20 s",
        "batch  2 pages   median TTFT 5.00 s   median E2E 5.00 s",
        "", "first text comes 11.9× sooner in stream mode", "", "any key closes this",
      ])
  }

  @Test func thePickerListsDirectoriesFirstWithSizesAndPageCounts() {
    let lines = render(Fixtures.picker()).lines()
    #expect(lines[0].contains("open a file — /docs"))
    #expect(lines[1].hasPrefix(" ../"))
    #expect(lines[2].hasPrefix(" reports/"))
    #expect(lines[3].hasPrefix(" scan.png") && lines[3].contains("292 KB · 1 page"))
    #expect(lines[4].contains("paper.pdf") && lines[4].contains("1.4 MB · 12 pages"))
    #expect(lines[5].contains("locked.pdf") && lines[5].contains("permission denied"))
    #expect(!lines.joined().contains("notes.txt"))
  }

  @Test func monochromeUsesNoColours() {
    var model = Fixtures.document()
    model.monochrome = true
    let canvas = render(model)
    for y in 0..<canvas.height {
      for x in 0..<canvas.width {
        #expect(
          canvas[x, y].style.foreground == .default && canvas[x, y].style.background == .default)
      }
    }
  }

  @Test func worksAt250x70() {
    let lines = render(Fixtures.document(size: Size(width: 250, height: 70))).lines()
    #expect(lines.count == 70)
    #expect(lines[68].contains("page 1/3"))
    #expect(lines[68].contains("1/3 done, first text 450 ms, 5.00 s"))
    #expect(
      lines[0].hasSuffix("no server at http://127.0.0.1:8080 — using built-in Tesseract   STREAM "))
  }
}

@Suite struct MoreRenderTests {
  @Test func aFailedPageShowsItsPartialTextAndTheReasonInRed() {
    var model = Fixtures.document()
    model.document?.selected = 2
    model.document?.pages[1].progress = .failed
    model.document?.pages[1].error = "the connection to the server broke mid-answer (reset)"
    let canvas = render(model)
    let lines = canvas.lines()
    #expect(lines.contains { $0.contains("스트리밍 모드는") })
    let row = lines.firstIndex { $0.contains("✗ the connection to the server broke") }
    #expect(row != nil)
    if let row {
      let x = Layout(model.size).textPane.x
      #expect(canvas[x, row].style.foreground == .red)
    }
    #expect(lines[3].hasPrefix("✗  2 stream"))
  }

  @Test func quittingWhileRunningAsksFirst() {
    var model = Fixtures.document()
    model.overlay = .confirm(.quit)
    let screen = render(model).lines().joined(separator: "\n")
    #expect(screen.contains("Quit?"))
    #expect(screen.contains("1 page is still running."))
    #expect(screen.contains("y: quit"))
  }

  @Test func theStatsBarCountsUpWhileStreaming() {
    var model = Fixtures.document()
    model.document?.selected = 2
    let before = render(model).lines()[22]
    model.now = model.now + .seconds(1)
    let after = render(model).lines()[22]
    #expect(before.contains("TTFT 400 ms │ E2E 2.00 s…"))
    #expect(after.contains("TTFT 400 ms │ E2E 3.00 s…"))
  }
}

@Suite struct MorePickerKeyTests {
  @Test func gGAndPagingMoveTheCursor() {
    var model = Fixtures.picker()
    _ = update(&model, .key(.character("G")))
    #expect(model.picker.cursor == model.picker.visible.count - 1)
    _ = update(&model, .key(.character("g")))
    #expect(model.picker.cursor == 0)
    _ = update(&model, .key(.pageDown))
    #expect(model.picker.cursor == model.picker.visible.count - 1)
    _ = update(&model, .key(.pageUp))
    #expect(model.picker.cursor == 0)
    _ = update(&model, .key(.character("?")))
    #expect(model.overlay == .help)
  }

  @Test func qInThePickerQuitsAndEscReturnsToAnOpenDocument() {
    var model = Fixtures.document()
    model.screen = .picker
    model.picker = Fixtures.picker().picker
    _ = update(&model, .key(.escape))
    #expect(model.screen == .document)
    var idle = Fixtures.picker()
    #expect(update(&idle, .key(.character("q"))) == [.cancelRuns, .quit])
  }
}

@Suite struct InFlightHeaderTests {
  /// A vLLM's run: the header shows the adaptive in-flight limit beside the engine.
  static func model() -> Model {
    var model = Fixtures.document(size: Size(width: 80, height: 15))
    model.engine.info = EngineInfo(
      kind: .server, label: "server http://gpu:8000", reason: "server http://gpu:8000 is up",
      profile: "LightOnOCR-2-1B · 1540 px")
    return model
  }

  @Test func theHeaderShowsTheAdaptiveInFlightLimit() {
    var model = Self.model()
    _ = update(&model, .run(.concurrencyChanged(limit: 8), run: 1))
    _ = update(&model, .run(.concurrencyChanged(limit: 12), run: 1))
    let expected =
      [
        " ocrview sample.pdf     server http://gpu:8000 · LightOnOCR-2-1B · ×12   STREAM ",
        " pg  mode   TTFT      E2E   │ Page 1 — done (stream)                            ",
        "✓  1 stream 420 ms    3.20 s│ # Title                                           ",
        "▸  2 stream 0.40s     2.00s…│                                                   ",
        "·  3                        │ First page text.                                  ",
      ]
      + Array(
        repeating:
          "                            │                                                   ",
        count: 8)
      + [
        " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s │ 1/3 done …         ",
        "m:mode v:page M:render /:find y:copy s:save r:re-run q:quit … ?:all keys        ",
      ]
    #expect(render(model).lines() == expected)
  }

  @Test func aFixedRunShowsNoneAndAnOlderRunsLimitIsIgnored() {
    var model = Self.model()
    _ = update(&model, .run(.concurrencyChanged(limit: 12), run: 1))
    #expect(model.document?.inFlightLimit == 12)
    _ = update(&model, .run(.concurrencyChanged(limit: 30), run: 0))  // an earlier run's
    #expect(model.document?.inFlightLimit == 12)
    // A new run (r) starts without one until it says its own.
    _ = update(&model, .key(.character("r")))
    #expect(model.document?.inFlightLimit == nil)
    #expect(
      render(model).lines()[0]
        == " ocrview sample.pdf           server http://gpu:8000 · LightOnOCR-2-1B   STREAM ")
  }
}

@Suite struct ServerLoadHeaderTests {
  /// What the server reports shows beside the engine, and says when TTFT includes queueing.
  @Test func theHeaderShowsTheServersFigures() {
    var model = Fixtures.document(size: Size(width: 150, height: 15))
    model.engine.info = InFlightHeaderTests.model().engine.info
    _ = update(&model, .run(.concurrencyChanged(limit: 12), run: 1))
    _ = update(
      &model,
      .run(
        .serverLoad(ServerLoad(source: .vllmMetrics, running: 12, waiting: 0, capacity: 12)),
        run: 1))
    #expect(
      render(model).lines()[0]
        == " ocrview sample.pdf — 3 pages                        server http://gpu:8000 · LightOnOCR-2-1B · 1540 px · ×12 · server 12/12 busy, 0 waiting   STREAM "
    )
    _ = update(
      &model,
      .run(
        .serverLoad(ServerLoad(source: .vllmMetrics, running: 12, waiting: 3, capacity: 12)),
        run: 1))
    // The queue says why the pages' TTFT is long; the image size makes room for it.
    #expect(
      render(model).lines()[0]
        == " ocrview sample.pdf — 3 pages         server http://gpu:8000 · LightOnOCR-2-1B · ×12 · server 12/12 busy, 3 waiting · TTFT includes queueing   STREAM "
    )
    // An earlier run's figures are not this run's; a new run starts without any.
    _ = update(
      &model,
      .run(.serverLoad(ServerLoad(source: .vllmMetrics, running: 1, waiting: 0)), run: 0))
    #expect(model.document?.serverLoad?.running == 12)
    _ = update(&model, .key(.character("r")))
    #expect(model.document?.serverLoad == nil)
  }

  /// A pool shows its servers added up, then each one's figures, which go first when short.
  @Test func aPoolShowsItsSumThenEachServer() {
    var model = Fixtures.document(size: Size(width: 180, height: 15))
    model.engine.info = InFlightHeaderTests.model().engine.info
    let servers = [
      ServerLoad(source: .vllmMetrics, running: 6, waiting: 2, capacity: 6),
      ServerLoad(source: .vllmMetrics, running: 6, waiting: 0, capacity: 8),
    ]
    _ = update(&model, .run(.serverLoad(ServerLoad.pool(servers)!), run: 1))
    #expect(
      render(model).lines()[0]
        == " ocrview sample.pdf — 3 pages               server http://gpu:8000 · LightOnOCR-2-1B · 1540 px · servers 12/14 busy, 2 waiting · each 6/6+2 · 6/8 · TTFT includes queueing   STREAM "
    )
    model.size = Size(width: 140, height: 15)
    #expect(
      render(model).lines()[0]
        == " ocrview sample.pdf — 3 pages    server http://gpu:8000 · LightOnOCR-2-1B · servers 12/14 busy, 2 waiting · TTFT includes queueing   STREAM "
    )
  }
}

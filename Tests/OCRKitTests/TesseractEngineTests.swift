import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// The built-in engine on the sample assets, compared with the `tesseract` command line.
@Suite(.serialized) struct TesseractEngineTests {
  static let english = try! TesseractEngine(languages: "eng", workers: 1)

  func page(_ number: Int, of asset: String = "sample.pdf") async throws -> PageImage {
    let document = try await OpenedDocument.open(path: TestFiles.asset(asset))
    return try await document.render(page: number, maxSide: 1540)
  }

  /// Outputs of one page: the deltas (stream) or the single text (batch).
  func read(_ engine: TesseractEngine, _ image: PageImage, mode: OCRMode) async throws -> [String] {
    var deltas: [String] = []
    var finished = false
    for try await output in engine.recognize(image, mode: mode) {
      switch output {
      case .delta(let text): deltas.append(text)
      case .finished: finished = true
      }
    }
    #expect(finished)
    return deltas
  }

  /// What `tesseract page.png - -l LANG` prints for the same image.
  func commandLine(_ image: PageImage, languages: String) async throws -> String {
    let path = TestFiles.scratchDirectory() + "/page.png"
    try Data(image.bytes).write(to: URL(fileURLWithPath: path))
    return try await TesseractCommandLine.read(imageAt: path, languages: languages)
  }

  func words(_ text: String) -> [Substring] { TesseractCommandLine.words(text) }

  @Test func streamsPageLineByLineWithBatchTextAndTheCommandLinesWords() async throws {
    for number in 1...2 {
      let image = try await page(number)
      let deltas = try await read(Self.english, image, mode: .stream)
      #expect(deltas.count > 5, "page \(number) came in \(deltas.count) delta(s)")
      let cli = try await commandLine(image, languages: "eng")
      #expect(words(deltas.joined()) == words(cli), "page \(number)")
      let batch = try await read(Self.english, image, mode: .batch)
      #expect(batch.count == 1)
      #expect(deltas.joined() == batch.joined(), "page \(number)")
    }
  }

  @Test func readsTheScanLikeTheCommandLine() async throws {
    let image = try await page(1, of: "sample-scan.png")
    let stream = try await read(Self.english, image, mode: .stream).joined()
    let cli = try await commandLine(image, languages: "eng")
    #expect(words(stream) == words(cli))
    let expected = try String(
      contentsOfFile: TestFiles.asset("sample-scan.expected.md"), encoding: .utf8)
    #expect(words(stream) == words(expected.replacingOccurrences(of: "#", with: "")))
  }

  @Test func readsKoreanWithKorEng() async throws {
    let engine = try TesseractEngine(languages: "kor+eng", workers: 1)
    defer { engine.shutdown() }
    let image = try await page(3)
    let stream = try await read(engine, image, mode: .stream).joined()
    let cli = try await commandLine(image, languages: "kor+eng")
    // One recognition of the whole page, as the command line does: the same words (the old
    // block-by-block stream mode agreed on 0.95 of them, taking Hangul in small regions for
    // Latin).
    #expect(words(stream) == words(cli))
    #expect(stream.contains("텍스트가 생성되는 즉시 화면에 출력합니다"))
  }

  @Test func cancellingStopsBetweenWords() async throws {
    let image = try await page(1)
    let engine = try TesseractEngine(languages: "eng", workers: 1)
    defer { engine.shutdown() }
    _ = try await read(engine, image, mode: .stream)
    let total = engine.wordsRead
    let next = try await page(2)
    let before = engine.wordsRead
    for try await output in engine.recognize(image, mode: .stream) {
      if case .delta = output { break }  // leaving the loop cancels the page
    }
    // The worker is serial: once the next page is done, the cancelled one has ended.
    let afterNext = engine.wordsRead
    _ = try await read(engine, next, mode: .batch)
    #expect(afterNext - before < total / 2)
  }

  @Test func aMissingLanguageNamesTheDebianPackage() throws {
    #expect(
      throws: TesseractError.missingLanguage(code: "chi_sim", package: "tesseract-ocr-chi-sim")
    ) {
      try TessData.check("eng+chi_sim")
    }
    let empty = TestFiles.scratchDirectory()
    #expect(throws: TesseractError.missingLanguage(code: "kor", package: "tesseract-ocr-kor")) {
      try TessData.check("kor", in: empty)
    }
    #expect(
      TesseractError.missingLanguage(code: "kor", package: "tesseract-ocr-kor").description
        == "tesseract has no data for language 'kor' — install it: sudo apt-get install tesseract-ocr-kor"
    )
  }
}

@Suite struct EngineSelectionTests {
  static let transport = CurlTransport()

  func select(_ choice: EngineChoice, server urls: String...) async throws -> EngineSelection {
    let endpoints = urls.map { ServerEndpoint($0)! }
    return try await EngineSelection.select(
      choice,
      servers: endpoints.map {
        ChatCompletionsEngine(
          endpoint: $0, settings: GenerationSettings(), apiKey: nil, transport: Self.transport)
      },
      probes: endpoints.map { ServerProbe(endpoint: $0, transport: Self.transport) },
      languages: "eng", workers: 2, concurrency: nil)
  }

  @Test func severalServersMakeAPoolWithTheirSlotsAddedUp() async throws {
    let one = try FakeOCRServer(slots: 2) { _ in .chatStream(deltas: ["x"]) }
    let two = try FakeOCRServer(slots: 3) { _ in .chatStream(deltas: ["x"]) }
    let selection = try await select(.auto, server: one.baseURL, two.baseURL, "http://127.0.0.1:9")
    #expect(selection.engine is ServerPool)
    #expect(selection.concurrency == .fixed(6))
    #expect(selection.reason.hasPrefix("servers \(one.baseURL), \(two.baseURL)"))
  }

  @Test func autoUsesARunningServerWithItsSlots() async throws {
    let fake = try FakeOCRServer(slots: 4) { _ in .chatStream(deltas: ["x"]) }
    let selection = try await select(.auto, server: fake.baseURL)
    #expect(selection.engine is ChatCompletionsEngine)
    #expect(selection.concurrency == .fixed(4))
    #expect(selection.reason == "server \(fake.baseURL) is up")
  }

  @Test func autoFallsBackToTesseractWhenNoServerAnswers() async throws {
    let url = "http://127.0.0.1:9"  // nothing listens on the discard port
    let selection = try await select(.auto, server: url)
    #expect(selection.engine is TesseractEngine)
    #expect(selection.concurrency == .fixed(2))
    #expect(selection.reason == "no server at \(url) — using built-in Tesseract")
    await (selection.engine as? TesseractEngine)?.shutdown()
  }

  @Test func explicitChoicesAreObeyed() async throws {
    let fake = try FakeOCRServer { _ in .chatStream(deltas: ["x"]) }
    #expect(try await select(.tesseract, server: fake.baseURL).engine is TesseractEngine)
    #expect(try await select(.server, server: "http://127.0.0.1:9").engine is ChatCompletionsEngine)
  }
}

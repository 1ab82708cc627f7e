import Foundation
import OCRTestSupport
import Testing

/// Every error a user can act on: one clear line on stderr and the documented exit code.
@Suite struct ErrorTests {
  func expectFailure(
    _ arguments: [String], status: Int32, says fragment: String, prefix: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let result = try await CLI.run(arguments, prefix: prefix)
    #expect(result.status == status, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(
      result.stderr.contains(fragment), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
  }

  @Test func inputErrorsExitWith2() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["unused"]) }
    let url = ["--server", server.baseURL]
    try await expectFailure(["ocr", "/nonexistent/x.pdf"] + url, status: 2, says: "no such file")
    try await expectFailure(
      ["ocr", CLI.repository.appendingPathComponent("Package.swift").path] + url, status: 2,
      says: "not a PDF or a supported image")
    try await expectFailure(
      ["ocr", CLI.fixture("encrypted.pdf")] + url, status: 2,
      says: "encrypted — give its password with --password")
    try await expectFailure(
      ["ocr", CLI.fixture("encrypted.pdf"), "--password", "wrong"] + url, status: 2,
      says: "wrong password")
    try await expectFailure(
      ["ocr", CLI.fixture("truncated.pdf")] + url, status: 2, says: "damaged")
    try await expectFailure(
      ["ocr", CLI.fixture("corrupt-header.png")] + url, status: 2, says: "damaged")
    try await expectFailure(
      ["ocr", CLI.fixture("zero-pages.pdf")] + url, status: 2, says: "no pages")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--pages", "2-9"] + url, status: 2,
      says: "page 9 does not exist: the document has 3 pages")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--pages", "x"] + url, status: 2, says: "invalid page range")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--max-side", "5"] + url, status: 2,
      says: "--max-side must be between")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--render-workers", "0"] + url, status: 2,
      says: "--render-workers must be between 1 and 256")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--max-concurrency", "0"] + url, status: 2,
      says: "--max-concurrency must be between 1 and 1024")
    // A negative number is the option's value, not a flag: the range message, not "Missing value".
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--retries", "-1"] + url, status: 2,
      says: "--retries must be between 0 and 100")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--retry-delay", "-0.5"] + url, status: 2,
      says: "--retry-delay must be between 0 and 3600 seconds")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--temperature", "-1"] + url, status: 2,
      says: "--temperature must be between 0 and 2")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--server", "ftp://x"], status: 2,
      says: "--server ftp://x: it must be an http:// or https:// URL")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--server", "http://host:99999"], status: 2,
      says: "--server http://host:99999: its port \"99999\" is not a number from 1 to 65535")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--server", "http://:8080"], status: 2,
      says: "--server http://:8080: it names no host")
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--engine", "tesseract", "--lang", "eng+xyz"], status: 2,
      says:
        "tesseract has no data for language 'xyz' — install it: sudo apt-get install tesseract-ocr-xyz"
    )
    #expect(server.requests.isEmpty)
  }

  /// An image too large to read is refused when it is opened, before libpng sees it: a side
  /// over libpng's own limit (1,000,000 px) as well as the 250-megapixel budget. It is not
  /// "damaged", and libpng's own lines never reach stderr.
  @Test func anImageTooLargeIsRefusedBeforeDecodingAndSaysToScaleItDown() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["unused"]) }
    let folder = CLI.scratchDirectory()
    let wide = folder + "/wide.png"
    try Data(PlainPNG.white(width: 1_000_001, height: 2)).write(to: URL(fileURLWithPath: wide))
    let cases = [
      (wide, "\(wide): the image is 1000001×2 pixels, more than 1,000,000 a side"),
      (
        CLI.fixture("huge-dimensions.png"),
        "\(CLI.fixture("huge-dimensions.png")): the image is 100000×100000 pixels, more than "
          + "250,000,000 in all"
      ),
    ]
    for (path, says) in cases {
      let result = try await CLI.run(["ocr", path, "--server", server.baseURL])
      #expect(result.status == 2, "stderr: \(result.stderr)")
      #expect(
        result.stderr == "ocrview: \(says) — too large to read; scale it down and try again\n")
      #expect(!result.stderr.contains("libpng"))
      #expect(!result.stderr.contains("damaged"))
    }
    #expect(server.requests.isEmpty)
  }

  /// `data: [DONE]` alone (or an empty batch answer) for a page with ink: the page is read
  /// again, warmer (a rescue; it was a retry at the same temperature before `--rescue`), then
  /// fails, and the run exits 1.
  @Test func aServerAnsweringNoTextFailsThePage() async throws {
    for (mode, response) in [
      ([String](), FakeResponse.stream([.role, .done])),
      (["--batch"], FakeResponse.chatBatch(text: "")),
    ] {
      let server = try FakeOCRServer { _ in response }
      let result = try await CLI.run(
        ["ocr", CLI.asset("sample-scan.png"), "--rescue", "2"] + mode
          + ["--server", server.baseURL])
      #expect(result.status == 1, "\(mode) stderr: \(result.stderr)")
      #expect(
        result.stderr.contains("page 1: the server answered with no text"),
        "\(mode) stderr: \(result.stderr)")
      #expect(server.requests.map(\.temperature) == [0.2, 0.3], "\(mode): read again once")
    }
  }

  @Test func theRightPasswordOpensAnEncryptedPDF() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["Secret page"]) }
    let result = try await CLI.run([
      "ocr", CLI.fixture("encrypted.pdf"), "--password", "secret", "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Secret page"))
  }

  @Test func anUnreadableFileSaysSo() async throws {
    let path = CLI.scratchDirectory() + "/locked.pdf"
    try FileManager.default.copyItem(atPath: CLI.asset("sample.pdf"), toPath: path)
    chmod(path, 0)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o777], ofItemAtPath: (path as NSString).deletingLastPathComponent)
    // root reads anything: run as nobody then.
    let prefix =
      getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    try await expectFailure(
      ["ocr", path, "--engine", "server", "--server", "http://127.0.0.1:9"], status: 2,
      says: "cannot be read (permission denied)", prefix: prefix)
  }

  @Test func serverErrorsExitWith1AndSayWhatToDo() async throws {
    let downURL = "http://127.0.0.1:9"  // nothing listens on the discard port
    try await expectFailure(
      ["ocr", CLI.asset("sample.pdf"), "--engine", "server", "--server", downURL], status: 1,
      says: "no OCR server at \(downURL)")

    let cases: [(FakeResponse, String)] = [
      (.imageLoadError, "the server answered HTTP 400: Failed to load image or audio file"),
      (
        .httpError(status: 500, message: "slot exploded", type: "server_error"),
        "HTTP 500: slot exploded"
      ),
      (.loading, "still loading its model (HTTP 503)"),
      (.stream([.role, .delta("partial"), .drop]), "broke mid-answer"),
      (.stream([.role, .delta("partial")]), "ended before the server finished the page"),
      (
        .stream([
          .role, .delta("partial"), .error(code: 500, message: "boom", type: "server_error"),
        ]), "reported an error: boom"
      ),
    ]
    // `--engine server`: the server's answer is what is tested, so a probe the fake answers
    // late on a loaded machine (once over 5 s, beside the soak tests in CI) must not turn the
    // run to the built-in engine.
    for (response, message) in cases {
      let server = try FakeOCRServer { _ in response }
      try await expectFailure(
        [
          "ocr", CLI.asset("sample-scan.png"), "--retries", "0", "--engine", "server",
          "--server", server.baseURL,
        ], status: 1, says: message)
    }
  }

  @Test func aPageCutOffMidStreamKeepsItsTextInTheOutput() async throws {
    let server = try FakeOCRServer { request in
      request.index == 1
        ? .stream([.role, .delta("half a page"), .drop]) : .chatStream(deltas: ["whole page"])
    }
    let out = CLI.scratchDirectory() + "/out.md"
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "-o", out, "--retries", "0", "--server", server.baseURL,
    ])
    #expect(result.status == 1)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(
      text == """
        <!-- page 1 -->

        whole page

        <!-- page 2 -->

        half a page

        <!-- page 2: failed -->

        <!-- page 3 -->

        whole page


        """)
    #expect(result.stderr.contains("page 2: the connection to the server broke mid-answer"))
  }

  @Test func oneServerDownLineForAWholeDocument() async throws {
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--engine", "server", "--server", "http://127.0.0.1:9",
    ])
    #expect(result.status == 1)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 2, "\(result.stderr)")
    #expect(lines.last == "ocrview: 2 more pages failed the same way")
  }

  @Test func aServerRestartingMidDocumentIsWaitedFor() async throws {
    let pages = OCRCommandTests.pages
    let gate = FakeGate()
    defer { gate.open() }
    // Page 1 is read whole; page 2 hangs mid-stream until the server goes away.
    var server: FakeOCRServer? = try FakeOCRServer { request in
      request.index == 0
        ? .stream([.role, .delta(pages[0]), .finish("stop"), .done])
        : .stream([.role, .delta("Half of page 2"), .wait(gate), .finish("stop"), .done])
    }
    let port = server!.port
    let url = server!.baseURL
    let out = CLI.scratchDirectory() + "/out.md"
    // A restarting server is waited for 30 × 4 × the retry delay: 60 s at 0.5 s. At 0.1 s
    // (12 s) a starved test process once restarted the server after the run had given up
    // (CI under the whole suite's load, stop 33).
    let child = try CLI.Child([
      "ocr", CLI.asset("sample.pdf"), "--server", url, "--engine", "server", "--retry-delay",
      "0.5", "-o", out,
    ])
    // Page 1 arrives, then the server goes away (connections refused) and comes back.
    let received = { (try? String(contentsOfFile: out, encoding: .utf8)) ?? "" }
    #expect(await pollUntil { received().contains("Half of page 2") }, "\(received())")
    server?.stop()
    server = nil
    #expect(await pollUntil { child.stderr.contains("no OCR server") }, "\(child.stderr)")
    let restarted = try FakeOCRServer(
      port: port, responder: FakeResponder.transcript(Array(pages.dropFirst()), wordsPerDelta: 3))
    let result = await child.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("no OCR server at \(url)"), "\(result.stderr)")
    let transcript = try String(contentsOfFile: out, encoding: .utf8)
    #expect(transcript.contains("<!-- page 3 -->") && !transcript.contains("failed"))
    #expect(restarted.requests.count >= 1)
  }

  @Test func aDroppedStreamIsRetriedAndNothingReceivedIsLost() async throws {
    let out = CLI.scratchDirectory() + "/out.md"
    for output in [[], ["-o", out]] {
      let server = try FakeOCRServer { request in
        request.index == 0
          ? .stream([.role, .delta("first try"), .drop]) : .chatStream(deltas: ["the whole page"])
      }
      let result = try await CLI.run(
        ["ocr", CLI.asset("sample-scan.png"), "--retry-delay", "0.05", "--server", server.baseURL]
          + output)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(server.requests.count == 2)
      #expect(result.stderr.contains("page 1: the connection to the server broke mid-answer"))
      #expect(result.stderr.contains("retry 1 in 50 ms"))
      if output.isEmpty {
        // stdout keeps what it printed, the retry after a marker.
        #expect(
          result.stdout
            == "<!-- page 1 -->\n\nfirst try\n\n<!-- page 1: retry 1 -->\n\nthe whole page\n\n")
      } else {
        // The file ends as a clean run's.
        #expect(
          try String(contentsOfFile: out, encoding: .utf8)
            == "<!-- page 1 -->\n\nthe whole page\n\n")
      }
    }
  }

  /// A server that answers 429 every time: the page is sent thirty more times, and the final
  /// failure does not promise another ("the page is sent again" once ended the run).
  @Test func thirtyBusyAnswersEndInAFailureThatSaysWhatToDo() async throws {
    let server = try FakeOCRServer { _ in
      .httpError(status: 429, message: "Too many requests in flight", type: "TooManyRequests")
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--retry-delay", "0", "--server", server.baseURL,
    ])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(server.requests.count == 31)
    #expect(!result.stderr.contains("sent again"), "\(result.stderr)")
    let expected =
      "page 1: the server is busy (HTTP 429: Too many requests in flight) — it turned the "
      + "page away each time it was sent: lower --concurrency, or read it again when the "
      + "server is less busy"
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.hasSuffix(expected) }, "\(result.stderr)")
  }

  /// A llama-server still loading its model as the run starts: the run says it waits, and
  /// once the model is loaded its pages go out with the model's settings (a token limit from
  /// its context), not an unknown model's 4,096.
  @Test func aRunStartedWhileTheModelLoadsWaitsAndUsesTheModelsSettings() async throws {
    let server = try FakeOCRServer(
      health: .loading, model: FakeModel(id: "lightonai/LightOnOCR-3-0.8B")
    ) { _ in .chatStream(deltas: ["loaded"]) }
    let child = try CLI.Child(["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL])
    // Loaded once the run has asked how it is.
    #expect(await server.waitUntil { server.allRequests.contains { $0.path == "/health" } })
    server.setHealth(.ok)
    let result = await child.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "ocrview: \(server.baseURL) is loading its model — waiting for it (up to 60 s)"),
      "\(result.stderr)")
    #expect(result.stdout.contains("loaded"))
    let sent = try #require(server.requests.first)
    #expect(
      sent.maxTokens != nil && sent.maxTokens != 4096, "\(String(describing: sent.maxTokens))")
  }

  @Test func aLoadingServerIsWaitedForAndA4xxIsNotRetried() async throws {
    let loading = try FakeOCRServer { request in
      request.index < 2 ? .loading : .chatStream(deltas: ["ready now"])
    }
    let waited = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--retry-delay", "0.02", "--server", loading.baseURL,
    ])
    #expect(waited.status == 0, "\(waited.stderr)")
    #expect(loading.requests.count == 3)
    #expect(waited.stderr.contains("still loading its model (HTTP 503)"))
    #expect(waited.stdout.contains("ready now"))

    let rejecting = try FakeOCRServer { _ in .imageLoadError }
    let rejected = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--retry-delay", "0.02", "--server", rejecting.baseURL,
    ])
    #expect(rejected.status == 1)
    #expect(rejecting.requests.count == 1)
  }
}

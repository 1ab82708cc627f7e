import Foundation
import OCRTestSupport
import Testing

/// `ocrview ocr` end to end: the real binary, real curl and poppler, the fake llama-server.
@Suite struct OCRCommandTests {
  static let expected = try! String(
    contentsOfFile: CLI.asset("sample.expected.md"), encoding: .utf8)
  static let pages = FakeResponder.pages(fromTranscript: expected)

  /// What `ocrview` writes for the sample when the server answers with its expected text.
  static var transcript: String {
    pages.enumerated().map { "<!-- page \($0.offset + 1) -->\n\n\($0.element)\n\n" }.joined()
  }

  /// With `-o` the transcript goes to the file only, like `curl -o`: stdout stays quiet, and
  /// stderr (not a terminal here) gets no progress line.
  @Test func streamSavesTheTranscriptOfEveryPageAndStdoutStaysQuiet() async throws {
    #expect(Self.pages.count == 3)
    let server = try FakeOCRServer(
      responder: FakeResponder.transcript(Self.pages, wordsPerDelta: 3))
    let out = CLI.scratchDirectory() + "/out.md"
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample.pdf"), "--stream", "-o", out, "--server", server.baseURL])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "")
    #expect(result.stderr == "")
    #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.transcript)
    #expect(server.requests.count == 3)
    #expect(server.requests.allSatisfy { $0.isStream })
  }

  /// On a terminal, `-o` leaves the screen to the progress line (like `curl -o`): no
  /// transcript, the pages done and failed, and the rate; the failure said above it.
  @Test func withAnOutputFileATerminalShowsTheProgressLineAndNoText() async throws {
    let server = try FakeOCRServer { request in
      request.index == 1 ? .imageLoadError : .chatStream(deltas: ["text \(request.index)"])
    }
    let tmux = try Tmux(
      ocrview: [
        "ocr", CLI.asset("sample.pdf"), "-o", "out.md", "--concurrency", "1", "--server",
        server.baseURL,
      ], width: 100, height: 12)
    #expect(await tmux.waitForExit() == 1)
    let screen = tmux.capture().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    #expect(!screen.contains { $0.contains("text 0") || $0.contains("<!-- page") }, "\(screen)")
    let progress = screen.firstIndex { $0.hasPrefix("3/3 pages · 1 failed · ") }
    let failure = screen.firstIndex { $0.hasPrefix("ocrview: page 2: ") }
    #expect(progress != nil && failure != nil && failure! < progress!, "\(screen)")
    #expect(tmux.file("out.md").contains("text 2"))
  }

  /// The progress line's total counts `--pages`; and with the transcript on the terminal (no
  /// `-o`) there is no progress line to cut into its text, however many documents.
  @Test func theProgressLineCountsTheSelectedPagesAndStaysOffAStreamingTerminal() async throws {
    let server = try FakeOCRServer { request in .chatStream(deltas: ["text \(request.index)"]) }
    let selected = try Tmux(
      ocrview: [
        "ocr", CLI.asset("sample.pdf"), "--pages", "2-3", "-o", "out.md", "--server",
        server.baseURL,
      ], width: 100, height: 12)
    #expect(await selected.waitForExit() == 0)
    #expect(selected.capture().contains { $0.hasPrefix("2/2 pages · ") }, "\(selected.screen)")
    let streaming = try Tmux(
      ocrview: [
        "ocr", CLI.asset("sample.pdf"), CLI.asset("sample-scan.png"), "--server", server.baseURL,
      ],
      width: 100, height: 30)
    #expect(await streaming.waitForExit() == 0)
    let screen = streaming.capture()
    #expect(screen.contains { $0.contains("text ") }, "\(streaming.screen)")
    #expect(!screen.contains { $0.contains(" pages") && $0.contains("·") }, "\(streaming.screen)")
  }

  @Test func batchGivesIdenticalText() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(Self.pages))
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--batch", "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == Self.transcript)
    #expect(server.requests.allSatisfy { !$0.isStream })
  }

  /// Pages rendered on one worker or on several reach the server as the same images, in order.
  @Test func renderWorkersChangeNeitherTheImagesNorTheText() async throws {
    let server = try FakeOCRServer(slots: 3, responder: FakeResponder.transcript(Self.pages))
    var images: [[String?]] = []
    for workers in ["1", "3"] {
      let before = server.requests.count
      let result = try await CLI.run([
        "ocr", CLI.asset("sample.pdf"), "--render-workers", workers, "--concurrency", "1",
        "--server", server.baseURL,
      ])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout == Self.transcript)
      images.append(server.requests.dropFirst(before).map(\.imageDataURL))
    }
    #expect(images[0].count == 3)
    #expect(Set(images[0]).count == 3)
    #expect(images[0] == images[1])
  }

  @Test func theOutputFileGrowsWhileTheStreamIsPausedAndSurvivesKill9() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer { _ in
      .stream([
        .role, .delta("Received "), .delta("before the pause."), .wait(gate), .delta(" After."),
        .finish("stop"), .done,
      ])
    }
    let out = CLI.scratchDirectory() + "/out.md"
    let child = try CLI.Child([
      "ocr", CLI.asset("sample-scan.png"), "-o", out, "--server", server.baseURL,
    ])
    let sentSoFar = "<!-- page 1 -->\n\nReceived before the pause."
    let arrived = await pollUntil {
      (try? String(contentsOfFile: out, encoding: .utf8)) == sentSoFar
    }
    #expect(
      arrived, "out.md holds: \((try? String(contentsOfFile: out, encoding: .utf8)) ?? "nothing")")
    #expect(child.stdout == "")
    #expect(child.process.isRunning)
    kill(child.process.processIdentifier, SIGKILL)
    let result = await child.finish()
    #expect(result.status == SIGKILL)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == sentSoFar)
  }

  @Test func jsonLinesCarryPerPageStats() async throws {
    let server = try FakeOCRServer(
      responder: FakeResponder.transcript(
        Self.pages, wordsPerDelta: 4, firstTokenDelay: .milliseconds(30), between: .milliseconds(5))
    )
    for mode in ["--batch", "--stream"] {
      let result = try await CLI.run(
        [
          "ocr", CLI.asset("sample.pdf"), mode, "--format", "jsonl", "--pages", "2-3", "--server",
          server.baseURL,
        ])
      #expect(result.status == 0, "\(result.stderr)")
      let records = try result.stdout.split(separator: "\n").map {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
      }
      #expect(records.map { $0["page"] as? Int } == [2, 3])
      // The fake answers the k-th distinct image it sees with the k-th page.
      #expect(records.map { $0["text"] as? String } == [Self.pages[0], Self.pages[1]])
      for record in records {
        let stats = try #require(record["stats"] as? [String: Any])
        let ttft = try #require(stats["ttft_ms"] as? Double)
        let e2e = try #require(stats["e2e_ms"] as? Double)
        #expect(stats["output_tokens"] as? Int ?? 0 > 0)
        if mode == "--batch" {
          #expect(record["mode"] as? String == "batch")
          #expect(ttft == e2e)
        } else {
          #expect(record["mode"] as? String == "stream")
          #expect(ttft < e2e)
          #expect(ttft >= 30)
          #expect((stats["deltas"] as? Int ?? 0) > 1)
          #expect(stats["itl_ms"] as? Double != nil)
        }
      }
    }
  }

  @Test func statsGoToStandardError() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(Self.pages))
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--pages", "2", "--stats", "--server", server.baseURL,
    ])
    #expect(result.status == 0)
    #expect(result.stderr.contains("page 2  stream  TTFT "))
    #expect(result.stderr.contains("document  1/1 pages ok"))
    #expect(!result.stdout.contains("TTFT"))
    #expect(!result.stderr.contains("in flight"))  // llama-server's slots: a fixed count
  }

  /// A vLLM (no /props): the engine line says the count adapts, and --stats how it went.
  @Test func statsSayHowAnAdaptiveInFlightLimitWent() async throws {
    let server = try FakeOCRServer(
      slots: 2, model: FakeModel(server: .vllm), responder: FakeResponder.transcript(Self.pages))
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--stats", "--server", server.baseURL,
      "--max-concurrency", "4",
    ])
    #expect(result.status == 0)
    #expect(result.stderr.contains("adaptive, 4 at first (up to 4)"), "\(result.stderr)")
    #expect(result.stderr.contains("in flight 4→"), "\(result.stderr)")
    #expect(result.stderr.contains("(peak 4, mean "))
  }
}

@Suite struct OCRCommandRequestTests {
  /// Width and height from a base64 PNG data URL's IHDR chunk.
  func pngSize(_ dataURL: String) -> (Int, Int)? {
    guard let comma = dataURL.firstIndex(of: ","),
      let bytes = Data(base64Encoded: String(dataURL[dataURL.index(after: comma)...])),
      bytes.count > 24
    else { return nil }
    let b = [UInt8](bytes)
    func be32(_ i: Int) -> Int {
      Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }
    return (be32(16), be32(20))
  }

  @Test func sendsTheSettingsAndAnImageNoLargerThanMaxSide() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["ok"]) }
    let result = try await CLI.run(
      [
        "ocr", CLI.asset("sample.pdf"), "--pages", "1", "--server", server.baseURL + "/v1",
        "--model", "lightonocr",
        "--max-tokens", "123", "--temperature", "0.5", "--top-p", "0.7", "--prompt", "Read it.",
        "--max-side", "800",
      ], environment: ["OCRVIEW_API_KEY": "sk-secret"])
    #expect(result.status == 0, "\(result.stderr)")
    let request = try #require(server.requests.first)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    #expect(json["model"] as? String == "lightonocr")
    #expect(json["max_tokens"] as? Int == 123)
    #expect(json["temperature"] as? Double == 0.5)
    #expect(json["top_p"] as? Double == 0.7)
    #expect(request.promptText == "Read it.")
    #expect(request.headers["authorization"] == "Bearer sk-secret")
    let dataURL = try #require(request.imageDataURL)
    let size = try #require(pngSize(dataURL))
    #expect(size.0 == 618 && size.1 == 800)
    #expect(!result.stderr.contains("sk-secret") && !result.stdout.contains("sk-secret"))
  }

  @Test func theServerComesFromTheEnvironmentWhenNotGiven() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["from env"]) }
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png")], environment: ["OCRVIEW_SERVER": server.baseURL])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("from env"))
  }

  @Test func ctrlCStopsTheRequestKeepsTheTextAndExits130() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("kept on Ctrl-C"), .wait(gate), .delta("never")])
    }
    let out = CLI.scratchDirectory() + "/out.md"
    let child = try CLI.Child([
      "ocr", CLI.asset("sample.pdf"), "-o", out, "--server", server.baseURL,
    ])
    #expect(
      await pollUntil {
        (try? String(contentsOfFile: out, encoding: .utf8))?.hasSuffix("kept on Ctrl-C") == true
      })
    kill(child.process.processIdentifier, SIGINT)
    let result = await child.finish()
    #expect(result.status == 130)
    #expect(result.stderr.contains("interrupted"))
    #expect(await server.waitUntil { server.clientDisconnectsMidResponse == 1 })
    #expect(server.requests.count == 1)
    let saved = try String(contentsOfFile: out, encoding: .utf8)
    #expect(saved.hasPrefix("<!-- page 1 -->\n\nkept on Ctrl-C"))
    #expect(saved.contains("<!-- page 1: cancelled -->"))
  }

  /// A closed terminal or a dropped ssh session (SIGHUP) ends a run as Ctrl-C does: the
  /// request stops, the finished transcript replaces -o's in-flight layout, exit 129.
  @Test func sighupIsLikeCtrlCAndExits129() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("kept on hang-up"), .wait(gate), .delta("never")])
    }
    let out = CLI.scratchDirectory() + "/out.md"
    let child = try CLI.Child([
      "ocr", CLI.asset("sample.pdf"), "-o", out, "--server", server.baseURL,
    ])
    #expect(
      await pollUntil {
        (try? String(contentsOfFile: out, encoding: .utf8))?.hasSuffix("kept on hang-up") == true
      })
    kill(child.process.processIdentifier, SIGHUP)
    let result = await child.finish()
    #expect(result.status == 129, "\(result.stderr)")
    #expect(result.stderr.contains("interrupted"))
    #expect(await server.waitUntil { server.clientDisconnectsMidResponse == 1 })
    let saved = try String(contentsOfFile: out, encoding: .utf8)
    #expect(saved.hasPrefix("<!-- page 1 -->\n\nkept on hang-up"))
    #expect(saved.contains("<!-- page 1: cancelled -->"))
  }

  /// Under `nohup`, SIGHUP stays ignored: the run goes on to its end.
  @Test func underNohupSighupIsIgnored() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer { _ in
      .stream([
        .role, .delta("first half, "), .wait(gate), .delta("second half"), .finish("stop"), .done,
      ])
    }
    let child = try CLI.Child(
      ["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL], prefix: ["/usr/bin/nohup"])
    #expect(await pollUntil { child.stdout.contains("first half") })
    kill(child.process.processIdentifier, SIGHUP)
    // Time for a handled signal to cancel the run, were it handled (a slow machine can only
    // make this test pass wrongly, never fail wrongly).
    try await Task.sleep(for: .milliseconds(300))
    gate.open()
    let result = await child.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("first half, second half"))
  }

  /// Ctrl-C twice loses nothing: the second signal does not cut the wind-down short, and -o
  /// still gets the finished transcript (each page once, in order, no `continued` markers).
  @Test func aSecondCtrlCStillWritesTheFinishedTranscript() async throws {
    let halfway = FakeGate()
    let never = FakeGate()
    defer {
      halfway.open()
      never.open()
    }
    let server = try FakeOCRServer(slots: 3) { request in
      .stream([
        .role, .delta("r\(request.index) first. "), .wait(halfway),
        .delta("r\(request.index) second."),
        .wait(never),
      ])
    }
    let out = CLI.scratchDirectory() + "/out.md"
    let child = try CLI.Child([
      "ocr", CLI.asset("sample.pdf"), "-o", out, "--concurrency", "3", "--server", server.baseURL,
    ])
    let live = { (try? String(contentsOfFile: out, encoding: .utf8)) ?? "" }
    #expect(await pollUntil { (0..<3).allSatisfy { live().contains("r\($0) first.") } })
    halfway.open()
    #expect(
      await pollUntil {
        (0..<3).allSatisfy { live().contains("r\($0) second.") } && live().contains("continued")
      }, "\(live())")
    kill(child.process.processIdentifier, SIGINT)
    // The second once the first was acted on (back-to-back signals may arrive as one).
    #expect(await server.waitUntil { server.clientDisconnectsMidResponse >= 1 })
    kill(child.process.processIdentifier, SIGINT)
    let result = await child.finish()
    #expect(result.status == 130, "\(result.stderr)")
    let saved = try String(contentsOfFile: out, encoding: .utf8)
    #expect(!saved.contains("continued"), "\(saved)")
    for page in 1...3 {
      #expect(saved.components(separatedBy: "<!-- page \(page) -->").count == 2, "\(saved)")
      #expect(saved.contains("<!-- page \(page): cancelled -->"), "\(saved)")
    }
  }

  /// A stream of keep-alives alone has no end: `--page-timeout` fails the attempt, which is
  /// retried like any failure, and the text received is kept.
  @Test
  func aStreamOfKeepAlivesFailsAtThePageTimeoutKeepingItsText() async throws {
    // A 64-pixel page: its request is a few hundred bytes the fake reads at once. With the
    // sample scan (some 400 KB of base64) the page timeout once went by, in the full suite on
    // two cores, before the fake's starved connection thread had read either request.
    let page = CLI.scratchDirectory() + "/small.png"
    try Data(PlainPNG.white(width: 64, height: 64)).write(to: URL(fileURLWithPath: page))
    // Two slots: the retry must not queue behind the first attempt's slot, which the fake
    // frees only once it notices the client left (slow on a loaded machine).
    let server = try FakeOCRServer(slots: 2) { request in
      .stream([.role, .delta("kept \(request.index)"), .keepAlive(every: .milliseconds(100))])
    }
    let result = try await CLI.run([
      "ocr", page, "--page-timeout", "3", "--retries", "1", "--retry-delay", "0", "--server",
      server.baseURL,
    ])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(server.requests.count == 2, "\(server.requests.count)")
    #expect(
      result.stderr.contains("the server's answer had no end after 3 s (--page-timeout)"),
      "\(result.stderr)")
    #expect(result.stdout.contains("kept 1"), "\(result.stdout)")
    #expect(result.stdout.contains("<!-- page 1: failed -->"), "\(result.stdout)")
  }
}

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

  @Test func streamPrintsAndSavesTheTranscriptOfEveryPage() async throws {
    #expect(Self.pages.count == 3)
    let server = try FakeOCRServer(
      responder: FakeResponder.transcript(Self.pages, wordsPerDelta: 3))
    let out = CLI.scratchDirectory() + "/out.md"
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample.pdf"), "--stream", "-o", out, "--server", server.baseURL])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == Self.transcript)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.transcript)
    #expect(server.requests.count == 3)
    #expect(server.requests.allSatisfy { $0.isStream })
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
    let arrived = await CLI.eventually {
      (try? String(contentsOfFile: out, encoding: .utf8)) == sentSoFar
    }
    #expect(
      arrived, "out.md holds: \((try? String(contentsOfFile: out, encoding: .utf8)) ?? "nothing")")
    #expect(child.stdout == sentSoFar)
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
  }
}

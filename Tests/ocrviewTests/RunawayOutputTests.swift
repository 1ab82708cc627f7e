import Foundation
import OCRTestSupport
import Testing

/// A model that runs to the token limit, or loops: the page is kept and the user is told.
@Suite struct RunawayOutputTests {
  @Test func aPageCutAtTheTokenLimitIsKeptWithAWarning() async throws {
    let server = try FakeOCRServer { _ in
      .chatStream(deltas: ["long ", "page"], finishReason: "length")
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("long page"))
    #expect(
      result.stderr.contains("page 1: the model stopped at the token limit (finish_reason: length)")
    )
  }

  @Test func aRepetitionLoopIsStoppedAndTheTextUpToItKept() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let row = "| 0.42 | stream |\n"
    let events: [FakeEvent] =
      [.role, .delta("# Results\n\n")] + Array(repeating: FakeEvent.delta(row), count: 200)
      + [.wait(gate), .finish("stop"), .done]
    let server = try FakeOCRServer { _ in .stream(events) }
    let out = CLI.scratchDirectory() + "/out.md"
    let result = try await CLI.run(
      [
        "ocr", CLI.asset("sample-scan.png"), "--format", "jsonl", "-o", out, "--server",
        server.baseURL,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("the model kept repeating itself"))
    #expect(await server.waitUntil { server.clientDisconnectsMidResponse == 1 })
    let record = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
        as? [String: Any])
    let text = try #require(record["text"] as? String)
    #expect(text == "# Results\n\n" + row)
    #expect((record["stats"] as? [String: Any])?["finish_reason"] as? String == "repetition")
  }

  @Test func theLoopGuardCanBeTurnedOff() async throws {
    let row = "| 0.42 | stream |\n"
    let server = try FakeOCRServer { _ in
      .stream(
        [.role] + Array(repeating: FakeEvent.delta(row), count: 50) + [.finish("stop"), .done])
    }
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--no-loop-guard", "--server", server.baseURL])
    #expect(result.status == 0)
    #expect(result.stdout.components(separatedBy: row).count - 1 == 50)
    #expect(!result.stderr.contains("repeating"))
  }

  @Test func inBatchModeTheLoopIsCutBeforeAnythingIsWritten() async throws {
    let row = "| 0.42 | stream |\n"
    let server = try FakeOCRServer { _ in
      .chatBatch(text: "# Results\n\n" + String(repeating: row, count: 300))
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--batch", "--server", server.baseURL,
    ])
    #expect(result.status == 0)
    #expect(
      result.stdout
        == "<!-- page 1 -->\n\n# Results\n\n\(row)\n<!-- page 1: repetition loop stopped -->\n\n")
  }
}

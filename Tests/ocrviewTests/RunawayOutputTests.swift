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

  /// The server loops on every read: each of the three (`--rescue` 3) is stopped and read
  /// again warmer, and the text up to the loop is kept. (Before rescues: one read, one
  /// disconnect.)
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
    #expect(await server.waitUntil { server.clientDisconnectsMidResponse == 3 })
    #expect(server.requests.map(\.temperature) == [0.2, 0.3, 0.5])
    let record = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
        as? [String: Any])
    let text = try #require(record["text"] as? String)
    #expect(text == "# Results\n\n" + row)
    let stats = try #require(record["stats"] as? [String: Any])
    #expect(stats["finish_reason"] as? String == "repetition")
    let attempts = try #require(stats["attempts"] as? [[String: Any]])
    #expect(attempts.map { $0["reason"] as? String } == ["loop", "loop", "loop"])
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

  /// One read (`--rescue 1`): the loop guard alone, as before rescues.
  @Test func inBatchModeTheLoopIsCutBeforeAnythingIsWritten() async throws {
    let row = "| 0.42 | stream |\n"
    let server = try FakeOCRServer { _ in
      .chatBatch(text: "# Results\n\n" + String(repeating: row, count: 300))
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--batch", "--rescue", "1", "--server",
      server.baseURL,
    ])
    #expect(result.status == 0)
    #expect(
      result.stdout
        == "<!-- page 1 -->\n\n# Results\n\n\(row)\n<!-- page 1: repetition loop stopped -->\n\n")
  }
}

/// `--rescue`: a page that loops or is cut is read again warmer, through the real transport.
@Suite struct RescueCLITests {
  static let row = "| 0.42 | stream |\n"
  static let clean = "# Results\n\n| 0.42 | stream |\n| 0.43 | batch |\n"

  /// The fake's first answer loops (the connection stays open until the client leaves), its
  /// second is clean: the page is rescued at the next rung, 0.3, and the clean read kept.
  @Test func aLoopingPageIsRescuedByItsSecondRead() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer { request in
      guard request.index == 0 else {
        return .chatStream(deltas: FakeResponse.tokens(of: Self.clean, wordsPerDelta: 2))
      }
      return .stream(
        [.role, .delta("# Results\n\n")] + Array(repeating: FakeEvent.delta(Self.row), count: 200)
          + [.wait(gate), .finish("stop"), .done])
    }
    let out = CLI.scratchDirectory() + "/out.jsonl"
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--format", "jsonl", "-o", out, "--stats",
      "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(server.requests.map(\.temperature) == [0.2, 0.3])
    #expect(result.stderr.contains("page 1: loop at 0.2 — reading it again at 0.3"))
    #expect(result.stderr.contains("2nd try (loop at 0.2)"))
    #expect(!result.stderr.contains("kept repeating"))
    let record = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
        as? [String: Any])
    #expect(record["text"] as? String == Self.clean)
    let stats = try #require(record["stats"] as? [String: Any])
    let attempts = try #require(stats["attempts"] as? [[String: Any]])
    #expect(attempts.map { $0["reason"] as? String } == ["loop", nil])
    #expect(attempts.map { $0["temperature"] as? Double } == [0.2, 0.3])
  }

  /// Markdown: the kept read alone in the file, and a comment saying it was a second read.
  @Test func theTranscriptHoldsTheKeptReadWithAComment() async throws {
    let server = try FakeOCRServer { request in
      request.index == 0
        ? .chatStream(deltas: ["cut ", "short"], finishReason: "length")
        : .chatStream(deltas: ["the ", "whole ", "page"])
    }
    let out = CLI.scratchDirectory() + "/out.md"
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "-o", out, "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let text = try String(contentsOfFile: out, encoding: .utf8)
    #expect(
      text == "<!-- page 1 -->\n\nthe whole page\n\n<!-- page 1: 2nd try (cut off at 0.2) -->\n\n")
  }

  @Test func rescueOutOfRangeIsAUsageError() async throws {
    for value in ["0", "9", "-1"] {
      let result = try await CLI.run(["ocr", CLI.asset("sample-scan.png"), "--rescue", value])
      #expect(result.status == 2)
      #expect(result.stderr.contains("--rescue must be between 1 and 8"), "\(result.stderr)")
    }
  }
}

import Foundation
import OCRTestSupport
import Testing

/// `ocrview ocr` against servers that misbehave: what the user sees and what is written.
@Suite struct HostileServerCLITests {
  static let key = "sk-echoed-5150"

  /// Everything a run left behind: stdout, stderr, the output file and the journal folder.
  static func everythingWritten(_ result: CLI.Result, files: [String], state: String) -> String {
    var written = result.stdout + result.stderr
    for file in files { written += (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
    for file in FileManager.default.enumerator(atPath: state)?.allObjects as? [String] ?? [] {
      written += (try? String(contentsOfFile: state + "/" + file, encoding: .utf8)) ?? ""
    }
    return written
  }

  @Test func aKeyTheServerEchoesIsShownAndStoredNowhere() async throws {
    let server = try FakeOCRServer { request in
      let header = request.headers["authorization"] ?? "none"
      return request.index == 0
        ? .stream([.role, .delta("Page one."), .error(code: 500, message: header, type: "x")])
        : .httpError(status: 401, message: "rejected \(header)", type: "auth")
    }
    let scratch = CLI.scratchDirectory()
    let out = scratch + "/out.jsonl"
    let result = try await CLI.run(
      [
        "ocr", CLI.asset("sample.pdf"), "--pages", "1-2", "--format", "jsonl", "-o", out,
        "--stats", "--retries", "0", "--server", server.baseURL,
      ],
      environment: ["OCRVIEW_API_KEY": Self.key, "XDG_STATE_HOME": scratch + "/state"])
    #expect(result.status == 1)
    #expect(server.requests.first?.headers["authorization"] == "Bearer \(Self.key)")
    #expect(result.stderr.contains("page 1: the server reported an error: Bearer ***"))
    #expect(result.stderr.contains("page 2: the server answered HTTP 401: rejected Bearer ***"))
    let written = Self.everythingWritten(result, files: [out], state: scratch + "/state")
    #expect(written.contains("Page one."))
    #expect(!written.contains(Self.key))

    let bench = try await CLI.run(
      [
        "bench", CLI.asset("sample-scan.png"), "--runs", "1", "--retries", "0", "--server",
        server.baseURL,
      ],
      environment: ["OCRVIEW_API_KEY": Self.key])
    #expect(bench.stderr.contains("Bearer ***"), "\(bench.stderr)")
    #expect(!(bench.stdout + bench.stderr).contains(Self.key))
  }

  @Test func aKeyWithALineBreakIsRefusedBeforeAnyRequest() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["never"]) }
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL],
      environment: ["OCRVIEW_API_KEY": "sk-abc\r\nX-Injected: 1"])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "the API key in OCRVIEW_API_KEY contains a line break or another control character"))
    #expect(!result.stderr.contains("sk-abc"))
    #expect(server.allRequests.isEmpty)
  }

  @Test func credentialsInTheServerURLAreShownAndJournaledAsStars() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["Private page."]) }
    let scratch = CLI.scratchDirectory()
    let url = server.baseURL.replacingOccurrences(of: "://", with: "://ann:pa55word@")
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--engine", "server", "--stats", "--server", url],
      environment: ["XDG_STATE_HOME": scratch + "/state"])
    #expect(result.status == 0, "\(result.stderr)")
    let basic = Data("ann:pa55word".utf8).base64EncodedString()
    #expect(server.requests.first?.headers["authorization"] == "Basic \(basic)")
    let shown = server.baseURL.replacingOccurrences(of: "://", with: "://***@")
    #expect(result.stderr.contains("engine: server \(shown)"), "\(result.stderr)")
    let written = Self.everythingWritten(result, files: [], state: scratch + "/state")
    #expect(written.contains("Private page."))
    #expect(!written.contains("pa55word") && !written.contains(basic))
  }

  @Test func terminalControlsFromTheServerNeverReachATerminalRaw() async throws {
    let server = try FakeOCRServer { request in
      request.index % 2 == 0  // page 1 of each of the two runs
        ? .chatStream(deltas: ["Title\u{1B}]0;owned\u{07}\r\n", "body\u{1B}[2J\ttab\u{9B}1m"])
        : .httpError(status: 500, message: "bad\u{1B}[2J\r\nthing\u{07}", type: "x")
    }
    let arguments = [
      "ocr", CLI.asset("sample.pdf"), "--pages", "1-2", "--retries", "0", "--server",
      server.baseURL,
    ]
    // stdout a file: the transcript is the text as sent; stderr: the message is one safe line.
    let piped = try await CLI.run(arguments)
    #expect(piped.status == 1)
    #expect(piped.stdout.contains("Title\u{1B}]0;owned\u{07}\r\nbody\u{1B}[2J\ttab\u{9B}1m"))
    #expect(piped.stderr.contains(#"page 2: the server answered HTTP 500: bad\x1b[2J thing\x07"#))
    #expect(!piped.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })

    // stdout and stderr a terminal (a pseudo-terminal; it turns each "\n" into "\r\n").
    let pty = ["/usr/bin/python3", "-c", "import pty, sys; pty.spawn(sys.argv[1:])"]
    let terminal = try await CLI.run(arguments, prefix: pty)
    let screen = terminal.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    #expect(screen.contains("Title]0;owned\nbody[2J\ttab1m"), "\(screen.debugDescription)")
    #expect(screen.contains(#"bad\x1b[2J thing\x07"#))
    #expect(
      !screen.unicodeScalars.contains {
        ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
      }, "\(screen.debugDescription)")
  }

  @Test func anEndlessLineFailsThePageWithItsTextKept() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
    let server = try FakeOCRServer { _ in
      .stream(
        [.role, .delta("Text before.")] + [.rawBytes(Array("data: ".utf8))]
          + Array(repeating: FakeEvent.rawBytes(junk), count: 48) + [.wait(gate)])
    }
    let out = CLI.scratchDirectory() + "/out.md"
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "-o", out, "--server", server.baseURL,
    ])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains(
        "page 1: the server sent a 1 MiB line without a newline — not an OpenAI-compatible stream?"
      ), "\(result.stderr)")
    #expect(try String(contentsOfFile: out, encoding: .utf8).contains("Text before."))
    #expect(server.requests.count == 1)  // not retried: the server would do it again
  }

  @Test func malformedEventsAreWarnedAboutOnceAndAPageOfNothingElseFails() async throws {
    let server = try FakeOCRServer { request in
      request.index == 0
        ? .stream([
          .role, .delta("Kept"), .malformed("{"), .malformed("{\"choices\""), .delta(" text."),
          .malformed("nope"), .finish("stop"), .done,
        ])
        : .stream([.malformed("{"), .malformed("{"), .done])
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--pages", "1-2", "--format", "jsonl", "--retries", "0",
      "--server", server.baseURL,
    ])
    #expect(result.status == 1)
    #expect(
      result.stderr.components(separatedBy: "page 1: 3 malformed events skipped").count == 2,
      "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "page 2: the server's answer is not an OpenAI chat completion (2 events were not JSON)"))
    let records = result.stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(records.count == 2)
    #expect(records.first?["text"] as? String == "Kept text.")
    #expect((records.first?["stats"] as? [String: Any])?["malformed_events"] as? Int == 3)
    #expect(records.last?["status"] as? String == "failed")
  }

  @Test func aFinishedPageOnAHeldConnectionIsWrittenOnceWithoutRetry() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("Only once."), .finish("stop"), .wait(gate)])
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--idle-timeout", "60", "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.components(separatedBy: "Only once.").count == 2)
    #expect(server.requests.count == 1)
    #expect(!result.stderr.contains("retry"))
  }
}

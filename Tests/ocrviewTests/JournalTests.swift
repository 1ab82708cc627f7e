import Foundation
import OCRTestSupport
import Testing

/// The journal end to end: a real child killed mid-stream, then the same document again.
@Suite struct JournalCLITests {
  static func journalText(_ state: String) -> String {
    let folder = state + "/ocrview/journal"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.map { (try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8)) ?? "" }
      .joined()
  }

  @Test func kill9KeepsEveryDeltaAndTheNextRunReadsOnlyWhatIsMissing() async throws {
    let state = CLI.scratchDirectory() + "/state"
    let environment = ["XDG_STATE_HOME": state]
    let gate = FakeGate()
    defer { gate.open() }
    let first = try FakeOCRServer { request in
      request.index == 0
        ? .stream([.role, .delta("Page one "), .delta("text."), .finish("stop"), .done])
        : .stream([.role, .delta("Partial "), .delta("text"), .wait(gate), .finish("stop"), .done])
    }
    // A token limit given: the journal's identity then leaves out the context the server's
    // `/props` says, which a probe that timed out on a loaded machine once missed (a second
    // journal appeared).
    let arguments = [
      "ocr", CLI.asset("sample.pdf"), "--model", "lightonocr", "--engine", "server",
      "--max-tokens", "1000",
    ]
    let child = try CLI.Child(arguments + ["--server", first.baseURL], environment: environment)
    let received = await pollUntil {
      Self.journalText(state).contains(#""t":"delta","text":"text""#)
    }
    #expect(received, "journal: \(Self.journalText(state))")
    kill(child.process.processIdentifier, SIGKILL)
    #expect(await child.finish().status == SIGKILL)

    let list = try await CLI.run(["journal", "list"], environment: environment)
    #expect(list.stdout.hasPrefix("sample.pdf  1/3 pages (+1 partial)"), "\(list.stdout)")

    let second = try FakeOCRServer(responder: FakeResponder.transcript(["Again."]))
    let resumed = try await CLI.run(
      arguments + ["--server", second.baseURL], environment: environment)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("sample.pdf: 1 page restored from the journal"))
    #expect(
      resumed.stdout
        == "<!-- page 1 -->\n\nPage one text.\n\n<!-- page 2 -->\n\nAgain.\n\n<!-- page 3 -->\n\nAgain.\n\n"
    )
    #expect(second.requests.count == 2)  // pages 2 and 3 only

    let everything = try await CLI.run(
      arguments + ["--server", second.baseURL, "--fresh"], environment: environment)
    #expect(everything.status == 0)
    #expect(!everything.stderr.contains("restored"))
    #expect(second.requests.count == 5)

    let cleared = try await CLI.run(["journal", "clear"], environment: environment)
    #expect(cleared.stdout.hasPrefix("deleted 1 journal "))
    let empty = try await CLI.run(["journal", "list"], environment: environment)
    #expect(empty.stdout.hasPrefix("no journals"))
  }

  @Test func otherSettingsDoNotRestore() async throws {
    let environment = ["XDG_STATE_HOME": CLI.scratchDirectory() + "/state"]
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["Text."]))
    let base = [
      "ocr", CLI.asset("sample-scan.png"), "--model", "m", "--server", server.baseURL,
      "--max-tokens", "1000",  // the identity without the probed context, as above
    ]
    _ = try await CLI.run(base, environment: environment)
    _ = try await CLI.run(base + ["--max-side", "1000"], environment: environment)
    _ = try await CLI.run(base + ["--temperature", "0"], environment: environment)
    #expect(server.requests.count == 3)
    let again = try await CLI.run(base + ["--batch"], environment: environment)
    #expect(again.stderr.contains("1 page restored"))  // the mode does not change the text
    #expect(server.requests.count == 3)
  }
}

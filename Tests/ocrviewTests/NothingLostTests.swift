import Foundation
import OCRTestSupport
import Testing

/// Where received text lives at every moment: the transcript file while the run goes on (every
/// page, as it arrives), the finished transcript at the end, the journal throughout.
@Suite struct NothingLostTests {
  static func read(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
  }

  @Test func kill9WithSeveralPagesInFlightKeepsTheirTextInTheFileAndJournalShowHasIt()
    async throws
  {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer(slots: 2) { request in
      request.index == 0
        ? .stream([.role, .delta("Head page so far."), .wait(gate), .finish("stop")])
        : .stream([.role, .delta("A later page, waiting."), .wait(gate)])
    }
    let state = CLI.scratchDirectory() + "/state"
    let out = CLI.scratchDirectory() + "/out.md"
    let child = try CLI.Child(
      [
        "ocr", CLI.asset("sample.pdf"), "--pages", "1-2", "--concurrency", "2", "-o", out,
        "--server", server.baseURL, "--engine", "server",
      ], environment: ["XDG_STATE_HOME": state])
    // Both in the file, and in the journal (whose writes trail the file's by a queue hop).
    let both = await pollUntil {
      let text = Self.read(out)
      let journal = JournalCLITests.journalText(state)
      return ["so far.", "waiting."].allSatisfy { text.contains($0) && journal.contains($0) }
    }
    #expect(both, "out.md holds: \(Self.read(out))")
    kill(child.process.processIdentifier, SIGKILL)
    #expect(await child.finish().status == SIGKILL)
    let kept = Self.read(out)
    #expect(kept.contains("Head page so far.") && kept.contains("A later page, waiting."))
    #expect(kept.contains("<!-- page 1 -->") && kept.contains("<!-- page 2 -->"))

    let shown = try await CLI.run(
      ["journal", "show", CLI.asset("sample.pdf")], environment: ["XDG_STATE_HOME": state])
    #expect(shown.status == 0, "\(shown.stderr)")
    // Which page got which answer depends on which request reached the server first.
    for text in ["Head page so far.", "A later page, waiting."] {
      let page = kept.contains("<!-- page 1 -->\n\n\(text)") ? 1 : 2
      #expect(
        shown.stdout.contains(
          "<!-- page \(page) -->\n\n\(text)\n\n<!-- page \(page): cancelled -->\n\n"),
        "\(shown.stdout)")
    }
  }

  @Test func pagesInFlightAreEachWholeAndInOrderInTheFinishedFile() async throws {
    let second = FakeGate()
    defer { second.open() }
    // The second request finishes while the first is still going: its text reaches the file
    // first, the finished file has it in its place.
    let server = try FakeOCRServer(slots: 2) { request in
      request.index == 0
        ? .stream([.role, .delta("one "), .wait(second), .delta("done"), .finish("stop"), .done])
        : .stream([.role, .delta("other page"), .finish("stop"), .done])
    }
    let out = CLI.scratchDirectory() + "/out.txt"
    let child = try CLI.Child([
      "ocr", CLI.asset("sample.pdf"), "--pages", "1-2", "--concurrency", "2", "-o", out,
      "--format", "txt", "--server", server.baseURL, "--engine", "server",
    ])
    #expect(await pollUntil { Self.read(out).contains("other page") }, "\(Self.read(out))")
    second.open()
    let result = await child.finish()
    #expect(result.status == 0, "\(result.stderr)")
    let finished = Self.read(out)
    #expect(
      finished == "one done\n\u{0C}other page\n" || finished == "other page\n\u{0C}one done\n")
    #expect(result.stdout == "")
  }

  @Test func aRetriedPageIsInTheFinishedFileOnceInEveryFormat() async throws {
    for format in ["md", "txt"] {
      let server = try FakeOCRServer { request in
        request.index == 0
          ? .stream([.role, .delta("first try"), .drop]) : .chatStream(deltas: ["the whole page"])
      }
      let out = CLI.scratchDirectory() + "/out.\(format)"
      let result = try await CLI.run([
        "ocr", CLI.asset("sample-scan.png"), "-o", out, "--format", format, "--retry-delay",
        "0.05", "--server", server.baseURL,
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let clean = format == "md" ? "<!-- page 1 -->\n\nthe whole page\n\n" : "the whole page\n"
      #expect(Self.read(out) == clean)
      #expect(result.stdout == "")
    }
  }

  @Test func anOutputThatIsAnInputIsRefusedAndTheInputIsUntouched() async throws {
    let folder = CLI.scratchDirectory()
    let input = folder + "/d.pdf"
    try FileManager.default.copyItem(atPath: CLI.asset("sample.pdf"), toPath: input)
    let original = try Data(contentsOf: URL(fileURLWithPath: input))
    try FileManager.default.linkItem(atPath: input, toPath: folder + "/hard.pdf")
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/sym.pdf", withDestinationPath: input)
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["unused"]) }
    for output in [input, folder + "/hard.pdf", folder + "/sym.pdf", "/proc/self/fd/0"] {
      // The child's stdin is the input, so /proc/self/fd/0 names it.
      let result = try await CLI.run(
        ["ocr", input, "-o", output, "--overwrite", "--server", server.baseURL],
        prefix: [
          "/bin/sh", "-c",
          #"exec "$0" "$@" < "$1""#.replacingOccurrences(
            of: "$1", with: input),
        ])
      #expect(result.status == 2, "\(output): \(result.stderr)")
      #expect(result.stderr.contains("\(output) is the input \(input)"), "\(result.stderr)")
      #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == original)
    }
    #expect(server.requests.isEmpty)
  }

  @Test func anInputErrorLeavesNoOutputFileToBlockTheNextRun() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["text"]) }
    let out = CLI.scratchDirectory() + "/out.md"
    let mistyped = try await CLI.run([
      "ocr", "/nonexistent/scan.png", "-o", out, "--server", server.baseURL,
    ])
    #expect(mistyped.status == 2)
    #expect(!FileManager.default.fileExists(atPath: out))
    let corrected = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "-o", out, "--server", server.baseURL,
    ])
    #expect(corrected.status == 0, "\(corrected.stderr)")
    #expect(Self.read(out) == "<!-- page 1 -->\n\ntext\n\n")
  }
}

import Foundation
import OCRTestSupport
import Testing

/// The viewer in a real terminal (tmux), against the fake llama-server, as a person uses it.
@Suite(.serialized) struct TUIEndToEndTests {
  static let pages = OCRCommandTests.pages

  @Test func pickStreamToggleRerunCompareSaveAndQuit() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let firstPage = Self.pages[0]
    let transcript = FakeResponder.transcript(
      Self.pages, wordsPerDelta: 4, between: .milliseconds(2))
    let server = try FakeOCRServer { request in
      // The first request (page 1, stream) pauses mid-page until the test has seen its text.
      // (It still goes through the transcript responder, which maps images to pages.)
      let normal = transcript(request)
      guard request.index == 0 else { return normal }
      let head = String(firstPage.prefix(23))
      return .stream([
        .role, .delta(head), .wait(gate), .delta(String(firstPage.dropFirst(23))), .finish("stop"),
        .done,
      ])
    }
    let folder = CLI.scratchDirectory()
    try FileManager.default.copyItem(
      atPath: CLI.asset("sample.pdf"), toPath: folder + "/sample.pdf")
    let command =
      [CLI.binary, folder, "--server", server.baseURL, "--concurrency", "1"].map(Tmux.quote).joined(
        separator: " ")
      + "; echo \"exit:$?\" > status; stty -a > stty"
    let tmux = try Tmux(command, width: 100, height: 30)

    // The picker lists the folder; open the PDF.
    #expect(await tmux.waitFor("sample.pdf"), "\(tmux.screen)")
    #expect(tmux.screen.contains("3 pages"))
    try await tmux.sendKeys("j", "Enter")

    // Page 1's first words are on screen while the page is still streaming.
    #expect(await tmux.waitFor("Page 1 — streaming"), "\(tmux.screen)")
    #expect(await tmux.waitFor("# ocrview sample docume"), "\(tmux.screen)")
    #expect(tmux.screen.contains(" STREAM "))
    gate.open()
    #expect(await tmux.waitFor("3/3 done"), "\(tmux.screen)")

    // Batch mode, re-run page 1: it is measured in both modes.
    try await tmux.sendKeys("m")
    #expect(await tmux.waitFor(" BATCH "))
    try await tmux.sendKeys("r")
    #expect(await tmux.waitFor("Page 1 — done (batch)"), "\(tmux.screen)")
    #expect(server.requests.last?.isStream == false)
    try await tmux.sendKeys("t")
    #expect(await tmux.waitFor("stream TTFT"), "\(tmux.screen)")
    #expect(
      await tmux.waitUntil { $0.contains { $0.contains("│ 1 ") && $0.contains(" ms") } },
      "\(tmux.screen)")
    #expect(tmux.screen.contains("sooner in stream mode"))
    try await tmux.sendKeys("Escape")

    // Save: the transcript lands next to the document.
    try await tmux.sendKeys("s")
    #expect(await tmux.waitFor("saved \(folder)/sample.ocr.md"), "\(tmux.screen)")
    let saved = try String(contentsOfFile: folder + "/sample.ocr.md", encoding: .utf8)
    #expect(saved.hasPrefix("<!-- page 1 -->\n\n" + firstPage))
    #expect(saved.contains("<!-- page 3 -->\n\n" + Self.pages[2]))

    // Quit: the terminal is back to normal.
    try await tmux.sendKeys("q")
    let exited = await pollUntil {
      (try? String(contentsOfFile: tmux.directory + "/status", encoding: .utf8)) == "exit:0\n"
    }
    #expect(exited, "\(tmux.screen)")
    // stty writes its report after ocrview exits: wait for all of it, not just the file.
    _ = await pollUntil {
      ((try? String(contentsOfFile: tmux.directory + "/stty", encoding: .utf8)) ?? "").contains(
        "icanon")
    }
    let stty = (try? String(contentsOfFile: tmux.directory + "/stty", encoding: .utf8)) ?? ""
    #expect(stty.contains(" echo ") && stty.contains(" icanon "), "\(stty)")
    #expect(!tmux.screen.contains("ocrview sample.pdf"))
  }

  /// However a signal ends the viewer, the terminal is restored (read back with `stty` after
  /// it exits): Ctrl-C (a key in raw mode) quits with 0; SIGTERM, SIGHUP and SIGINT exit 128 +
  /// their number; SIGUSR1 and SIGALRM end it by their default action once the terminal is
  /// back (the shell says 128 + the number too); SIGPIPE is ignored.
  @Test func signalsRestoreTheTerminalAndSayWhichEndedTheViewer() async throws {
    let stops: [(stop: String, signal: Int32?, status: String)] = [
      ("C-c", nil, "exit:0"), ("TERM", SIGTERM, "exit:143"), ("HUP", SIGHUP, "exit:129"),
      ("INT", SIGINT, "exit:130"), ("USR1", SIGUSR1, "exit:138"), ("ALRM", SIGALRM, "exit:142"),
      ("PIPE", SIGPIPE, "exit:0"),
    ]
    for (stop, signal, status) in stops {
      let folder = CLI.scratchDirectory()
      let command =
        [CLI.binary, folder, "--engine", "server", "--server", "http://127.0.0.1:9"].map(Tmux.quote)
        .joined(separator: " ")
        + "; echo \"exit:$?\" > status; stty -a > stty"
      let tmux = try Tmux(command, width: 80, height: 24, term: "vt100")
      #expect(await tmux.waitFor("open a file"), "\(stop): \(tmux.screen)")
      if let signal {
        // The pane runs shells; ocrview is a descendant.
        let pid = try #require(
          descendant(named: "ocrview", of: pid_t(tmux.display("#{pane_pid}"))!))
        kill(pid, signal)
      } else {
        try await tmux.sendKeys(stop)
      }
      // Still there, and `q` quits it.
      if signal == SIGPIPE { try await tmux.sendKeys("q") }
      // Wait for the whole stty report, not just the file (it is written after ocrview exits).
      let exited = await pollUntil {
        ((try? String(contentsOfFile: tmux.directory + "/stty", encoding: .utf8)) ?? "").contains(
          "icanon")
      }
      #expect(exited, "\(stop): \(tmux.screen)")
      let stty = (try? String(contentsOfFile: tmux.directory + "/stty", encoding: .utf8)) ?? ""
      #expect(stty.contains(" echo ") && stty.contains(" icanon "), "\(stop): \(stty)")
      let said = (try? String(contentsOfFile: tmux.directory + "/status", encoding: .utf8)) ?? ""
      #expect(said == status + "\n", "\(stop)")
    }
  }

  /// The viewer takes `--page-timeout` too: a stream of keep-alives alone fails the page, its
  /// text kept.
  @Test func aPageWhoseStreamHasNoEndFailsAtThePageTimeout() async throws {
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("Kept so far."), .keepAlive(every: .milliseconds(100))])
    }
    let tmux = try Tmux(
      ocrview: [
        CLI.asset("sample-scan.png"), "--engine", "server", "--server", server.baseURL,
        "--page-timeout", "3", "--retries", "0",
      ], width: 160, height: 30)
    #expect(await tmux.waitFor("no end after 3 s (--page-timeout)"), "\(tmux.screen)")
    #expect(tmux.screen.contains("Kept so far."))
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func withNoServerTheBuiltInEngineFillsThePage() async throws {
    let tmux = try Tmux(
      ocrview: [CLI.asset("sample-scan.png")], width: 120, height: 30,
      environment: ["OCRVIEW_SERVER": "http://127.0.0.1:9"])
    #expect(await tmux.waitFor("Page 1 — done (stream)"), "\(tmux.screen)")
    #expect(tmux.screen.contains("Memo: streaming OCR for the archive"))
    #expect(tmux.screen.contains("no server at http://127.0.0.1:9 — using built-in Tesseract"))
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func anEncryptedPDFAsksForItsPasswordUntilItIsRight() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["Unlocked text."]))
    let tmux = try Tmux(
      ocrview: [CLI.fixture("encrypted.pdf"), "--engine", "server", "--server", server.baseURL],
      width: 100, height: 30)
    #expect(await tmux.waitFor("encrypted.pdf is an encrypted PDF."), "\(tmux.screen)")
    try await tmux.type("nope")
    #expect(await tmux.waitFor("password: ••••"), "\(tmux.screen)")
    #expect(!tmux.screen.contains("nope"))
    try await tmux.sendKeys("Enter")
    #expect(await tmux.waitFor("Wrong password for encrypted.pdf — try again."), "\(tmux.screen)")
    try await tmux.type("secret")
    try await tmux.sendKeys("Enter")
    #expect(await tmux.waitFor("Unlocked text."), "\(tmux.screen)")
    #expect(!tmux.screen.contains("secret"))
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func reopeningADocumentRestoresItFromTheJournalAndRRereadsIt() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["Journaled text."]))
    let state = CLI.scratchDirectory() + "/state"
    let arguments = [
      CLI.asset("sample-scan.png"), "--engine", "server", "--server", server.baseURL, "--model",
      "m",
    ]
    let first = try Tmux(
      ocrview: arguments, width: 100, height: 30, environment: ["XDG_STATE_HOME": state])
    #expect(await first.waitFor("Journaled text."), "\(first.screen)")
    #expect(await first.waitFor("1/1 done"), "\(first.screen)")
    try await first.sendKeys("q")
    #expect(await first.waitForExit() == 0)

    let second = try Tmux(
      ocrview: arguments, width: 100, height: 30, environment: ["XDG_STATE_HOME": state])
    #expect(await second.waitFor("restored from the journal"), "\(second.screen)")
    #expect(second.screen.contains("Journaled text."))
    #expect(server.requests.count == 1)
    // R asks before it voids the journal.
    try await second.sendKeys("R")
    #expect(await second.waitFor("Read all 1 page again?"), "\(second.screen)")
    #expect(server.requests.count == 1)
    try await second.sendKeys("y")
    #expect(await pollUntil { server.requests.count == 2 })
    #expect(await second.waitFor("Page 1 — done (stream)"), "\(second.screen)")
    try await second.sendKeys("q")
    #expect(await second.waitForExit() == 0)
  }

  @Test func tooSmallThenResized() async throws {
    let folder = CLI.scratchDirectory()
    let tmux = try Tmux(
      ocrview: [folder, "--engine", "server", "--server", "http://127.0.0.1:9"], width: 50,
      height: 12)
    #expect(await tmux.waitFor("terminal too small"), "\(tmux.screen)")
    try await tmux.resize(width: 100, height: 30)
    #expect(await tmux.waitFor("open a file"), "\(tmux.screen)")
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  /// The first process named `name` below `parent` (depth first), from /proc.
  func descendant(named name: String, of parent: pid_t) -> pid_t? {
    let children =
      (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8))
      ?? ""
    for child in children.split(separator: " ").compactMap({ pid_t($0) }) {
      let comm = (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) ?? ""
      if comm.trimmingCharacters(in: .whitespacesAndNewlines) == name { return child }
      if let found = descendant(named: name, of: child) { return found }
    }
    return nil
  }
}

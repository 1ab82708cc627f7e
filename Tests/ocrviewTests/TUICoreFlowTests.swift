import Foundation
import OCRTestSupport
import Testing

/// The viewer's core flow in a real terminal (tmux): the mode toggle reaching the running
/// document, the picker's filter, and start-up against a server that does not answer.
@Suite struct TUICoreFlowTests {
  @Test func mSwitchesThePagesOfTheRunningDocumentBothWays() async throws {
    let folder = CLI.scratchDirectory()
    let path = folder + "/eight.pdf"
    SyntheticPDF.write(pages: 8, to: path)
    let (streaming, batching) = (FakeGate(), FakeGate())
    defer {
      streaming.open()
      batching.open()
    }
    let server = try FakeOCRServer(slots: 2) { request in
      let text = "Text of request \(request.index)."
      // Pages 1–2 stream until the test has pressed m; pages 3–4 (batch) wait until it
      // pressed m again.
      if request.index < 2 {
        return .stream([
          .role, .delta("Text of "), .wait(streaming), .delta(String(text.dropFirst(8))),
          .finish("stop"), .done,
        ])
      }
      guard request.isStream else {
        var response = FakeResponse.chatBatch(text: text)
        if request.index < 4 { response.beforeHead.insert(.wait(batching), at: 0) }
        return response
      }
      return .chatStream(deltas: FakeResponse.tokens(of: text, wordsPerDelta: 1))
    }
    let tmux = try Tmux(
      ocrview: [path, "--engine", "server", "--server", server.baseURL], width: 100, height: 30)
    #expect(await tmux.waitFor("Page 1 — streaming"), "\(tmux.screen)")
    #expect(await pollUntil { server.requests.count == 2 })
    try await tmux.sendKeys("m")
    #expect(await tmux.waitFor(" BATCH "), "\(tmux.screen)")
    streaming.open()
    // The pages that start now go in batch mode, without a new run.
    #expect(await pollUntil { server.requests.count == 4 }, "\(tmux.screen)")
    #expect(await tmux.waitFor("  3 batch"), "\(tmux.screen)")
    try await tmux.sendKeys("m")
    #expect(await tmux.waitFor(" STREAM "), "\(tmux.screen)")
    batching.open()
    #expect(await tmux.waitFor("8/8 done"), "\(tmux.screen)")
    #expect(server.requests.map(\.isStream) == [true, true, false, false, true, true, true, true])
    let rows = tmux.capture()
    for (page, mode) in [(1, "stream"), (3, "batch"), (4, "batch"), (5, "stream"), (8, "stream")] {
      #expect(rows.contains { $0.contains("  \(page) \(mode)") }, "page \(page): \(tmux.screen)")
    }
    // A batch page's TTFT is its E2E: the row shows one time twice, in one form ("3.20 s" or,
    // past what the E2E column holds, "13.7s" — a loaded machine once took 13.65 s).
    let row3 = rows.first { $0.contains("  3 batch") } ?? ""
    let times =
      row3.split(separator: "│")[0].split(separator: "batch").last?
      .split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty } ?? []
    #expect(times.count == 2 && times.first == times.last, "\(row3)")
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func slashANameAndEnterOpensThatFile() async throws {
    let folder = CLI.scratchDirectory()
    try FileManager.default.createDirectory(
      atPath: folder + "/archive", withIntermediateDirectories: true)
    SyntheticPDF.write(pages: 1, to: folder + "/notes.pdf")
    SyntheticPDF.write(pages: 2, to: folder + "/report.pdf")
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["Report text."]) }
    let tmux = try Tmux(
      ocrview: [folder, "--engine", "server", "--server", server.baseURL], width: 100, height: 30)
    #expect(await tmux.waitFor("report.pdf"), "\(tmux.screen)")
    try await tmux.type("/report")
    try await tmux.sendKeys("Enter")
    #expect(await tmux.waitFor("report.pdf — 2 pages"), "\(tmux.screen)")
    #expect(await tmux.waitFor("Report text."), "\(tmux.screen)")
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func vShowsThePageInBlockCharactersBesideTheText() async throws {
    let server = try FakeOCRServer(
      responder: FakeResponder.transcript(
        FakeResponder.pages(
          fromTranscript: try String(
            contentsOfFile: CLI.asset("sample.expected.md"), encoding: .utf8))))
    let tmux = try Tmux(
      ocrview: [CLI.asset("sample.pdf"), "--engine", "server", "--server", server.baseURL],
      width: 120, height: 40)
    #expect(await tmux.waitFor("3/3 done"), "\(tmux.screen)")
    let blocks = Set("▀▄█▌▐▖▗▘▝▙▛▜▟▚▞")
    for (width, height) in [(120, 40), (80, 24)] {
      try await tmux.resize(width: width, height: height)
      try await tmux.sendKeys("v")
      #expect(await tmux.waitFor("Page 1 image — fit"), "\(tmux.screen)")
      // Block symbols left of the text, which is still there.
      let drawn = await tmux.waitUntil { rows in
        rows.contains { row in row.prefix(width / 2).contains { blocks.contains($0) } }
          && rows.contains { $0.contains("# ocrview sample document") || $0.contains("ocrview") }
      }
      #expect(drawn, "\(width)×\(height): \(tmux.screen)")
      #expect(tmux.screen.contains("Page 1 — done (stream)"), "\(tmux.screen)")
      try await tmux.sendKeys("v", "v")  // page alone, then text only again
      #expect(await tmux.waitUntil { !$0.joined().contains("image — fit") }, "\(tmux.screen)")
    }
    // M on the table page: a box-drawn grid instead of pipes.
    try await tmux.sendKeys("j", "M")
    #expect(await tmux.waitFor("│ Page │ Mode"), "\(tmux.screen)")
    #expect(tmux.screen.contains("┌") && tmux.screen.contains("┘") && !tmux.screen.contains("|---"))
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func withKittyGraphicsThePageGoesOutAsOneImageCommand() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["Page text."]))
    let command =
      "while [ ! -e go ]; do sleep 0.02; done; exec "
      + [
        CLI.binary, CLI.asset("sample-scan.png"), "--engine", "server", "--server",
        server.baseURL, "--graphics", "kitty",
      ].map(Tmux.quote).joined(separator: " ")
    let tmux = try Tmux(command, width: 100, height: 30)
    try tmux.recordOutput(to: "drawn")
    FileManager.default.createFile(atPath: tmux.directory + "/go", contents: nil)
    #expect(await tmux.waitFor("1/1 done"), "\(tmux.screen)")
    try await tmux.sendKeys("v")
    // The image is written once, as kitty's graphics command, after the frame that leaves its
    // cells blank; going back to text deletes it.
    #expect(await pollUntil { tmux.file("drawn").contains("\u{1B}_G") }, "\(tmux.screen)")
    #expect(!tmux.screen.contains("▀") && !tmux.screen.contains("▄"))
    try await tmux.sendKeys("v", "v")
    #expect(await pollUntil { tmux.file("drawn").contains("\u{1B}_Ga=d") })
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func slashFindsAWordAndNMovesAcrossPagesAndYCopiesThePage() async throws {
    let pages = FakeResponder.pages(
      fromTranscript: try String(contentsOfFile: CLI.asset("sample.expected.md"), encoding: .utf8))
    let server = try FakeOCRServer(responder: FakeResponder.transcript(pages))
    let tmux = try Tmux(
      ocrview: [CLI.asset("sample.pdf"), "--engine", "server", "--server", server.baseURL],
      width: 100, height: 30)
    #expect(await tmux.waitFor("3/3 done"), "\(tmux.screen)")
    try await tmux.sendKeys("/")
    try await tmux.type("mode")
    try await tmux.sendKeys("Enter")
    #expect(await tmux.waitFor("match 1/"), "\(tmux.screen)")
    #expect(tmux.screen.contains("Page 1 — done"))
    var turned = false
    for next in 2...12 where !turned {
      try await tmux.sendKeys("n")
      #expect(await tmux.waitFor("match \(next)/"), "\(tmux.screen)")
      turned = tmux.screen.contains("Page 2 — done")
    }
    #expect(turned, "n never reached page 2: \(tmux.screen)")
    // y puts the page's text on the clipboard, which tmux keeps as its paste buffer.
    try await tmux.sendKeys("y")
    #expect(await tmux.waitFor("to the clipboard"), "\(tmux.screen)")
    let copied = await tmux.pasteBuffer()
    #expect(copied == pages[1], "\(copied)")
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func aServerThatDoesNotAnswerStillGetsTheFirstFrameAtOnce() async throws {
    let silent = try SilentListener()
    let command =
      "while [ ! -e go ]; do sleep 0.02; done; exec "
      + [CLI.binary, CLI.asset("sample.pdf"), "--engine", "server", "--server", silent.url].map(
        Tmux.quote
      ).joined(separator: " ")
    let tmux = try Tmux(command, width: 100, height: 30)
    // Everything ocrview draws is recorded from its first byte (it starts once this is set up),
    // so the order of frames is checked, not how long one stayed on screen.
    try tmux.recordOutput(to: "drawn")
    FileManager.default.createFile(atPath: tmux.directory + "/go", contents: nil)
    #expect(await tmux.waitFor("Page 1 — waiting"), "\(tmux.screen)")
    let drawn = tmux.file("drawn")
    let probing = try #require(drawn.range(of: "probing…"), "\(drawn.suffix(2000))")
    let probed = try #require(drawn.range(of: "server \(silent.url)"))
    // The first frame came while the probe for the slots still waited on a server that never
    // answers (it gives up after a second). (That the document opens meanwhile is tested without
    // a terminal, in RuntimeTests, where no clock decides it.)
    #expect(probing.lowerBound < probed.lowerBound)
    try await tmux.sendKeys("q")
    #expect(await tmux.waitFor("1 page is still running."), "\(tmux.screen)")
    try await tmux.sendKeys("y")
    #expect(await tmux.waitForExit() == 0)
  }
}

/// A loopback port that accepts connections (the kernel completes them) but never answers.
final class SilentListener {
  let fd: Int32
  let url: String

  init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(fd, pointer, length) == 0 && listen(fd, 16) == 0
          && getsockname(fd, pointer, &length) == 0
      }
    }
    guard bound else {
      close(fd)
      throw CocoaError(.fileWriteUnknown)
    }
    self.fd = fd
    url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
  }

  deinit { close(fd) }
}

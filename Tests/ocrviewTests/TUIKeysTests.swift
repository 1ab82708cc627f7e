import Foundation
import OCRTestSupport
import Testing

/// Keys of issue 27 in a real terminal (tmux), against the fake llama-server, as a person
/// presses them.
@Suite struct TUIKeysTests {
  static let pages = OCRCommandTests.pages

  @Test func sMidRunSavesThePagesReadAndSaysTheFileIsPartial() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let transcript = FakeResponder.transcript(Self.pages)
    let server = try FakeOCRServer { request in
      // Page 2 (the second request, one at a time) stops half-way until the test has saved.
      let normal = transcript(request)
      guard request.index == 1 else { return normal }
      return .stream([
        .role, .delta("Half of page 2"), .wait(gate), .delta(" and the rest."), .finish("stop"),
        .done,
      ])
    }
    let folder = CLI.scratchDirectory()
    try FileManager.default.copyItem(
      atPath: CLI.asset("sample.pdf"), toPath: folder + "/sample.pdf")
    let tmux = try Tmux(
      ocrview: [folder + "/sample.pdf", "--server", server.baseURL, "--concurrency", "1"],
      width: 200, height: 30)
    #expect(await tmux.waitFor("1/3 done"), "\(tmux.screen)")
    try await tmux.sendKeys("s")
    let file = folder + "/sample.ocr.md"
    #expect(
      await tmux.waitFor("saved 1 of 3 pages (2–3 not read yet) to \(file)"), "\(tmux.screen)")
    let saved = try String(contentsOfFile: file, encoding: .utf8)
    #expect(
      saved == "<!-- page 1 -->\n\n\(Self.pages[0])\n\n"
        + "<!-- not read yet when saved: pages 2–3 of 3 -->\n", "\(saved)")
    // Again, nothing changed: no second file, and it says where the first one is.
    try await tmux.sendKeys("s")
    #expect(await tmux.waitFor("already saved as \(file)"), "\(tmux.screen)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/sample.ocr-2.md"))
    gate.open()
    #expect(await tmux.waitFor("3/3 done"), "\(tmux.screen)")
    try await tmux.sendKeys("s")
    #expect(await tmux.waitFor("saved \(folder)/sample.ocr-2.md"), "\(tmux.screen)")
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }

  @Test func oneEnterOpensAFilteredFolderAndEscComesBackToTheDocument() async throws {
    let folder = CLI.scratchDirectory()
    try FileManager.default.createDirectory(
      atPath: folder + "/reports", withIntermediateDirectories: true)
    SyntheticPDF.write(pages: 1, to: folder + "/reports/q3.pdf")
    SyntheticPDF.write(pages: 1, to: folder + "/notes.pdf")
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["Quarter text."]) }
    let tmux = try Tmux(
      ocrview: [folder, "--engine", "server", "--server", server.baseURL], width: 100, height: 30)
    #expect(await tmux.waitFor("reports/"), "\(tmux.screen)")
    try await tmux.type("/rep")
    try await tmux.sendKeys("Enter")
    // In the folder at once: its file listed, the one beside it gone.
    #expect(
      await tmux.waitUntil { lines in
        lines.contains { $0.contains("q3.pdf") } && !lines.contains { $0.contains("notes.pdf") }
      }, "\(tmux.screen)")
    try await tmux.sendKeys("j", "Enter")
    #expect(await tmux.waitFor("Quarter text."), "\(tmux.screen)")
    // Esc: the picker's cursor is on the open document, so Enter goes back to it.
    try await tmux.sendKeys("Escape")
    #expect(await tmux.waitFor("open a file"), "\(tmux.screen)")
    try await tmux.sendKeys("Enter")
    #expect(await tmux.waitFor("q3.pdf — 1 page"), "\(tmux.screen)")
    #expect(server.requests.count == 1, "not read again")
    #expect(try await tmux.quit() == 0, "\(tmux.screen)")
  }
}

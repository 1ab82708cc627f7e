import Foundation
import OCRTestSupport
import Testing

/// What a person sees in a real terminal (tmux): the page image of a page of bars drawn
/// straight without colour, and a server outage shown, then `F` reading the failed pages again.
@Suite(.serialized) struct TUISeenTests {
  /// The column where each image row's left bar begins: the first cell that is not the paper
  /// glyph after the paper starts, in the rows of the image pane that show paper.
  static func leftBarColumns(_ lines: [String], paper: Character) -> [Int] {
    lines.compactMap { line -> Int? in
      let cells = Array(line)
      guard let bar = cells.firstIndex(of: "│"), let start = cells[bar...].firstIndex(of: paper)
      else { return nil }
      // A row that is mostly ink is a horizontal bar: it has no left bar of its own.
      let row = cells[start...]
      guard row.filter({ $0 == paper }).count * 2 > row.count else { return nil }
      return row.firstIndex { $0 != paper }
    }
  }

  /// The report: with NO_COLOR, `v` filled the pane with `█`, and at 100×24 the bars of a
  /// 1001-px-wide page were drawn as diagonals.
  @Test func aPageOfBarsIsStraightWithoutColour() async throws {
    let folder = CLI.scratchDirectory()
    let page = GeometryPage.bars(width: 1001, height: 1400)
    try Data(page.png()).write(to: URL(fileURLWithPath: folder + "/bars.png"))
    let command =
      "NO_COLOR=1 XDG_STATE_HOME=\(Tmux.quote(folder)) "
      + [CLI.binary, folder + "/bars.png", "--engine", "tesseract"].map(Tmux.quote).joined(
        separator: " ")
    let tmux = try Tmux(command, width: 100, height: 24)
    #expect(await tmux.waitFor("1/1 done"), "\(tmux.screen)")
    try await tmux.sendKeys("v")
    #expect(await tmux.waitFor("█"), "\(tmux.screen)")
    let lines = tmux.capture()
    let columns = Self.leftBarColumns(Array(lines.dropFirst(2).dropLast(2)), paper: "█")
    // Every row of paper shows the left bar, in the same column.
    #expect(columns.count >= 12, "\(tmux.screen)")
    #expect(Set(columns).count == 1, "\(columns)\n\(tmux.screen)")
    try await tmux.sendKeys("q")
  }

  @Test func anOutageIsShownAndFReadsTheFailedPagesAgain() async throws {
    let serverBack = FakeGate()
    let pages = OCRCommandTests.pages
    let transcript = FakeResponder.transcript(pages, wordsPerDelta: 4)
    let server = try FakeOCRServer { request in
      serverBack.isOpen
        ? transcript(request)
        : .httpError(status: 500, message: "the model crashed", type: "server_error")
    }
    let folder = CLI.scratchDirectory()
    let command =
      "XDG_STATE_HOME=\(Tmux.quote(folder)) "
      + [
        CLI.binary, CLI.asset("sample.pdf"), "--server", server.baseURL, "--retries", "0",
        "--concurrency", "1",
      ].map(Tmux.quote).joined(separator: " ")
    let tmux = try Tmux(command, width: 100, height: 24)
    // Every screen line that matters says so: the header, the stats bar, the page.
    #expect(await tmux.waitFor("3 failed (F)"), "\(tmux.screen)")
    let header = tmux.capture().first ?? ""
    #expect(header.contains("⚠ the server answered HTTP 500"), "\(header)")
    #expect(tmux.screen.contains("the model crashed — F reads the"), "\(tmux.screen)")
    serverBack.open()
    try await tmux.sendKeys("F")
    #expect(await tmux.waitFor("3/3 done"), "\(tmux.screen)")
    #expect(!(tmux.capture().first ?? "").contains("⚠"), "\(tmux.screen)")
    try await tmux.sendKeys("q")
  }
}

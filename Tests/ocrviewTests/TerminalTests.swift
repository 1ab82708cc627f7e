import CNcurses
import Foundation
import OCRViewUI
import Testing

@testable import ocrview

// The unit suites sit inside `TerminalTests`, so `swift test --filter TerminalTests` runs them too.
extension TerminalTests {
  @Suite struct KeyDecoding {
    private func character(_ code: UInt32) -> Key? { KeyDecoder.key(status: OK, code: code) }
    private func function(_ code: Int32) -> Key? {
      KeyDecoder.key(status: KEY_CODE_YES, code: UInt32(code))
    }

    @Test func printableCharactersIncludingWideOnes() {
      #expect(character(0x78) == .character("x"))
      #expect(character(0x20) == .character(" "))
      #expect(character(0x7E) == .character("~"))
      #expect(character(0xD55C) == .character("한"))
      #expect(character(0x1F600) == .character("😀"))
      #expect(character(0xE9) == .character("é"))
    }

    @Test func controlKeys() {
      #expect(character(3) == .control("c"))
      #expect(character(1) == .control("a"))
      #expect(character(26) == .control("z"))
      #expect(character(12) == .control("l"))
      #expect(character(9) == .tab)
      #expect(character(10) == .enter)
      #expect(character(13) == .enter)
      #expect(character(27) == .escape)
      #expect(character(127) == .backspace)
      #expect(character(8) == .backspace)
      #expect(character(28) == .control("\\"))
      #expect(character(31) == .control("_"))
    }

    @Test func undrawableCodesAreNoKey() {
      #expect(character(0) == nil)
      #expect(character(0x85) == nil)  // C1 control
      #expect(character(0xD800) == nil)  // a surrogate is no scalar
      #expect(character(0x110000) == nil)
    }

    @Test func functionKeys() {
      #expect(function(KEY_UP) == .up)
      #expect(function(KEY_DOWN) == .down)
      #expect(function(KEY_LEFT) == .left)
      #expect(function(KEY_RIGHT) == .right)
      #expect(function(KEY_PPAGE) == .pageUp)
      #expect(function(KEY_NPAGE) == .pageDown)
      #expect(function(KEY_HOME) == .home)
      #expect(function(KEY_END) == .end)
      #expect(function(KEY_BTAB) == .backTab)
      #expect(function(KEY_DC) == .delete)
      #expect(function(KEY_BACKSPACE) == .backspace)
      #expect(function(KEY_ENTER) == .enter)
    }

    @Test func keypadAndFindSelectVariants() {
      #expect(function(KEY_FIND) == .home)  // "\e[1~" in xterm's terminfo
      #expect(function(KEY_SELECT) == .end)  // "\e[4~"
      #expect(function(KEY_A1) == .home)
      #expect(function(KEY_C1) == .end)
      #expect(function(KEY_A3) == .pageUp)
      #expect(function(KEY_C3) == .pageDown)
    }

    @Test func resizeUnknownKeysAndNoInputAreNoKey() {
      #expect(function(KEY_RESIZE) == nil)
      #expect(function(KEY_F0 + 1) == nil)
      #expect(function(KEY_MAX + 1) == nil)  // an extended capability, e.g. kUP5
      #expect(KeyDecoder.key(status: ERR, code: 0x78) == nil)
      // The same number means a character with OK and a key code with KEY_CODE_YES.
      #expect(KeyDecoder.key(status: OK, code: UInt32(KEY_UP)) == .character("ă"))
    }
  }

  @Suite struct Wakers {
    private func readable(_ waker: Waker) -> Bool {
      var descriptor = pollfd(fd: waker.fd, events: Int16(POLLIN), revents: 0)
      return poll(&descriptor, 1, 0) == 1
    }

    @Test func pokesFromManyThreadsCoalesceIntoOneWakeUp() async throws {
      let waker = try Waker()
      #expect(!readable(waker))
      await withTaskGroup(of: Void.self) { group in
        for _ in 0..<8 { group.addTask { for _ in 0..<1000 { waker.poke() } } }
      }
      #expect(readable(waker))
      waker.drain()
      #expect(!readable(waker))
      waker.poke()
      #expect(readable(waker))
    }
  }

}

/// The terminal adapter end to end: `ocrview term-selftest` in tmux, at every supported TERM.
@Suite struct TerminalTests {
  static let terms = ["xterm-256color", "screen-256color", "linux", "vt100"]

  /// The self-test's screen, as it must look at 80×24 before any key.
  static func expectedTop(width: Int = 80) -> [String] {
    [
      "ocrview terminal self-test  colors: ",
      "ASCII: The quick brown fox jumps over the lazy dog",
      "Korean: 한국어 텍스트         |",
      "Combining: cafe\u{301}               |",
      String(repeating: ".", count: width - 3) + "가",
      "bold dim reverse underline red on blue",
      "flip: 가나다라|",
    ]
  }

  private func start(
    term: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]
  )
    async throws -> Tmux
  {
    let tmux = try Tmux(
      ocrview: ["term-selftest"], width: width, height: height, term: term,
      environment: environment)
    // The first frame may reach the screen in several writes: wait for its last row too.
    let ready = await tmux.waitUntil { lines in
      lines.contains("key: none") && lines.count == height
        && lines[height - 1].hasPrefix(" q quits")
        && (lines[height - 1].hasSuffix("끝") || lines[height - 1].hasSuffix("?"))
    }
    #expect(ready, "the self-test did not start:\n\(tmux.screen)")
    return tmux
  }

  private func line(_ tmux: Tmux, _ row: Int) -> String {
    let lines = tmux.capture()
    return row < lines.count ? lines[row] : ""
  }

  @Test(arguments: terms)
  func drawsKoreanCombiningAndClippedWideCharactersInTheRightColumns(term: String) async throws {
    let tmux = try await start(term: term)
    let lines = tmux.capture()
    #expect(lines.count == 24)
    let expected = Self.expectedTop()
    #expect(lines[0].hasPrefix(expected[0]))
    #expect(Array(lines[1...6]) == Array(expected[1...6]), "\(tmux.screen)")
    // The bottom-right corner holds a wide character; nothing scrolled.
    #expect(lines[23] == " q quits" + String(repeating: " ", count: 70) + "끝")
    #expect(line(tmux, 7) == "size: 80x24")
  }

  @Test(arguments: terms)
  func decodesKeys(term: String) async throws {
    let tmux = try await start(term: term)
    try await tmux.sendKeys("Up", "Down", "Left", "Right", "PageUp", "PageDown", "Home", "End")
    #expect(
      await tmux.waitFor("keys: up down left right pageUp pageDown home end"), "\(tmux.screen)")
    try await tmux.sendKeys("Tab", "BTab", "C-c", "Escape", "BSpace", "DC", "Enter")
    try await tmux.type("x")
    #expect(
      await tmux.waitFor("keys: tab backTab ctrl(c) escape backspace delete enter char(x)"),
      "\(tmux.screen)")
    try await tmux.type("한")
    #expect(await tmux.waitFor("key: char(한)"), "\(tmux.screen)")
    #expect(tmux.isRunning)  // Ctrl-C is a key in raw mode, not a signal
  }

  @Test func redrawsWideCharactersWhenOnlyPartOfTheScreenChanges() async throws {
    let tmux = try await start(term: "xterm-256color")
    try await tmux.type("a")
    #expect(await tmux.waitFor("flip: a가나다b|"), "\(tmux.screen)")
    try await tmux.type("b")
    #expect(await tmux.waitFor("flip: 가나다라|"), "\(tmux.screen)")
    #expect(Array(tmux.capture()[1...5]) == Array(Self.expectedTop()[1...5]))
  }

  @Test(arguments: ["xterm-256color", "vt100"])
  func forcedFullRedrawRepaintsWhatSomethingElseScribbledOver(term: String) async throws {
    let tmux = try await start(term: term)
    try await tmux.type("g")
    #expect(await tmux.waitFor("GARBAGE"), "\(tmux.screen)")
    try await tmux.sendKeys("C-l")
    let repainted = await tmux.waitUntil { lines in
      lines.count == 24 && lines[9] == "key: ctrl(l)" && !lines.joined().contains("GARBAGE")
        && Array(lines[1...6]) == Array(Self.expectedTop()[1...6])
    }
    #expect(repainted, "\(tmux.screen)")
  }

  @Test(arguments: ["xterm-256color", "vt100"])
  func redrawsAtTheNewSizeOnResize(term: String) async throws {
    let tmux = try await start(term: term)
    try await tmux.resize(width: 100, height: 30)
    let grown = await tmux.waitUntil { lines in
      lines.count == 30 && lines[7] == "size: 100x30"
        && lines[4] == String(repeating: ".", count: 97) + "가"
        && lines[29] == " q quits" + String(repeating: " ", count: 90) + "끝"
    }
    #expect(grown, "\(tmux.screen)")
    try await tmux.resize(width: 41, height: 12)  // odd width: "가" cut at the edge
    let shrunk = await tmux.waitUntil { lines in
      lines.count == 12 && lines[7] == "size: 41x12"
        && lines[4] == String(repeating: ".", count: 38) + "가"
        && lines[2] == "Korean: 한국어 텍스트         |"
        && lines[11] == " q quits" + String(repeating: " ", count: 31) + "끝"
    }
    #expect(shrunk, "\(tmux.screen)")
  }

  @Test(arguments: terms)
  func quitRestoresTheTerminalAndTheShellPrompt(term: String) async throws {
    let tmux = try Tmux("sh -i", term: term, environment: ["PS1": "ready$ ", "ENV": ""])
    #expect(await tmux.waitFor("ready$"), "\(tmux.screen)")
    try await tmux.type(
      "stty -a > before; \(Tmux.quote(CLI.binary)) term-selftest; echo \"status:$?\"; stty -a > after\n"
    )
    #expect(await tmux.waitFor("key: none"), "\(tmux.screen)")
    #expect(tmux.display("#{cursor_flag}") == (term == "vt100" ? "1" : "0"))
    try await tmux.type("q")
    #expect(await tmux.waitFor("status:0"), "\(tmux.screen)")
    #expect(
      await tmux.waitUntil { lines in lines.last { !$0.isEmpty } == "ready$" }, "\(tmux.screen)")
    let before = tmux.file("before")
    let after = tmux.file("after")
    #expect(!before.isEmpty)
    #expect(after == before)
    let flags = Set(after.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }))
    #expect(flags.contains("echo") && flags.contains("icanon") && flags.contains("isig"))
    #expect(tmux.display("#{cursor_flag} #{alternate_on} #{keypad_cursor_flag}") == "1 0 0")
    #expect(!tmux.screen.contains("self-test") || term == "vt100")  // left the alternate screen
    // The shell echoes again.
    try await tmux.type("echo visible")
    #expect(await tmux.waitFor("ready$ echo visible"), "\(tmux.screen)")
  }

  @Test func stderrGoesToTheLogNotTheScreen() async throws {
    let tmux = try await start(term: "xterm-256color")
    let log = tmux.directory + "/state/ocrview/ocrview.log"
    #expect(!tmux.screen.contains("noise"))
    #expect(tmux.file("state/ocrview/ocrview.log").contains("noise written to fd 2 by C code"))
    let attributes = try FileManager.default.attributesOfItem(atPath: log)
    #expect(attributes[.posixPermissions] as? Int == 0o600)
    try await tmux.type("q")
    let status = await tmux.waitForExit()
    #expect(status == 0, "\(tmux.display("#{pane_dead} #{pane_dead_status}")): \(tmux.screen)")
    let after = tmux.capture()
    #expect(after.joined().contains("stderr went to \(log)"), "\(after)")  // wrapped at 80 columns
    #expect(!tmux.screen.contains("noise"))
  }

  @Test(arguments: [
    ("xterm-256color", [:], "256"), ("linux", [:], "8"), ("vt100", [:], "0"),
    ("xterm-256color", ["NO_COLOR": "1"], "0"),
  ])
  func coloursOnlyWhereTheTerminalHasThemAndNoColorIsUnset(
    term: String, environment: [String: String], colors: String
  ) async throws {
    let tmux = try await start(term: term, environment: environment)
    #expect(line(tmux, 0).hasSuffix("colors: \(colors)"))
    let styled = tmux.capture(escapes: true)[5]
    #expect(styled.contains("\u{1B}[1mbold"))
    #expect(styled.contains("\u{1B}[7mreverse"))
    #expect(styled.contains("\u{1B}[4munderline"))
    if colors == "0" {
      #expect(!styled.contains("\u{1B}[31m"))
      #expect(styled.contains("\u{1B}[7mon blue"))  // a background becomes reverse video
    } else {
      #expect(styled.contains("\u{1B}[31mred"))
      #expect(styled.contains("\u{1B}[44mon blue"))
    }
  }

  @Test func nonUTF8LocaleShowsQuestionMarksInTheRightColumns() async throws {
    let tmux = try await start(term: "xterm-256color", environment: ["LANG": "C"])
    let lines = tmux.capture()
    #expect(lines[2] == "Korean: ? ? ?  ? ? ?          |")
    #expect(lines[4] == String(repeating: ".", count: 77) + "?")
  }

  @Test func unknownTerminalTypeIsAnErrorThatSaysWhatToDo() async throws {
    let tmux = try Tmux(ocrview: ["term-selftest"], term: "no-such-term")
    #expect(await tmux.waitForExit() == 2)
    let screen = tmux.capture().joined()
    #expect(screen.contains("TERM=no-such-term is not in the terminfo database"), "\(screen)")
  }

  @Test func withoutATerminalItRefusesInsteadOfDrawing() async throws {
    let result = try await CLI.run(["term-selftest"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("the viewer needs a terminal"))
    #expect(result.stdout.isEmpty)
  }

  @Test func wakerWakesTheUIThreadFromAnotherThread() async throws {
    let tmux = try await start(term: "xterm-256color")
    // The self-test waits without a timeout: only pokes from its ticker task redraw the count.
    #expect(
      await tmux.waitUntil { lines in
        lines.count > 8 && (Int(lines[8].dropFirst("wakes: ".count)) ?? 0) >= 5
      }, "\(tmux.screen)")
  }
}

import ArgumentParser
import CNcurses
import Foundation
import OCRViewUI
import Synchronization

/// `ocrview term-selftest` (hidden): exercises the terminal adapter end to end for the tmux tests.
///
/// Draws ASCII, Korean, a combining accent, a wide character cut at the right edge and styled
/// cells; echoes each decoded key ("key: up", "key: char(x)"); redraws on resize; counts wake-ups
/// from a background task through a `Waker`; writes a line of "noise" to fd 2 (it must land in
/// the log, not on screen); scribbles on the screen behind ncurses' back on `g` and repaints it
/// all on Ctrl-L; and quits on `q`, restoring the terminal.
struct TerminalSelfTest: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "term-selftest",
    abstract: "Exercise the terminal adapter (for tests).",
    shouldDisplay: false)

  @Flag(help: "Draw without colours (also when NO_COLOR is set).")
  var monochrome = false

  func run() async throws {
    let monochrome = self.monochrome || ProcessInfo.processInfo.environment["NO_COLOR"] != nil
    // ncurses blocks in poll(): it gets a thread of its own, never one of the concurrency pool.
    let logPath: String = try await withCheckedThrowingContinuation { continuation in
      Thread {
        do {
          continuation.resume(returning: try SelfTestLoop.run(monochrome: monochrome))
        } catch {
          continuation.resume(throwing: error)
        }
      }.start()
    }
    print("term-selftest: terminal restored; stderr went to \(logPath)")
  }
}

/// The self-test's UI thread: the same shape the app's run loop has.
enum SelfTestLoop {
  struct State {
    var keys: [Key] = []
    var wakes = 0
    var colorCount = 0
  }

  /// Runs until `q`; returns the stderr log's path.
  static func run(monochrome: Bool) throws -> String {
    let terminal = try Terminal(monochrome: monochrome)
    let waker = try Waker()
    let noise = "term-selftest: noise written to fd 2 by C code\n"
    _ = noise.withCString { write(2, $0, strlen($0)) }

    let ticks = Ticker(waker: waker)
    defer { ticks.stop() }

    var state = State(colorCount: terminal.colorCount)
    loop: while true {
      state.wakes = ticks.count
      terminal.draw(canvas(size: terminal.size, state: state))
      terminal.wait(timeout: nil, waker: waker)
      if terminal.inputClosed { break }
      let (keys, _) = terminal.readInput()
      for key in keys {
        switch key {
        case .character("q"): break loop
        case .character("g"):  // scribble on the screen behind ncurses' back…
          let garbage = "\u{1B}[5;1HGARBAGE GARBAGE GARBAGE"
          _ = garbage.withCString { write(1, $0, strlen($0)) }
        case .control("l"): terminal.forceFullRedraw()  // …which Ctrl-L repaints away
        default: break
        }
        state.keys.append(key)
      }
    }
    terminal.restore()
    return terminal.stderrLogPath
  }

  /// Pokes the waker every 200 ms from a task, counting the pokes.
  final class Ticker: Sendable {
    private let state = Mutex((count: 0, stopped: false))

    init(waker: Waker) {
      Task.detached { [self] in
        while !self.state.withLock({ $0.stopped }) {
          try? await Task.sleep(for: .milliseconds(200))
          self.state.withLock { $0.count += 1 }
          waker.poke()
        }
      }
    }

    var count: Int { state.withLock { $0.count } }
    func stop() { state.withLock { $0.stopped = true } }
  }

  static func describe(_ key: Key) -> String {
    switch key {
    case .character(let character): return "char(\(character))"
    case .control(let character): return "ctrl(\(character))"
    default: return "\(key)"
    }
  }

  /// The screen, as a pure function of the size and the state.
  static func canvas(size: Size, state: State) -> Canvas {
    var canvas = Canvas(size: size)
    let width = size.width
    var x = canvas.write("ocrview terminal self-test", x: 0, y: 0, style: Style(bold: true))
    canvas.write("  colors: \(state.colorCount)", x: x, y: 0)
    canvas.write("ASCII: The quick brown fox jumps over the lazy dog", x: 0, y: 1)
    canvas.write("Korean: 한국어 텍스트", x: 0, y: 2)
    canvas.write("|", x: 30, y: 2)
    canvas.write("Combining: cafe\u{301}", x: 0, y: 3)
    canvas.write("|", x: 30, y: 3)
    // A wide character cut by the right edge: "가" fits in the last-but-one pair, "나" does not.
    canvas.write(String(repeating: ".", count: max(0, width - 3)) + "가나", x: 0, y: 4)
    x = 0
    for (text, style) in [
      ("bold", Style(bold: true)), ("dim", Style(dim: true)), ("reverse", Style(reverse: true)),
      ("underline", Style(underline: true)), ("red", Style(foreground: .red)),
      ("on blue", Style(foreground: .white, background: .blue)),
    ] {
      x += canvas.write(text, x: x, y: 5, style: style)
      x += canvas.write(" ", x: x, y: 5)
    }
    // Wide characters shifted by one column on every key: partial redraws must keep them whole.
    canvas.write(
      "flip: " + (state.keys.count % 2 == 0 ? "가나다라" : "a가나다b") + "|", x: 0, y: 6)
    canvas.write("size: \(size.width)x\(size.height)", x: 0, y: 7)
    canvas.write("wakes: \(state.wakes)", x: 0, y: 8)
    canvas.write("key: " + (state.keys.last.map(describe) ?? "none"), x: 0, y: 9)
    canvas.write("keys: " + state.keys.suffix(8).map(describe).joined(separator: " "), x: 0, y: 10)
    let bar = Style(reverse: true)
    canvas.fill(
      Rect(x: 0, y: size.height - 1, width: width, height: 1), with: Cell(grapheme: " ", style: bar)
    )
    canvas.write(" q quits", x: 0, y: size.height - 1, style: bar)
    canvas.write("끝", x: width - 2, y: size.height - 1, style: bar)  // the bottom-right corner
    return canvas
  }
}

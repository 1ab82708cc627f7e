import CNcurses
import Foundation
import OCRKit
import OCRViewUI

/// Why the terminal could not be taken over.
enum TerminalError: Error, Equatable, CustomStringConvertible {
  case notATerminal
  case unknownTerminal(String)
  case stderrLog(path: String, reason: String)
  case descriptor(errno: Int32)

  var description: String {
    switch self {
    case .notATerminal:
      return
        "the viewer needs a terminal, but stdin or stdout is not one — run it in a terminal, or use `ocrview ocr` in pipes and scripts"
    case .unknownTerminal(let term):
      return
        "the terminal type TERM=\(term) is not in the terminfo database — set TERM=xterm-256color (or install ncurses-term)"
    case .stderrLog(let path, let reason):
      return
        "cannot open \(path) to log stderr while the viewer is on screen: \(reason) — set XDG_STATE_HOME to a writable directory"
    case .descriptor(let code):
      return "cannot create a wake-up descriptor: \(String(cString: strerror(code)))"
    }
  }
}

/// Owns ncurses for the TUI's lifetime: draws `Canvas`es, reads keys, notices resizes.
///
/// Not thread-safe, like ncurses itself: create it, use it and let it go on one thread — the UI
/// thread, never a thread of the Swift concurrency pool, since `wait` blocks. Other threads reach
/// the UI thread through a `Waker`.
///
/// While it is alive, fd 2 goes to a log file (`stderrLogPath`), so stray writes from C libraries
/// never land on the screen, and SIGWINCH is routed to a pipe `wait` polls, so a resize wakes the
/// UI thread whichever thread the kernel delivers the signal to.
final class Terminal {
  /// The `SCREEN` from `newterm`; nil once restored.
  private var screen: OpaquePointer?
  private let window: UnsafeMutablePointer<WINDOW>
  private let stderrRedirect: StderrRedirect
  /// The self-pipe SIGWINCH writes to (read end polled by `wait`).
  private var winchRead: Int32 = -1
  private var winchWrite: Int32 = -1

  /// Colours in use: the terminal has them and monochrome was not asked for.
  private var colorsOn = false
  /// Whether -1 (the terminal's own colour) works in colour pairs (`use_default_colors`).
  private var defaultColors = false
  private(set) var colorCount = 0
  private var colorPairLimit = 0
  private var pairs: [ColorPair: Int32] = [:]

  /// The canvas on screen, for drawing only what changed.
  private var previous: Canvas?
  /// The screen size `previous` was drawn at.
  private var drawnSize: Size?
  private var needsFullRedraw = false
  /// False when the terminal cannot hide its cursor (vt100): it is then parked bottom-right.
  private var cursorHidden = false
  private var lastSize: Size

  /// Where stderr goes while the terminal is active ("/dev/null" if the log could not be opened).
  let stderrLogPath: String
  /// Set when stdin reported hang-up or an error: the terminal is gone and the app should quit.
  private(set) var inputClosed = false

  /// Sets the locale (from the environment, except LC_NUMERIC), redirects stderr, and takes over
  /// the screen: alternate screen, raw mode, no echo, keypad, hidden cursor, and colours unless
  /// `monochrome` or the terminal has none.
  ///
  /// Raw mode: Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys (`.control("c")`, …), not signals.
  init(monochrome: Bool) throws {
    guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
    setlocale(LC_ALL, "")  // ncursesw needs the user's (UTF-8) LC_CTYPE to draw wide characters
    // …but numbers keep "C" formatting: C libraries parsing or printing decimals (tesseract's
    // parameters, leptonica) must not start writing "0,5" because LANG says de_DE.
    setlocale(LC_NUMERIC, "C")

    let redirect: StderrRedirect
    do {
      redirect = try StderrRedirect()
    } catch {
      // Never refuse to show the viewer over a log file; keep the screen clean regardless.
      redirect = try StderrRedirect(logPath: "/dev/null")
    }
    stderrRedirect = redirect
    stderrLogPath = redirect.logPath

    var ends: [Int32] = [-1, -1]
    guard cncurses_pipe(&ends) == 0 else {
      let code = errno
      redirect.restore()
      throw TerminalError.descriptor(errno: code)
    }
    winchRead = ends[0]
    winchWrite = ends[1]
    // Before newterm: ncurses installs its own SIGWINCH handler only over SIG_DFL.
    cncurses_winch_install(winchWrite)
    cncurses_signals_save()

    guard let screen = cncurses_newterm() else {
      cncurses_winch_uninstall()
      close(ends[0])
      close(ends[1])
      redirect.restore()
      throw TerminalError.unknownTerminal(ProcessInfo.processInfo.environment["TERM"] ?? "")
    }
    cncurses_signals_note()
    self.screen = screen
    set_term(screen)
    window = cncurses_stdscr()
    lastSize = Size(width: Int(cncurses_cols()), height: Int(cncurses_lines()))

    raw()
    noecho()
    nonl()
    intrflush(window, false)
    keypad(window, true)
    nodelay(window, true)
    set_escdelay(25)
    cursorHidden = curs_set(0) != ERR
    leaveok(window, cursorHidden)
    defineMissingKeys()

    if has_colors() && !monochrome && start_color() == OK {
      defaultColors = use_default_colors() == OK
      colorCount = Int(cncurses_colors())
      colorPairLimit = Int(cncurses_color_pairs())
      colorsOn = colorCount >= 8 && colorPairLimit > 1
      if colorsOn {
        for color in Self.colors { _ = pair(ColorPair(foreground: color, background: .default)) }
      } else {
        colorCount = 0
      }
    }
  }

  deinit { restore() }

  /// The screen's size in columns and rows (updated by `readInput` when the terminal resizes).
  /// A cell's size in pixels, when the terminal reports its size in pixels (`TIOCGWINSZ`; many
  /// do, tmux does not): page images keep their proportions, and pixel images their size.
  var cellPixels: Size? {
    var window = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_xpixel > 0,
      window.ws_ypixel > 0, window.ws_col > 0, window.ws_row > 0
    else { return nil }
    return Size(
      width: max(1, Int(window.ws_xpixel) / Int(window.ws_col)),
      height: max(1, Int(window.ws_ypixel) / Int(window.ws_row)))
  }

  /// Writes a graphics protocol's image with its top-left corner at cell (x, y), between
  /// frames, leaving the cursor where ncurses put it.
  func drawPixels(_ bytes: [UInt8], x: Int, y: Int) {
    let move = "\u{1B}7\u{1B}[\(y + 1);\(x + 1)H"
    _ = writeAll(STDOUT_FILENO, Array(move.utf8) + bytes + Array("\u{1B}8".utf8))
  }

  /// Takes pixel images off the screen: kitty's are deleted; sixel and iTerm2 pixels are
  /// painted over by redrawing every cell.
  func clearPixels(_ mode: GraphicsMode) {
    if mode == .kitty { _ = writeAll(STDOUT_FILENO, Array("\u{1B}_Ga=d\u{1B}\\".utf8)) }
    forceFullRedraw()
  }

  var size: Size {
    guard screen != nil else { return lastSize }
    return Size(width: Int(cncurses_cols()), height: Int(cncurses_lines()))
  }

  /// Ends the TUI: leaves the alternate screen, shows the cursor, restores the tty modes saved at
  /// start (echo, canonical input), the signal handlers ncurses took over, and stderr. Idempotent.
  func restore() {
    guard let screen else { return }
    lastSize = size
    endwin()
    delscreen(screen)
    self.screen = nil
    cncurses_winch_uninstall()
    cncurses_signals_restore()
    close(winchRead)
    close(winchWrite)
    winchRead = -1
    winchWrite = -1
    stderrRedirect.restore()
  }

  // MARK: - Drawing

  /// Makes the next `draw` repaint the whole screen from scratch (e.g. for Ctrl-L, or after
  /// something else wrote to the terminal).
  func forceFullRedraw() {
    needsFullRedraw = true
  }

  /// Draws `canvas` at the top-left corner, sending the terminal only the cells that changed
  /// since the last draw; a new canvas size, a new screen size or `forceFullRedraw` repaints all.
  /// Cells outside the screen are clipped (a wide character cut by the right edge shows as a
  /// blank). Ends with one `doupdate`.
  func draw(_ canvas: Canvas) {
    guard screen != nil else { return }
    let screenSize = size
    let full =
      needsFullRedraw || previous == nil || previous?.size != canvas.size || drawnSize != screenSize
    if full {
      werase(window)
      if needsFullRedraw { clearok(window, true) }
    }
    for run in canvas.changes(since: full ? nil : previous) {
      draw(run, screen: screenSize)
    }
    if !cursorHidden, screenSize.width > 0, screenSize.height > 0 {
      wmove(window, Int32(screenSize.height - 1), Int32(screenSize.width - 1))
    }
    wnoutrefresh(window)
    doupdate()
    previous = canvas
    drawnSize = screenSize
    needsFullRedraw = false
  }

  /// Asks the terminal to put `text` on the system clipboard: OSC 52, which most terminals
  /// honour (tmux with `set-clipboard on`, also over ssh). Written between frames, after
  /// ncurses has flushed, so no drawing is interleaved with it.
  func copyToClipboard(_ text: String) {
    let sequence = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    _ = writeAll(STDOUT_FILENO, Array(sequence.utf8))
  }

  private func draw(_ run: CellRun, screen: Size) {
    guard run.y >= 0, run.y < screen.height else { return }
    var x = run.x
    for (index, cell) in run.cells.enumerated() {
      defer { x += 1 }
      if cell.isContinuation { continue }
      let wide = index + 1 < run.cells.count && run.cells[index + 1].isContinuation
      guard x >= 0, x < screen.width else { continue }
      if wide && x + 1 == screen.width {  // cut by the screen's right edge: show a blank
        put(Cell(grapheme: " ", style: cell.style), x: x, y: run.y, wide: false)
      } else {
        put(cell, x: x, y: run.y, wide: wide)
      }
    }
  }

  /// How many `wchar_t`s one cell holds: a spacing character and its combining marks.
  private static let cellCapacity = Int(cncurses_ccharw_max())

  /// Draws one character; its width in ncurses (the C library's `wcwidth`) must match the canvas,
  /// or ncurses and the canvas would disagree about every column after it.
  private func put(_ cell: Cell, x: Int, y: Int, wide: Bool) {
    let columns: Int32 = wide ? 2 : 1
    var scalars = cell.grapheme.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
    if scalars.isEmpty { scalars = [0x20] }
    let baseWidth = cncurses_wcwidth(scalars[0])
    var text: [wchar_t] = [scalars[0]]
    // Combining marks and variation selectors ride along; further spacing characters (the rest of
    // a ZWJ sequence or a flag) and ZWJ itself would make ncurses or the terminal disagree on widths.
    for scalar in scalars.dropFirst() where text.count < Self.cellCapacity {
      if scalar != 0x200D && cncurses_wcwidth(scalar) == 0 { text.append(scalar) }
    }
    var padding = false
    if baseWidth != columns {
      if baseWidth == 1 && columns == 2 {
        padding = true  // e.g. a flag: ncurses draws it narrow, then a blank to keep the columns
      } else {
        text = [0x3F]  // "?": unprintable in this locale, or wider than the canvas expected
        padding = columns == 2
      }
    }
    var (attributes, pair) = attributes(for: cell.style)
    text.append(0)
    var character = cchar_t()
    // The pair goes through `opts` (an int): page images use more pairs than a short holds.
    if setcchar(&character, text, attributes, 0, &pair) == ERR {
      _ = setcchar(&character, [0x3F, 0], attributes, 0, &pair)
    }
    // At the bottom-right corner this returns ERR (the cursor cannot advance) but draws.
    mvwadd_wch(window, Int32(y), Int32(x), &character)
    if padding {
      var blank = cchar_t()
      _ = setcchar(&blank, [0x20, 0], attributes, 0, &pair)
      mvwadd_wch(window, Int32(y), Int32(x + 1), &blank)
    }
  }

  // MARK: - Style

  private struct ColorPair: Hashable {
    var foreground: Color
    var background: Color
  }

  private static let colors: [Color] = [
    .black, .red, .green, .yellow, .blue, .magenta, .cyan, .white,
  ]

  /// ncurses attributes and colour pair for a style. Without colours a non-default background
  /// turns into reverse video, so highlighted bars stay visible on vt100 and with NO_COLOR.
  private func attributes(for style: Style) -> (attr_t, Int32) {
    var attributes = cncurses_a_normal()
    if style.bold { attributes |= cncurses_a_bold() }
    if style.dim { attributes |= cncurses_a_dim() }
    if style.underline { attributes |= cncurses_a_underline() }
    if style.italic { attributes |= cncurses_a_italic() }
    var reverse = style.reverse
    var pairNumber: Int32 = 0
    if colorsOn {
      pairNumber = pair(ColorPair(foreground: style.foreground, background: style.background))
    } else if style.background != .default {
      reverse = true
    }
    if reverse { attributes |= cncurses_a_reverse() }
    return (attributes, pairNumber)
  }

  /// The colour pair for `colors`, from ncurses' own pair allocator (`alloc_pair`). Once the
  /// terminal's table is full (the Linux console has 64 pairs), a style falls back to its
  /// foreground on the default background.
  private func pair(_ colors: ColorPair) -> Int32 {
    if colors.foreground == .default && colors.background == .default { return 0 }
    if let number = pairs[colors] { return number }
    let foreground = index(colors.foreground, default: COLOR_WHITE)
    let background = index(colors.background, default: COLOR_BLACK)
    // Never more than the table holds, so no pair is recycled under a cell still on screen.
    let number = pairs.count < colorPairLimit - 1 ? alloc_pair(foreground, background) : -1
    guard number > 0 else {
      return colors.background == .default
        ? 0 : pair(ColorPair(foreground: colors.foreground, background: .default))
    }
    pairs[colors] = number
    return number
  }

  /// The curses colour number; the terminal's own colour is -1 when `use_default_colors` worked.
  /// A palette entry the terminal lacks is shown as the basic colour nearest to it.
  private func index(_ color: Color, default fallback: Int32) -> Int32 {
    switch color {
    case .default: return defaultColors ? -1 : fallback
    case .black: return COLOR_BLACK
    case .red: return COLOR_RED
    case .green: return COLOR_GREEN
    case .yellow: return COLOR_YELLOW
    case .blue: return COLOR_BLUE
    case .magenta: return COLOR_MAGENTA
    case .cyan: return COLOR_CYAN
    case .white: return COLOR_WHITE
    case .indexed(let entry): return Int(entry) < colorCount ? Int32(entry) : Int32(entry % 8)
    }
  }

  // MARK: - Input

  /// Reads every pending key without blocking. `resized` is true when the terminal changed size
  /// (`size` is then the new one, and the next `draw` repaints everything).
  func readInput() -> (keys: [Key], resized: Bool) {
    guard screen != nil else { return ([], false) }
    var resized = applyPendingResize()
    var keys: [Key] = []
    while true {
      var code: wint_t = 0
      let status = wget_wch(window, &code)
      if status == ERR { break }
      if status == KEY_CODE_YES && Int32(bitPattern: code) == KEY_RESIZE {
        resized = true
        continue
      }
      if let key = KeyDecoder.key(status: status, code: code) { keys.append(key) }
    }
    if resized { needsFullRedraw = true }
    return (keys, resized)
  }

  /// After SIGWINCH: tells ncurses the kernel's new size (ncurses' own handler is not installed).
  private func applyPendingResize() -> Bool {
    var buffer = [UInt8](repeating: 0, count: 64)
    var signalled = false
    while read(winchRead, &buffer, buffer.count) > 0 { signalled = true }
    guard signalled else { return false }
    var rows: Int32 = 0
    var columns: Int32 = 0
    if cncurses_window_size(1, &rows, &columns) == 0
      || cncurses_window_size(0, &rows, &columns) == 0,
      rows != cncurses_lines() || columns != cncurses_cols()
    {
      resizeterm(rows, columns)  // also queues KEY_RESIZE, read by the loop above
    }
    return true
  }

  /// Blocks until a key arrives on stdin, `waker` is poked, the terminal is resized, or `timeout`
  /// passes (nil: no timeout). Clears the waker's pending pokes before returning, so a poke that
  /// arrives after this returns wakes the next `wait`.
  func wait(timeout: Duration?, waker: Waker) {
    var fds = [
      pollfd(fd: inputClosed || screen == nil ? -1 : 0, events: Int16(POLLIN), revents: 0),
      pollfd(fd: waker.fd, events: Int16(POLLIN), revents: 0),
      pollfd(fd: winchRead, events: Int16(POLLIN), revents: 0),
    ]
    var milliseconds: Int32 = -1
    if let timeout {
      let (seconds, attoseconds) = timeout.components
      let total =
        max(0, seconds) * 1000 + (max(0, attoseconds) + 999_999_999_999_999) / 1_000_000_000_000_000
      milliseconds = Int32(clamping: total)
    }
    let ready = poll(&fds, nfds_t(fds.count), milliseconds)
    if ready > 0 && fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
      && fds[0].revents & Int16(POLLIN) == 0
    {
      inputClosed = true
    }
    if ready > 0 && fds[1].revents != 0 { waker.drain() }
  }

  // MARK: - Keys terminfo may not know

  /// The sequences xterm-compatible terminals (and tmux, screen) send for the keys ocrview uses.
  /// Each is added only where terminfo has nothing for it: TERM=vt100 knows no PgUp/PgDn, Home,
  /// End, Delete or Shift-Tab, yet the terminal emulator behind it almost always sends these.
  private static let commonKeys: [(String, Int32)] = [
    ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
    ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
    ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE),
    ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME), ("\u{1B}[1~", KEY_HOME),
    ("\u{1B}[7~", KEY_HOME),
    ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END), ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END),
    ("\u{1B}[3~", KEY_DC), ("\u{1B}[Z", KEY_BTAB), ("\u{1B}OM", KEY_ENTER),
  ]

  /// Must run after `keypad(TRUE)`, which loads terminfo's keys (before it every sequence reads as
  /// unbound). A sequence bound to an extended capability (a code above KEY_MAX: TERM=linux binds
  /// "\e[Z" to `kcbt2`, not to KEY_BTAB) is rebound too, since the decoder knows no such codes.
  private func defineMissingKeys() {
    for (sequence, code) in Self.commonKeys {
      let bound = key_defined(sequence)
      if bound == 0 || bound > KEY_MAX { define_key(sequence, code) }
    }
  }
}

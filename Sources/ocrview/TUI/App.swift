import Foundation
import OCRKit
import OCRViewUI
import Synchronization

/// The TUI's runtime (bubbletea's idea): one UI thread owns the terminal, turns keys, run
/// events and clock ticks into `update` calls, performs the effects, and draws `render`'s
/// canvas — at most ~30 frames a second, and not at all while nothing changes.
final class App: @unchecked Sendable {
  // Safe: immutable after init; `run()` is called once, on the UI thread.
  static let frameInterval: Duration = .milliseconds(33)
  static let tickInterval: Duration = .milliseconds(100)

  private let services: RuntimeServices
  private let start: StartPoint
  private let initialMode: OCRMode
  private let graphics: GraphicsMode
  /// `--check`: start with checking on (`K`).
  private let checking: Bool

  enum StartPoint {
    case directory(String)
    case file(String)
  }

  init(
    services: RuntimeServices, start: StartPoint, mode: OCRMode, graphics: GraphicsMode,
    checking: Bool = false
  ) {
    self.checking = checking
    self.services = services
    self.start = start
    initialMode = mode
    self.graphics = graphics
  }

  /// Signals that end the viewer (the terminal restored first) and how: SIGTERM, SIGHUP and
  /// SIGINT as a quit, exiting 128 + the signal's number; SIGUSR1, SIGUSR2 and SIGALRM — whose
  /// default action ends a process, and which nothing here uses — by that default action once
  /// the terminal is back, so whoever sent one still sees the process die of it. SIGPIPE is
  /// ignored (`TUICommand`): a failed write is an error to report, not a death.
  static let quitSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT]
  static let fatalSignals: [Int32] = [SIGUSR1, SIGUSR2, SIGALRM]

  /// Runs until the user quits, or a signal ends it (the signal's number is returned); the
  /// terminal is restored however it ends.
  func run() throws -> Int32? {
    let monochrome = ProcessInfo.processInfo.environment["NO_COLOR"] != nil
    let waker = try Waker()
    let inbox = EventInbox(waker: waker)
    let runtime = Runtime(services: services, post: inbox.post)
    let terminal = try Terminal(monochrome: monochrome)
    defer {
      terminal.restore()
      runtime.shutdownWaiting()
    }
    // A signal that ends the viewer ends it as Ctrl-C does, so the terminal is restored.
    let endedBy = Mutex<Int32?>(nil)
    let termination = SignalHandler(Self.quitSignals + Self.fatalSignals) { signal in
      endedBy.withLock { $0 = $0 ?? signal }
      inbox.post(.key(.control("c")))
    }
    defer { termination.restore() }

    let directory: String
    let file: String?
    switch start {
    case .directory(let path): (directory, file) = (path, nil)
    case .file(let path): (directory, file) = ((path as NSString).deletingLastPathComponent, path)
    }
    var model = Model(size: terminal.size, directory: directory, mode: initialMode)
    model.monochrome = monochrome || terminal.colorCount == 0
    model.colors = terminal.colorCount
    model.graphics = graphics
    model.checking = checking
    if let cell = terminal.cellPixels {
      model.cellPixels = cell
      model.cellAspect = Double(cell.height) / Double(cell.width)
    }
    // The pixel image last written over the page pane, to write again only when it changes.
    var pixelsShown: (key: PageImageKey, x: Int, y: Int)?
    // The first frame is drawn before anything is asked for: probing never delays it.
    terminal.draw(render(model))
    for effect in OCRViewUI.start(&model, opening: file) { runtime.perform(effect) }

    var lastDraw = ContinuousClock.now
    var dirty = true
    while !model.quitting {
      let running = (model.document?.runningCount ?? 0) > 0
      let sinceDraw = ContinuousClock.now - lastDraw
      let timeout: Duration? =
        dirty ? max(.zero, Self.frameInterval - sinceDraw) : running ? Self.tickInterval : nil
      terminal.wait(timeout: timeout, waker: waker)
      waker.drain()

      var events = inbox.takeAll()
      let input = terminal.readInput()
      // The terminal went away (closed window, hung-up ssh): quit as Ctrl-C would.
      if terminal.inputClosed { events.append(.key(.control("c"))) }
      if input.resized { events.append(.resize(terminal.size)) }
      events += input.keys.map(Event.key)
      let now = ContinuousClock.now
      // The clock first, so the events see the time they came at; its effects are performed
      // like any event's.
      if running || !events.isEmpty { events.insert(.tick(now), at: 0) }
      for event in events {
        for effect in update(&model, event) {
          // The clipboard is the terminal's; everything else is the runtime's.
          if case .copyToClipboard(let text) = effect {
            terminal.copyToClipboard(text)
          } else {
            runtime.perform(effect)
          }
        }
        dirty = true
      }
      if input.resized { terminal.forceFullRedraw() }
      // Coalesce: many deltas between frames make one redraw; keys and resizes draw at once.
      let keysOrResize = !input.keys.isEmpty || input.resized
      if dirty, keysOrResize || now - lastDraw >= Self.frameInterval {
        let shown = model.shownPixels
        let moved = shown.map { ($0.key, $0.x, $0.y) }
        if let old = pixelsShown, moved.map({ $0 != old }) ?? true || input.resized {
          terminal.clearPixels(graphics)
          pixelsShown = nil
        }
        terminal.draw(render(model))
        if let shown, pixelsShown == nil {
          terminal.drawPixels(shown.bytes, x: shown.x, y: shown.y)
          pixelsShown = (shown.key, shown.x, shown.y)
        }
        lastDraw = now
        dirty = false
      }
    }
    return endedBy.withLock { $0 }
  }
}

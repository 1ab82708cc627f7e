import Dispatch
import Foundation
import OCRKit
import Synchronization

/// Turns Ctrl-C (and SIGTERM) into cancelling the current run, so pages in flight end cleanly
/// with their partial text written; a second Ctrl-C quits at once.
final class Interrupter: Sendable {
  private struct State {
    var current: RunningDocument?
    var interrupted = false
  }
  /// Shared with the signal handler.
  private final class Shared: Sendable {
    let state = Mutex(State())
  }
  private let shared = Shared()
  private let signals: SignalHandler

  init() {
    let shared = shared
    signals = SignalHandler([SIGINT, SIGTERM], queue: DispatchQueue(label: "ocrview.signals")) {
      _ in
      let run = shared.state.withLock { state -> RunningDocument? in
        if state.interrupted { exit(ExitStatus.interrupted) }
        state.interrupted = true
        return state.current
      }
      run?.cancel()
    }
  }

  var interrupted: Bool { shared.state.withLock { $0.interrupted } }

  /// The run to cancel on a signal (nil between runs).
  func watch(_ run: RunningDocument?) {
    let cancelNow = shared.state.withLock { state in
      state.current = run
      return state.interrupted
    }
    if cancelNow { run?.cancel() }
  }
}

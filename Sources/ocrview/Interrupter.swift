import Dispatch
import Foundation
import OCRKit
import Synchronization

/// Turns Ctrl-C, SIGTERM and SIGHUP (a closed terminal, a dropped ssh session) into cancelling
/// the current run, so pages in flight end cleanly with their partial text written and the
/// finished transcript replaces `-o`'s in-flight layout. A second signal changes nothing (the
/// finished transcript is still written before the process exits, so pressing Ctrl-C twice
/// loses nothing); a third quits at once — the escape from a wind-down that hangs.
final class Interrupter: Sendable {
  private struct State {
    var current: RunControl?
    /// The first signal, once one came.
    var signal: Int32?
    var count = 0
  }
  /// Shared with the signal handler.
  private final class Shared: Sendable {
    let state = Mutex(State())
  }
  /// Signals at which a third one quits at once.
  static let signalsToQuitAtOnce = 3

  private let shared = Shared()
  private let signals: SignalHandler

  init() {
    let shared = shared
    signals = SignalHandler(
      [SIGINT, SIGTERM, SIGHUP], queue: DispatchQueue(label: "ocrview.signals")
    ) { signalNumber in
      let run = shared.state.withLock { state -> RunControl? in
        state.count += 1
        if let first = state.signal {
          if state.count >= Self.signalsToQuitAtOnce { exit(ExitStatus.signalled(first)) }
          return nil
        }
        state.signal = signalNumber
        return state.current
      }
      run?.cancel()
    }
  }

  /// The signal that interrupted the run, if one did.
  var interruption: Int32? { shared.state.withLock { $0.signal } }
  var interrupted: Bool { interruption != nil }

  /// The run to cancel on a signal (nil between runs).
  func watch(_ run: RunControl?) {
    let cancelNow = shared.state.withLock { state in
      state.current = run
      return state.signal != nil
    }
    if cancelNow { run?.cancel() }
  }
}

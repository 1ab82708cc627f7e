import Dispatch
import Foundation
import OCRKit
import Synchronization

/// Turns Ctrl-C (and SIGTERM) into cancelling the current run, so pages in flight end cleanly
/// with their partial text written; a second Ctrl-C quits at once.
final class Interrupter: @unchecked Sendable {
  // Safe: `sources` is set once in init and only kept alive; all shared state is in the Mutex.
  private struct State {
    var current: RunningDocument?
    var interrupted = false
  }
  private let state = Mutex(State())
  private var sources: [any DispatchSourceSignal] = []

  init() {
    let queue = DispatchQueue(label: "ocrview.signals")
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
      source.setEventHandler { [unowned self] in
        let run = state.withLock { state -> RunningDocument? in
          if state.interrupted { exit(ExitStatus.interrupted) }
          state.interrupted = true
          return state.current
        }
        run?.cancel()
      }
      source.resume()
      sources.append(source)
    }
  }

  deinit {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }

  var interrupted: Bool { state.withLock { $0.interrupted } }

  /// The run to cancel on a signal (nil between runs).
  func watch(_ run: RunningDocument?) {
    let cancelNow = state.withLock { state in
      state.current = run
      return state.interrupted
    }
    if cancelNow { run?.cancel() }
  }
}

import OCRKit
import Synchronization

/// A run the UI thread has asked for, whose `RunningDocument` arrives later (once its journal
/// is open): cancelling it, or some of its pages, before then is remembered and applied.
final class RunHandle: Sendable {
  private struct State {
    var running: RunningDocument?
    var cancelled = false
    var cancelledPages: Set<Int> = []
    /// The mode its pages start in (`m` may change it before the run is attached).
    var mode: OCRMode
  }
  private let state: Mutex<State>

  init(mode: OCRMode) { state = Mutex(State(mode: mode)) }

  /// Hands over the run; returns false (and cancels it) if it was cancelled meanwhile.
  func attach(_ running: RunningDocument) {
    let (cancelled, pages, mode) = state.withLock { state in
      state.running = running
      return (state.cancelled, state.cancelledPages, state.mode)
    }
    running.setMode(mode)
    if cancelled { running.cancel() }
    for page in pages { running.cancel(page: page) }
  }

  /// Pages of the run not yet sent go in `mode`.
  func setMode(_ mode: OCRMode) {
    let running = state.withLock { state in
      state.mode = mode
      return state.running
    }
    running?.setMode(mode)
  }

  func cancel() {
    let running = state.withLock { state in
      state.cancelled = true
      return state.running
    }
    running?.cancel()
  }

  func cancel(page: Int) {
    let running = state.withLock { state in
      state.cancelledPages.insert(page)
      return state.running
    }
    running?.cancel(page: page)
  }
}

import OCRKit
import Synchronization

/// A run the UI thread has asked for, whose `RunningDocument` arrives later (once its journal
/// is open): cancelling it, or some of its pages, before then is remembered and applied.
final class RunHandle: Sendable {
  private struct State {
    var running: RunningDocument?
    var cancelled = false
    var cancelledPages: Set<Int> = []
  }
  private let state = Mutex(State())

  /// Hands over the run; returns false (and cancels it) if it was cancelled meanwhile.
  func attach(_ running: RunningDocument) {
    let (cancelled, pages) = state.withLock { state in
      state.running = running
      return (state.cancelled, state.cancelledPages)
    }
    if cancelled { running.cancel() }
    for page in pages { running.cancel(page: page) }
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

import OCRKit
import Synchronization

/// A run the UI thread has asked for, whose `CheckedRun` arrives later (once its journal is
/// open): cancelling it, or some of its pages, before then is remembered and applied.
final class RequestedRun: Sendable {
  private struct State {
    var checked: CheckedRun?
    var cancelled = false
    var cancelledPages: Set<Int> = []
    /// The mode its pages start in (`m` may change it before the run is attached).
    var mode: OCRMode
  }
  private let state: Mutex<State>

  init(mode: OCRMode) { state = Mutex(State(mode: mode)) }

  /// Hands over the run, and cancels it (or pages of it) if that was asked for meanwhile.
  func attach(_ checked: CheckedRun) {
    let (cancelled, pages, mode) = state.withLock { state in
      state.checked = checked
      return (state.cancelled, state.cancelledPages, state.mode)
    }
    checked.running.setMode(mode)
    if cancelled { checked.cancel() }
    for page in pages { checked.running.cancel(page: page) }
  }

  /// Asks for a page's check; false when the run is not there to ask (not attached yet).
  func check(page: Int, text: String) -> Bool {
    guard let checked = state.withLock({ $0.checked }) else { return false }
    checked.check(page: page, text: text)
    return true
  }

  /// Pages of the run not yet sent go in `mode`.
  func setMode(_ mode: OCRMode) {
    let checked = state.withLock { state in
      state.mode = mode
      return state.checked
    }
    checked?.running.setMode(mode)
  }

  func cancel() {
    let checked = state.withLock { state in
      state.cancelled = true
      return state.checked
    }
    checked?.cancel()
  }

  func cancel(page: Int) {
    let checked = state.withLock { state in
      state.cancelledPages.insert(page)
      return state.checked
    }
    checked?.running.cancel(page: page)
  }
}

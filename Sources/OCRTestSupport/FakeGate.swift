import Foundation
import Synchronization

/// A step that waits until the test opens the gate: a fake server's response (a thread blocks
/// on it) or a test double's async step (a task suspends on it, holding no thread). Opening is
/// permanent: every wait, now or later, goes on.
public final class FakeGate: Sendable {
  private let condition = NSCondition()
  private let state = Mutex<(isOpen: Bool, waiting: [CheckedContinuation<Void, Never>])>(
    (false, []))

  public init() {}

  public func open() {
    condition.lock()
    let waiting = state.withLock { state in
      state.isOpen = true
      defer { state.waiting = [] }
      return state.waiting
    }
    condition.broadcast()
    condition.unlock()
    for task in waiting { task.resume() }
  }

  public var isOpen: Bool { state.withLock { $0.isOpen } }

  /// Waits up to `seconds` on the calling thread; true once the gate is open.
  func wait(seconds: Double) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    if isOpen { return true }
    _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
    return isOpen
  }

  /// Suspends until the gate is open (at once if it is).
  public func wait() async {
    await withCheckedContinuation { (task: CheckedContinuation<Void, Never>) in
      let now = state.withLock { state in
        if state.isOpen { return true }
        state.waiting.append(task)
        return false
      }
      if now { task.resume() }
    }
  }
}

import Foundation

/// A step that blocks a response until the test opens the gate. Opening is permanent: every
/// response waiting on the gate, now or later, goes on.
public final class FakeGate: Sendable {
  private let condition = NSCondition()
  private let state = Locked(false)

  public init() {}

  public func open() {
    condition.lock()
    state.withLock { $0 = true }
    condition.broadcast()
    condition.unlock()
  }

  public var isOpen: Bool { state.current }

  /// Waits up to `seconds`; true once the gate is open.
  func wait(seconds: Double) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    if state.current { return true }
    _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
    return state.current
  }
}

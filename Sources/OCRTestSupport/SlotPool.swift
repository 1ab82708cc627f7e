import Foundation

/// llama-server's parallel slots: a chat request that finds none free waits in the queue
/// (its connection open, no byte sent) until one frees.
final class SlotPool: Sendable {
  private let condition = NSCondition()
  private let counts: Locked<Counts>

  struct Counts: Sendable {
    var free: Int
    var busy = 0
    var peak = 0
  }

  init(slots: Int) { counts = Locked(Counts(free: max(slots, 1))) }

  /// Takes a slot; false if `giveUp` said so while waiting (checked every 20 ms).
  func acquire(giveUp: () -> Bool) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while counts.current.free == 0 {
      if giveUp() { return false }
      _ = condition.wait(until: Date(timeIntervalSinceNow: 0.02))
    }
    counts.withLock {
      $0.free -= 1
      $0.busy += 1
      $0.peak = max($0.peak, $0.busy)
    }
    return true
  }

  /// Takes a slot if one is free, without waiting.
  func tryAcquire() -> Bool {
    condition.lock()
    defer { condition.unlock() }
    return counts.withLock {
      guard $0.free > 0 else { return false }
      $0.free -= 1
      $0.busy += 1
      $0.peak = max($0.peak, $0.busy)
      return true
    }
  }

  func release() {
    condition.lock()
    counts.withLock {
      $0.free += 1
      $0.busy -= 1
    }
    condition.broadcast()
    condition.unlock()
  }

  var busy: Int { counts.current.busy }
  var peak: Int { counts.current.peak }
}

import Foundation
import Synchronization

/// Threads that spin at normal priority until stopped, as CPU-bound processes running beside
/// ocrview would: on a machine this busy an idle-priority (`SCHED_IDLE`) thread gets almost no
/// CPU, which is what tests of "it still finishes on a busy machine" need.
public final class CPUHogs: Sendable {
  private let running = Atomic(true)
  private let stopped = Atomic(0)
  private let count: Int

  /// Starts `count` spinning threads: by default one per core, which is enough to leave an idle
  /// thread no CPU. Stop them as soon as the test has what it needs: they slow every test
  /// running beside it.
  public init(count: Int = ProcessInfo.processInfo.activeProcessorCount) {
    self.count = count
    for _ in 0..<count {
      let thread = Thread { [self] in
        while running.load(ordering: .relaxed) {}
        stopped.add(1, ordering: .relaxed)
      }
      thread.name = "test.cpu-hog"
      thread.start()
    }
  }

  /// Stops the threads; returns once they have ended. Idempotent.
  public func stop() {
    running.store(false, ordering: .relaxed)
    while stopped.load(ordering: .relaxed) < count { usleep(1000) }
  }
}

import Dispatch
import Foundation

/// Where blocking C work runs (poppler, leptonica, tesseract, file I/O): a serial queue of its
/// own, never Swift's concurrency pool. The pool has one thread per core — two here — and a
/// blocking call on it stalls every task; two of them freeze the program.
public struct BlockingQueue: Sendable {
  private let queue: DispatchQueue

  public init(_ label: String) { queue = DispatchQueue(label: label) }

  /// Runs `work` on the queue, after what was queued before, and waits for it without holding
  /// a pool thread.
  public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { done in queue.async { done.resume(returning: work()) } }
  }

  /// Queues `work` and returns at once.
  public func async(_ work: @escaping @Sendable () -> Void) { queue.async(execute: work) }

  /// Runs a one-off blocking job on a thread of its own (one that may wait on threads the
  /// queues hold, such as ending the built-in engine's workers) and waits for it.
  public static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { done in Thread { done.resume(returning: work()) }.start() }
  }
}

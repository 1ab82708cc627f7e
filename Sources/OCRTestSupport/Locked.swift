import Synchronization

/// A value behind a `Mutex`, shared by reference: what closures and threads of the fake server
/// and the tests hold (a `Mutex` itself cannot be captured or copied).
public final class Locked<Value: Sendable>: Sendable {
  private let mutex: Mutex<Value>

  public init(_ value: Value) { mutex = Mutex(value) }

  public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    try mutex.withLock { try body(&$0) }
  }

  public var current: Value { withLock { $0 } }
}

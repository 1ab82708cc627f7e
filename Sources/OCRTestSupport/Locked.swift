import Foundation

/// A value guarded by an `NSLock` (not `Synchronization.Mutex`: the package still targets macOS 14).
///
/// `@unchecked Sendable` is safe because the stored value is only reachable through `withLock`,
/// which holds the lock for the whole access, and `Value` itself is `Sendable`.
final class Locked<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }

  var current: Value { withLock { $0 } }
}

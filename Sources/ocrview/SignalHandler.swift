import Dispatch
import Foundation

/// Turns signals into calls of `handler` on a queue (never in signal context) for as long as it
/// lives; `restore()` (or the end of its life) gives the signals their default actions back.
final class SignalHandler: @unchecked Sendable {
  // Safe: `sources` is set once in init and only read after (by restore and deinit).
  private let signals: [Int32]
  private let sources: [any DispatchSourceSignal]

  init(
    _ signals: [Int32], queue: DispatchQueue = .global(),
    handler: @escaping @Sendable (Int32) -> Void
  ) {
    self.signals = signals
    sources = signals.map { signalNumber in
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
      source.setEventHandler { handler(signalNumber) }
      source.resume()
      return source
    }
  }

  func restore() {
    for source in sources where !source.isCancelled { source.cancel() }
    for signalNumber in signals { signal(signalNumber, SIG_DFL) }
  }

  deinit { restore() }
}

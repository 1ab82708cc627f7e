import Dispatch
import Foundation

/// Turns signals into calls of `handler` on a queue (never in signal context) for as long as it
/// lives; `restore()` (or the end of its life) gives the signals their default actions back.
///
/// A signal ignored when the handler is made stays ignored, as a shell leaves it: `nohup`
/// ignores SIGHUP, and a script's background job (`cmd &`) SIGINT, on purpose.
final class SignalHandler: @unchecked Sendable {
  // Safe: `signals` and `sources` are set once in init and only read after (by restore and
  // deinit).
  private let signals: [Int32]
  private let sources: [any DispatchSourceSignal]

  init(
    _ signals: [Int32], queue: DispatchQueue = .global(),
    handler: @escaping @Sendable (Int32) -> Void
  ) {
    let handled = signals.filter { !Self.isIgnored($0) }
    self.signals = handled
    sources = handled.map { signalNumber in
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

  /// Whether `signalNumber` is ignored now (`SIG_IGN`), leaving its action as it is.
  static func isIgnored(_ signalNumber: Int32) -> Bool {
    var action = sigaction()
    guard sigaction(signalNumber, nil, &action) == 0 else { return false }
    return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
      == unsafeBitCast(SIG_IGN, to: Int.self)
  }

  /// Ends the process by `signalNumber`'s default action (for a signal whose default is to
  /// terminate), as if it had never been caught: the parent sees the signal. Falls back to
  /// exiting 128 + the signal's number should the signal not end the process.
  static func dieOf(_ signalNumber: Int32) -> Never {
    fflush(nil)
    signal(signalNumber, SIG_DFL)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, signalNumber)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
    raise(signalNumber)
    exit(ExitStatus.signalled(signalNumber))
  }
}

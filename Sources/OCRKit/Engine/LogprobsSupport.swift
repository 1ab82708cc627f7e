import Synchronization

/// Whether a server is still asked for token log-probabilities: yes until it refuses them
/// once, then never again for the engine's life (the run, the viewer's session).
///
/// llama-server and vLLM both give them (`logprobs: true`), but a server may refuse: vLLM
/// started with `--max-logprobs 0` answers 400 `Requested sample logprobs of 1, which is greater
/// than max allowed: 0`; llama-server refuses them with tools in a stream (`logprobs is not
/// supported with tools + stream`). Such a page is sent again at once without them — a refusal
/// costs one round trip, once, and never fails a page.
final class LogprobsSupport: Sendable {
  private let offered = Mutex(true)

  var isOffered: Bool { offered.withLock { $0 } }

  func refused() { offered.withLock { $0 = false } }

  /// A 400 whose message names log-probabilities: the server refuses them, not the page.
  static func isRefusal(_ error: ServerError) -> Bool {
    guard case .http(400, let message) = error else { return false }
    return message.lowercased().contains("logprob")
  }
}

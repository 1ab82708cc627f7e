import Synchronization

/// One transfer's events, which can be told to stop shortly after the answer is complete.
///
/// A server may send the chunk with `finish_reason` and then hold the connection open: no
/// `[DONE]`, no end of the chunked body. Waiting for the idle timeout failed a finished page,
/// and its retries wrote the text three times. Once the answer is complete, `arm()` allows
/// `grace` for what may still follow — llama-server's `[DONE]` right after its final chunk,
/// vLLM's separate usage chunk — then `steps` yields `.quiet`; leaving the loop and `stop()`
/// cancel the transfer. A server that ends the body on time never sees a difference, and
/// its connection stays open for the next page.
final class FinishGrace: Sendable {
  enum Step: Sendable {
    case event(HTTPEvent)
    /// The grace after a complete answer passed.
    case quiet
  }

  let steps: AsyncThrowingStream<Step, Error>
  private let continuation: AsyncThrowingStream<Step, Error>.Continuation
  private let grace: Duration
  private let tasks = Mutex<(pump: Task<Void, Never>?, timer: Task<Void, Never>?)>((nil, nil))

  init(_ events: AsyncThrowingStream<HTTPEvent, Error>, grace: Duration) {
    (steps, continuation) = AsyncThrowingStream.makeStream(of: Step.self)
    self.grace = grace
    let continuation = continuation
    let pump = Task {
      do {
        for try await event in events { continuation.yield(.event(event)) }
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    tasks.withLock { $0.pump = pump }
    continuation.onTermination = { [weak self] _ in self?.stop() }
  }

  /// Starts the grace (once; later calls do nothing).
  func arm() {
    tasks.withLock { tasks in
      guard tasks.timer == nil else { return }
      tasks.timer = Task { [continuation, grace] in
        guard (try? await Task.sleep(for: grace)) != nil else { return }
        continuation.yield(.quiet)
      }
    }
  }

  /// Stops reading: cancels the transfer (closing its connection if it is still open).
  func stop() {
    let (pump, timer) = tasks.withLock { ($0.pump, $0.timer) }
    pump?.cancel()
    timer?.cancel()
  }
}

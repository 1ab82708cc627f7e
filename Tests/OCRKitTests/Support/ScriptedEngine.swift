import OCRKit
import Synchronization

/// An engine for run tests: answers each page (each read of it) with scripted deltas or an
/// error, and records the order of calls and each read's temperature.
final class ScriptedEngine: OCREngine {
  enum Script: Sendable {
    case text([String])
    /// The deltas, then the answer ends with this `finish_reason` (`length`: cut off).
    case ending(FinishReason, [String])
    case fail(ServerError, after: [String])
    /// Sends the deltas, then waits until cancelled.
    case hang(after: [String])
  }

  let label = "scripted"
  let kind: EngineKind
  /// As a server's profile would have it; what a read without its own temperature uses.
  let temperature: Double?
  private let script: @Sendable (Int, Int) -> Script
  private let calls = Mutex<[(page: Int, temperature: Double?)]>([])

  init(
    kind: EngineKind = .server, temperature: Double? = 0.2,
    _ script: @escaping @Sendable (Int) -> Script
  ) {
    self.kind = kind
    self.temperature = temperature
    self.script = { page, _ in script(page) }
  }

  /// Scripts each read of a page: `reads(page, read)`, `read` counting from 1 per page.
  init(
    kind: EngineKind = .server, temperature: Double? = 0.2,
    reads script: @escaping @Sendable (Int, Int) -> Script
  ) {
    self.kind = kind
    self.temperature = temperature
    self.script = script
  }

  var pagesCalled: [Int] { calls.withLock { $0.map(\.page) } }
  /// The temperature each read of `page` asked for (nil: the engine's own), in order.
  func temperatures(page: Int) -> [Double?] {
    calls.withLock { $0.filter { $0.page == page }.map(\.temperature) }
  }

  func recognize(_ page: PageImage, _ options: ReadOptions) -> AsyncThrowingStream<
    EngineOutput, Error
  > {
    let read = calls.withLock { calls in
      calls.append((page.number, options.temperature))
      return calls.filter { $0.page == page.number }.count
    }
    let script = script(page.number, read)
    return AsyncThrowingStream { continuation in
      let task = Task {
        switch script {
        case .text(let deltas), .ending(_, let deltas):
          for delta in deltas { continuation.yield(.delta(delta)) }
          var info = CompletionInfo()
          if case .ending(let reason, _) = script {
            info.finishReason = reason
          } else {
            info.finishReason = "stop"
          }
          continuation.yield(.finished(info))
          continuation.finish()
        case .fail(let error, let deltas):
          for delta in deltas { continuation.yield(.delta(delta)) }
          continuation.finish(throwing: error)
        case .hang(let deltas):
          for delta in deltas { continuation.yield(.delta(delta)) }
          try? await Task.sleep(for: .seconds(3600))
          continuation.finish()
        }
      }
      continuation.onTermination = { _ in task.cancel() }
    }
  }
}

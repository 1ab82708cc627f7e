import OCRKit
import Synchronization

/// An engine for run tests: answers each page with scripted deltas or an error, and records
/// the order of calls.
final class ScriptedEngine: OCREngine {
  enum Script: Sendable {
    case text([String])
    case fail(ServerError, after: [String])
    /// Sends the deltas, then waits until cancelled.
    case hang(after: [String])
  }

  let label = "scripted"
  let kind: EngineKind
  private let script: @Sendable (Int) -> Script
  private let calls = Mutex<[Int]>([])

  init(kind: EngineKind = .server, _ script: @escaping @Sendable (Int) -> Script) {
    self.kind = kind
    self.script = script
  }

  var pagesCalled: [Int] { calls.withLock { $0 } }

  func recognize(_ page: PageImage, mode: OCRMode) -> AsyncThrowingStream<EngineOutput, Error> {
    calls.withLock { $0.append(page.number) }
    let script = script(page.number)
    return AsyncThrowingStream { continuation in
      let task = Task {
        switch script {
        case .text(let deltas):
          for delta in deltas { continuation.yield(.delta(delta)) }
          var info = CompletionInfo()
          info.finishReason = "stop"
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

import OCRKit
import Synchronization

/// The one engine double of the tests: answers each read of a page as scripted — deltas, an
/// ending (`length`: cut off), an error, a hang, or a page held until the test releases it —
/// and records every read (its page, mode and temperature) and every held read cancelled.
///
/// One shape for run tests (OCRKit), pool tests and the viewer's runtime tests, so a change
/// to `OCREngine` is made once here.
public final class ScriptedEngine: OCREngine {
  public enum Script: Sendable {
    case text([String])
    /// The deltas, then the answer ends with this `finish_reason` (`length`: cut off).
    case ending(FinishReason, [String])
    case fail(ServerError, after: [String])
    /// Sends the deltas, then waits until cancelled.
    case hang(after: [String])
    /// Waits until the test releases the page (`release`, `releaseAll`), then answers the
    /// deltas; counted in `cancelled` if cancelled first.
    case held([String])
  }

  public let label: String
  public let kind: EngineKind
  /// As a server's profile would have it; what a read without its own temperature uses.
  public let temperature: Double?
  private let script: @Sendable (Int, Int) -> Script
  private struct State {
    var calls: [(page: Int, mode: OCRMode, temperature: Double?)] = []
    var released: Set<Int> = []
    var releasedAll = false
    /// Held reads not released yet: which read (its index in `calls`) of which page.
    var waiting: [(read: Int, page: Int, resume: CheckedContinuation<Void, Never>)] = []
    var cancelled = 0
  }
  private let state = Mutex(State())

  /// Scripts each page: `script(page)`, the same for every read of it.
  public convenience init(
    label: String = "scripted", kind: EngineKind = .server, temperature: Double? = 0.2,
    _ script: @escaping @Sendable (Int) -> Script
  ) {
    self.init(
      label: label, kind: kind, temperature: temperature, reads: { page, _ in script(page) })
  }

  /// Scripts each read of a page: `reads(page, read)`, `read` counting from 1 per page.
  public init(
    label: String = "scripted", kind: EngineKind = .server, temperature: Double? = 0.2,
    reads script: @escaping @Sendable (Int, Int) -> Script
  ) {
    self.label = label
    self.kind = kind
    self.temperature = temperature
    self.script = script
  }

  public var pagesCalled: [Int] { state.withLock { $0.calls.map(\.page) } }
  /// "page:mode" of every read, in order: "1:stream", "2:batch".
  public var calls: [String] {
    state.withLock { $0.calls.map { "\($0.page):\($0.mode.rawValue)" } }
  }
  /// The temperature each read of `page` asked for (nil: the engine's own), in order.
  public func temperatures(page: Int) -> [Double?] {
    state.withLock { $0.calls.filter { $0.page == page }.map(\.temperature) }
  }
  /// Held reads waiting for their release now.
  public var holding: Int { state.withLock { $0.waiting.count } }
  /// Held reads cancelled before their release.
  public var cancelled: Int { state.withLock { $0.cancelled } }

  /// Lets the held reads of `pages` answer, now and from now on.
  public func release(_ pages: Int...) {
    resume { state in
      state.released.formUnion(pages)
      return { pages.contains($0) }
    }
  }

  /// Lets every held read answer, now and from now on.
  public func releaseAll() {
    resume { state in
      state.releasedAll = true
      return { _ in true }
    }
  }

  private func resume(_ change: (inout State) -> (Int) -> Bool) {
    let released = state.withLock { state in
      let isReleased = change(&state)
      let (go, stay) = (
        state.waiting.filter { isReleased($0.page) }, state.waiting.filter { !isReleased($0.page) }
      )
      state.waiting = stay
      return go
    }
    for read in released { read.resume.resume() }
  }

  /// Waits until `page` is released; false if cancelled first.
  private func waitForRelease(_ page: Int, read: Int) async -> Bool {
    await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
      let now = state.withLock { state in
        if state.releasedAll || state.released.contains(page) || Task.isCancelled { return true }
        state.waiting.append((read, page, resume))
        return false
      }
      if now { resume.resume() }
    }
    return !Task.isCancelled
  }

  public func recognize(_ page: PageImage, _ options: ReadOptions) -> AsyncThrowingStream<
    EngineOutput, Error
  > {
    let (index, read) = state.withLock { state in
      state.calls.append((page.number, options.mode, options.temperature))
      return (state.calls.count - 1, state.calls.filter { $0.page == page.number }.count)
    }
    let script = script(page.number, read)
    return AsyncThrowingStream { continuation in
      let task = Task {
        switch script {
        case .text(let deltas), .ending(_, let deltas):
          Self.answer(deltas, ending: script, continuation)
        case .fail(let error, let deltas):
          for delta in deltas { continuation.yield(.delta(delta)) }
          continuation.finish(throwing: error)
        case .hang(let deltas):
          for delta in deltas { continuation.yield(.delta(delta)) }
          try? await Task.sleep(for: .seconds(3600))
          continuation.finish()
        case .held(let deltas):
          guard await waitForRelease(page.number, read: index) else {
            state.withLock { $0.cancelled += 1 }
            continuation.finish(throwing: CancellationError())
            return
          }
          Self.answer(deltas, ending: script, continuation)
        }
      }
      continuation.onTermination = { [weak self] _ in
        task.cancel()
        self?.letGo(read: index)
      }
    }
  }

  /// A held read whose stream ended (cancelled) stops waiting, to see its cancellation.
  private func letGo(read: Int) {
    let held = state.withLock { state in
      let held = state.waiting.first { $0.read == read }
      state.waiting.removeAll { $0.read == read }
      return held
    }
    held?.resume.resume()
  }

  private static func answer(
    _ deltas: [String], ending script: Script,
    _ continuation: AsyncThrowingStream<EngineOutput, Error>.Continuation
  ) {
    for delta in deltas { continuation.yield(.delta(delta)) }
    var info = CompletionInfo()
    if case .ending(let reason, _) = script {
      info.finishReason = reason
    } else {
      info.finishReason = .stop
    }
    continuation.yield(.finished(info))
    continuation.finish()
  }
}

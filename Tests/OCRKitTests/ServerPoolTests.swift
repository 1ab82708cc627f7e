import Foundation
import OCRKitDoubles
import OCRTestSupport
import Synchronization
import Testing

@testable import OCRKit

/// Several servers as one engine, against fake llama-servers.
@Suite struct ServerPoolTests {
  static let transport = CurlTransport()

  func engine(_ url: String) -> ChatCompletionsEngine {
    ChatCompletionsEngine(
      endpoint: ServerEndpoint(url)!, settings: GenerationSettings(), apiKey: nil,
      transport: Self.transport)
  }

  func run(
    _ pool: ServerPool, pages: Int, concurrency: Int, retryDelay: Duration = .milliseconds(10)
  ) async throws
    -> [RunEvent]
  {
    let path = TestFiles.scratchDirectory() + "/doc.pdf"
    TestFiles.makePDF(pages: pages, at: path)
    let document = try await OpenedDocument.open(path: path)
    var plan = RunPlan(pages: Array(1...pages), mode: .stream, concurrency: concurrency)
    plan.retry = RetryPolicy(retries: 2, delay: retryDelay)
    var events: [RunEvent] = []
    for await event in RunRecipe(document: document, engine: pool, plan: plan).start().events {
      events.append(event)
    }
    return events
  }

  func finished(_ events: [RunEvent]) -> [Int: String] {
    var texts: [Int: String] = [:]
    for case .pageFinished(let page, let text, _) in events { texts[page] = text }
    return texts
  }

  @Test func pagesGoToTheServerWithAFreeSlotAndWaitWhenAllAreBusy() async throws {
    // In-process "servers" that hold every page until released: no timing involved.
    let a = ScriptedEngine(label: "a") { _ in .held(["a"]) }
    let b = ScriptedEngine(label: "b") { _ in .held(["b"]) }
    let pool = ServerPool(servers: [a, b], slots: [2, 1])
    let page = PageImage(number: 1, bytes: [], mimeType: "image/png", width: 1, height: 1)
    let readers = (0..<4).map { _ in
      Task { () -> String in
        var text = ""
        for try await case .delta(let delta) in pool.recognize(page, mode: .stream) {
          text += delta
        }
        return text
      }
    }
    #expect(await pollUntil { a.holding == 2 && b.holding == 1 })
    #expect(a.holding + b.holding == 3)  // the fourth page waits for a free slot
    b.releaseAll()
    #expect(await pollUntil { b.pagesCalled.count == 2 })  // …and takes B's freed slot
    a.releaseAll()
    b.releaseAll()
    var texts: [String] = []
    for reader in readers { texts.append(try await reader.value) }
    #expect(texts.sorted() == ["a", "a", "b", "b"])
  }

  @Test func aServerThatIsDownIsTakenOutOfRotation() async throws {
    let up = try FakeOCRServer(slots: 2) { _ in .chatStream(deltas: ["ok"]) }
    // Resting longer than any run: under the whole suite's load the default 10 s had passed
    // by the check once (CI, stop 33), and the down server was back in rotation.
    let pool = ServerPool(
      servers: [engine("http://127.0.0.1:9"), engine(up.baseURL)], slots: [2, 2],
      restTime: .seconds(600))
    let events = try await run(pool, pages: 5, concurrency: 2)
    #expect(finished(events).count == 5)
    #expect(up.requests.count == 5)
    #expect(await pool.inRotation == [false, true])
  }

  @Test func aPageCutOffOnOneServerIsRetriedOnAnother() async throws {
    let flaky = try FakeOCRServer { _ in .stream([.role, .delta("half"), .drop]) }
    let steady = try FakeOCRServer { _ in .chatStream(deltas: ["whole ", "page"]) }
    // Resting far longer than any run: the flaky server gets one page, however late the other
    // page comes for a slot.
    let pool = ServerPool(
      servers: [engine(flaky.baseURL), engine(steady.baseURL)], slots: [1, 1],
      restTime: .seconds(600))
    let events = try await run(pool, pages: 2, concurrency: 2)
    #expect(finished(events) == [1: "whole page", 2: "whole page"])
    #expect(flaky.requests.count == 1)
    #expect(
      events.contains {
        if case .pageRetrying(_, 1, .server(.cutOff), _) = $0 { true } else { false }
      })
  }

  @Test func aFailedServerRestsAsLongAsItsFailureSays() {
    let rest = Duration.seconds(10)
    #expect(ServerPool.rest(after: .cutOff(detail: "x"), restTime: rest) == rest)
    #expect(ServerPool.rest(after: .http(status: 500, message: "x"), restTime: rest) == rest)
    #expect(ServerPool.rest(after: .http(status: 400, message: "x"), restTime: rest) == nil)
    let busy = ServerError.tooManyRequests(retryAfter: .seconds(3), message: "x")
    #expect(ServerPool.rest(after: busy, restTime: rest) == .seconds(3))
    let forever = ServerError.tooManyRequests(retryAfter: .seconds(86_400), message: "x")
    #expect(ServerPool.rest(after: forever, restTime: rest) == ServerWait.longest)
    #expect(ServerPool.rest(after: .loading(url: "x"), restTime: rest) == nil)
    #expect(ServerPool.rest(after: nil, restTime: rest) == nil)  // cancelled, not the server
  }

  @Test func whenEveryServerIsDownThePagesFailAsUnreachable() async throws {
    let pool = ServerPool(
      servers: [engine("http://127.0.0.1:9"), engine("http://127.0.0.2:9")], slots: [1, 1])
    let events = try await run(pool, pages: 3, concurrency: 2)
    let failures = events.filter {
      if case .pageFailed(_, .server(.unreachable), _, _) = $0 { true } else { false }
    }
    #expect(failures.count == 3)
  }
}

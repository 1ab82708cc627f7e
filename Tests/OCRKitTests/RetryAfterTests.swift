import Foundation
import Testing

@testable import OCRKit
@testable import OCRTestSupport

/// A server's `Retry-After` holds every request to it, not only the page it turned away: the
/// request rate follows what the server asked for. Asserted on what the server saw, with bounds
/// a loaded machine can only make easier to meet (fewer requests, longer gaps).
@Suite struct RetryAfterTests {
  static let transport = CurlTransport()

  @Test func aWaitLastsAsLongAsAskedKeepsTheLongestAndIsCapped() {
    let wait = ServerWait()
    let now = ContinuousClock.now
    #expect(wait.over(at: now) == nil)
    wait.asked(toWait: .seconds(2), now: now)
    #expect(wait.over(at: now + .seconds(1)) == now + .seconds(2))
    #expect(wait.over(at: now + .seconds(2)) == nil)
    wait.asked(toWait: .seconds(1), now: now)  // a shorter wait does not cut a longer one
    #expect(wait.over(at: now + .milliseconds(1500)) == now + .seconds(2))
    wait.asked(toWait: .seconds(3600), now: now)
    #expect(wait.over(at: now) == now + ServerWait.longest)
    let none = ServerWait()
    none.asked(toWait: .seconds(-5), now: now)
    #expect(none.over(at: now) == nil)
  }

  /// The engine's next request leaves no sooner than the server asked.
  @Test func theNextRequestWaitsForRetryAfter() async throws {
    let server = try FakeOCRServer { request in
      request.index == 0 ? .tooManyRequests(retryAfter: 1) : .chatStream(deltas: ["text"])
    }
    let endpoint = try #require(ServerEndpoint(server.baseURL))
    let engine = ChatCompletionsEngine(
      endpoint: endpoint, settings: GenerationSettings(), apiKey: nil, transport: Self.transport)
    let page = PageImage(
      number: 1, bytes: Array("fake png".utf8), mimeType: "image/png", width: 10, height: 10)
    await #expect(throws: ServerError.self) {
      for try await _ in engine.recognize(page, mode: .stream) {}
    }
    await engine.acceptingRequests()
    for try await _ in engine.recognize(page, mode: .stream) {}
    let chats = server.requests.filter { $0.index >= 0 }
    #expect(chats.count == 2)
    #expect(chats[1].receivedAt - chats[0].receivedAt >= .seconds(1))
  }

  /// A server without slots answering 429 with `Retry-After: 1` for two seconds, 100 pages
  /// waiting: before, each refused page gave its permit to the next page, which was refused
  /// in turn — hundreds of requests a second. Now a handful per second: at most the pages in
  /// flight, once a second.
  @Test func aRunSendsNothingWhileTheServerAskedToWait() async throws {
    let first = Locked<ContinuousClock.Instant?>(nil)
    let server = try FakeOCRServer(model: FakeModel(server: .vllm)) { request in
      let start = first.withLock { first in
        first = first ?? request.receivedAt
        return first!
      }
      return request.receivedAt - start < .seconds(2)
        ? .tooManyRequests(retryAfter: 1) : .chatStream(deltas: ["page"])
    }
    let endpoint = try #require(ServerEndpoint(server.baseURL))
    let engine = ChatCompletionsEngine(
      endpoint: endpoint, settings: GenerationSettings(), apiKey: nil, transport: Self.transport)
    let path = TestFiles.scratchDirectory() + "/many.pdf"
    TestFiles.makePDF(pages: 100, at: path)
    let document = try await OpenedDocument.open(path: path)
    var plan = RunPlan(
      pages: Array(1...100), mode: .stream, maxSide: 64, concurrency: .adaptive(start: 8, max: 64))
    plan.retry = RetryPolicy(retries: 2, delay: .milliseconds(50))
    var finished = 0
    for await event in RunRecipe(document: document, engine: engine, plan: plan).start().events {
      if case .pageFinished = event { finished += 1 }
    }
    #expect(finished == 100)
    let start = try #require(first.withLock { $0 })
    let refused = server.requests.filter { $0.index >= 0 && $0.receivedAt - start < .seconds(2) }
    // The first 8 at once, then those waiting once a second: under 3 × 8.
    #expect(refused.count <= 24, "\(refused.count) requests in the two seconds of 429s")
  }
}

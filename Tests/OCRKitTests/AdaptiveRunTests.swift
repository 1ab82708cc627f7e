import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// Runs against a fake vLLM (no `/props`; C answers at a time; the rest queue or get 429)
/// through libcurl: the adaptive limit settles near C. Asserted on what the server saw — how
/// many requests it held as each arrived, in the second half of the run — not on wall-clock.
@Suite(.serialized) struct AdaptiveRunTests {
  static let transport = CurlTransport()

  struct Outcome {
    var heldAtArrival: [Int]
    var limits: [Int]
    var events: [RunEvent]
    var rejected: Int
  }

  func run(
    capacity: Int, overflow: FakeOCRServer.Overflow, pages: Int, pace: Duration
  ) async throws -> Outcome {
    let server = try FakeOCRServer(
      slots: capacity, overflow: overflow, model: FakeModel(server: .vllm)
    ) { _ in
      .chatStream(
        deltas: ["page ", "text"], firstByteDelay: pace - .milliseconds(10),
        between: .milliseconds(5))
    }
    let endpoint = try #require(ServerEndpoint(server.baseURL))
    let engine = ChatCompletionsEngine(
      endpoint: endpoint, settings: GenerationSettings(), apiKey: nil, transport: Self.transport)
    let selection = await EngineSelection.remote(
      [engine], probes: [ServerProbe(endpoint: endpoint, transport: Self.transport)],
      concurrency: nil, reason: "")
    #expect(selection.concurrency == .adaptive(start: 8, max: 64))
    let path = TestFiles.scratchDirectory() + "/many.pdf"
    TestFiles.makePDF(pages: pages, at: path)
    let document = try await OpenedDocument.open(path: path)
    // Tiny images: the client's own work must not be what limits the pages per second.
    var plan = RunPlan(
      pages: Array(1...pages), mode: .stream, maxSide: 64, concurrency: selection.concurrency)
    plan.retry = RetryPolicy(retries: 2, delay: .milliseconds(50))
    var events: [RunEvent] = []
    for await event in RunRecipe(document: document, engine: selection.engine, plan: plan)
      .start().events
    {
      events.append(event)
    }
    let limits = events.compactMap { event -> Int? in
      if case .concurrencyChanged(let limit) = event { return limit }
      return nil
    }
    return Outcome(
      heldAtArrival: server.chatsHeldAtArrival, limits: limits, events: events,
      rejected: server.rejectedChats)
  }

  /// `honoursWaits`: the server asks to wait at each overflow (`Retry-After`), and every
  /// request waits that long (`RetryAfterTests`), so the server runs below its capacity for
  /// those waits: in flight may not exceed it, and need not reach it.
  func expectSettled(
    _ outcome: Outcome, near capacity: Int, pages: Int, honoursWaits: Bool = false
  ) {
    let done = outcome.events.filter { if case .pageFinished = $0 { true } else { false } }.count
    #expect(done == pages, "every page is read; none fails for the 429s")
    let late = outcome.heldAtArrival.suffix(outcome.heldAtArrival.count / 2)
    let mean = Double(late.reduce(0, +)) / Double(max(1, late.count))
    print(
      "capacity \(capacity): mean in flight at the server \(mean) in the second half, "
        + "\(outcome.limits.count) limit changes, last \(outcome.limits.last ?? 0), "
        + "\(outcome.rejected) refused")
    #expect(
      honoursWaits
        ? mean <= 1.25 * Double(capacity) && mean >= 0.5 * Double(capacity)
        : abs(mean - Double(capacity)) <= 0.25 * Double(capacity),
      "mean in flight \(mean) against a capacity of \(capacity)")
    guard case .documentFinished(let stats) = outcome.events.last else {
      Issue.record("the run must end with documentFinished")
      return
    }
    #expect(stats.concurrency?.initial == 8)
    #expect(stats.concurrency?.final == outcome.limits.last)
  }

  @Test func settlesNearTheCapacityOfAQueueingServer() async throws {
    for (capacity, pages, pace) in [(6, 300, 100), (20, 600, 150)] {
      let outcome = try await run(
        capacity: capacity, overflow: .queue, pages: pages, pace: .milliseconds(pace))
      expectSettled(outcome, near: capacity, pages: pages)
    }
  }

  @Test func settlesNearTheCapacityOfAServerAnswering429() async throws {
    for (capacity, pages, pace, retryAfter) in [(6, 300, 100, 1), (20, 600, 150, nil)] {
      let outcome = try await run(
        capacity: capacity, overflow: .reject(retryAfter: retryAfter), pages: pages,
        pace: .milliseconds(pace))
      expectSettled(outcome, near: capacity, pages: pages, honoursWaits: retryAfter != nil)
      #expect(outcome.rejected > 0)
      // Retries for 429 are reported, and Retry-After is honoured.
      let waits = outcome.events.compactMap { event -> Duration? in
        if case .pageRetrying(_, _, .server(.tooManyRequests), let after) = event { return after }
        return nil
      }
      #expect(!waits.isEmpty)
      #expect(waits.allSatisfy { $0 == (retryAfter.map { .seconds($0) } ?? .milliseconds(50)) })
    }
  }

  /// A pool with a vLLM in it adapts: its known slots plus 8 to start, the vLLM uncapped.
  @Test func aPoolWithAServerWithoutSlotsAdapts() async throws {
    let llama = try FakeOCRServer(slots: 2) { _ in .chatStream(deltas: ["x"]) }
    let vllm = try FakeOCRServer(slots: 4, model: FakeModel(server: .vllm)) { _ in
      .chatStream(deltas: ["x"])
    }
    let endpoints = [llama.baseURL, vllm.baseURL].map { ServerEndpoint($0)! }
    let selection = await EngineSelection.remote(
      endpoints.map {
        ChatCompletionsEngine(
          endpoint: $0, settings: GenerationSettings(), apiKey: nil, transport: Self.transport)
      }, probes: endpoints.map { ServerProbe(endpoint: $0, transport: Self.transport) },
      concurrency: nil, maxConcurrency: 32, reason: "")
    #expect(selection.engine is ServerPool)
    #expect(selection.concurrency == .adaptive(start: 10, max: 32))
    // --concurrency N fixes it.
    let fixed = await EngineSelection.remote(
      [
        ChatCompletionsEngine(
          endpoint: endpoints[1], settings: GenerationSettings(), apiKey: nil,
          transport: Self.transport)
      ], probes: [ServerProbe(endpoint: endpoints[1], transport: Self.transport)],
      concurrency: 3, reason: "")
    #expect(fixed.concurrency == .fixed(3))
  }

  @Test func aBusyServerIsWaitedForApartFromTheRetries() {
    let policy = RetryPolicy(retries: 2, delay: .milliseconds(500), loadingRetries: 30)
    let busy = OCRError.server(.tooManyRequests(retryAfter: .seconds(3), message: "busy"))
    #expect(policy.delay(after: busy, attempt: 1) == .seconds(3))
    #expect(policy.delay(after: busy, attempt: 30) == .seconds(3))
    #expect(policy.delay(after: busy, attempt: 31) == nil)
    let noHint = OCRError.server(.tooManyRequests(retryAfter: nil, message: "busy"))
    #expect(policy.delay(after: noHint, attempt: 5) == .milliseconds(500))
    let hour = OCRError.server(.tooManyRequests(retryAfter: .seconds(3600), message: "busy"))
    #expect(policy.delay(after: hour, attempt: 1) == .seconds(60))
    #expect(busy.isOverload(serverWasUp: false))
    #expect(OCRError.server(.loading(url: "u")).isOverload(serverWasUp: true))
    #expect(!OCRError.server(.loading(url: "u")).isOverload(serverWasUp: false))
    #expect(!OCRError.server(.incomplete).isOverload(serverWasUp: true))
  }
}

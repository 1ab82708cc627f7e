import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// Runs against the fake server through libcurl, with the run reading the fake's `/metrics`
/// (its figures follow the fake's real state): the limit follows the server's queue. Asserted
/// on what the server saw as each request arrived, never on wall-clock.
@Suite(.serialized) struct QueueRunTests {
  static let transport = CurlTransport()

  struct Outcome {
    var heldAtArrival: [Int]
    var slotUses: [FakeOCRServer.SlotUse]
    var events: [RunEvent]
    var selection: EngineSelection
    /// GETs of `/metrics` and `/slots` the server answered.
    var figureRequests: Int
    var rejected: Int
  }

  func run(
    capacity: Int, overflow: FakeOCRServer.Overflow = .queue, model: FakeModel,
    metrics: FakeMetrics?, slotsEndpoint: Bool = false, pages: Int,
    pace: Duration = .milliseconds(150)
  ) async throws -> Outcome {
    let server = try FakeOCRServer(
      slots: capacity, overflow: overflow, model: model, metrics: metrics,
      slotsEndpoint: slotsEndpoint
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
    let events = try await Self.read(pages: pages, with: selection)
    let done = events.filter { if case .pageFinished = $0 { true } else { false } }.count
    #expect(done == pages)
    return Outcome(
      heldAtArrival: server.chatsHeldAtArrival, slotUses: server.slotUses, events: events,
      selection: selection,
      figureRequests: server.allRequests.count { ["/metrics", "/slots"].contains($0.path) },
      rejected: server.rejectedChats)
  }

  /// Reads a synthetic PDF of `pages` pages with `selection`, its queue figures (one server's
  /// or a pool's) wired in as `EngineSetup.plan` wires them; every event, in order.
  static func read(pages: Int, with selection: EngineSelection) async throws -> [RunEvent] {
    let path = TestFiles.scratchDirectory() + "/queue.pdf"
    TestFiles.makePDF(pages: pages, at: path)
    let document = try await OpenedDocument.open(path: path)
    var plan = RunPlan(
      pages: Array(1...pages), mode: .stream, maxSide: 64, concurrency: selection.concurrency)
    plan.serverLoad = selection.serverLoad
    plan.poolLoad = selection.poolLoad
    var events: [RunEvent] = []
    for await event in RunRecipe(document: document, engine: selection.engine, plan: plan)
      .start().events
    {
      events.append(event)
    }
    return events
  }

  static func loads(_ events: [RunEvent]) -> [ServerLoad] {
    events.compactMap { if case .serverLoad(let load) = $0 { load } else { nil } }
  }

  /// The fake's `/metrics` and `/slots` follow its state: with its one slot held and one
  /// request queued for it, they say 1 running and 1 waiting, read through libcurl as a run
  /// reads them.
  @Test func theFakesFiguresFollowItsState() async throws {
    for metrics in FakeMetrics.allCases {
      let gate = FakeGate()  // opening is for good: one per server
      let server = try FakeOCRServer(
        slots: 1, model: FakeModel(server: metrics == .vllm ? .vllm : .llamaServer),
        metrics: metrics, slotsEndpoint: true
      ) { _ in .stream([.role, .wait(gate), .finish("stop"), .done]) }
      let endpoint = try #require(ServerEndpoint(server.baseURL))
      let probe = ServerProbe(endpoint: endpoint, transport: Self.transport)
      let reader = ServerLoadReader(probe: probe, timeout: .seconds(30))
      #expect(await reader.read().map { [$0.running, $0.waiting] } == [0, 0])
      let engine = ChatCompletionsEngine(
        endpoint: endpoint, settings: GenerationSettings(), apiKey: nil, transport: Self.transport)
      let pages = [1, 2].map { page in
        Task {
          let image = PageImage(
            number: page, bytes: [UInt8(page)], mimeType: "image/png", width: 1, height: 1)
          for try await _ in engine.recognize(image, mode: .stream) {}
        }
      }
      #expect(await server.waitUntil { server.load == (1, 1) })
      let load = await reader.read()
      #expect(load?.running == 1 && load?.waiting == 1)
      #expect(load?.source == (metrics == .vllm ? .vllmMetrics : .llamaMetrics))
      if metrics == .llamacpp {
        let slots = await probe.get(endpoint.slotsURL, timeout: .seconds(30))
        #expect(
          slots.flatMap { ServerLoad.parse(slots: $0.body) }
            == ServerLoad(source: .llamaSlots, running: 1, waiting: nil, capacity: 1))
      }
      gate.open()
      for page in pages { _ = await page.result }
    }
  }

  @Test func aVLLMThatReportsItsQueueIsKeptFullWithoutOne() async throws {
    // Starts at 8 against 4 slots: the first figures show 4 waiting, and they come off.
    let outcome = try await run(
      capacity: 4, model: FakeModel(server: .vllm), metrics: .vllm, pages: 40)
    #expect(outcome.selection.concurrency == .adaptive(start: 8, max: 64))
    let loads = Self.loads(outcome.events)
    #expect(loads.first?.source == .vllmMetrics)
    #expect(loads.contains { $0.capacity == 4 }, "the capacity is learnt: \(loads)")
    // No queue at the server: the requests of the run's second half waited for a slot less
    // than one standing in its queue would (a page sent ahead of a slot's end, `LookAhead`,
    // waits there a few milliseconds).
    let uses = outcome.slotUses.sorted { $0.arrived < $1.arrived }
    let queue = FakeOCRServer.meanQueue(uses.suffix(uses.count / 2))
    #expect(queue < 0.5, "a mean of \(queue) waiting at the server")
    let late = outcome.heldAtArrival.suffix(outcome.heldAtArrival.count / 2).sorted()
    #expect(late[late.count / 2] >= 3, "its slots kept busy: \(late)")
  }

  /// A vLLM behind something that answers 429 beyond its 4 slots instead of queueing: the
  /// first refusals teach the capacity, and the run stops sending into them (before, the
  /// limit doubled back two polls after each cut: 4 pages refused every round).
  @Test func aServerThatRefusesBeyondItsSlotsIsNotOverrunRoundAfterRound() async throws {
    let outcome = try await run(
      capacity: 4, overflow: .reject(retryAfter: nil), model: FakeModel(server: .vllm),
      metrics: .vllm, pages: 80)
    #expect(Self.loads(outcome.events).contains { $0.capacity == 4 }, "learnt")
    // The first 8 find 4 slots. Now and then a page sent as a slot frees reaches the fake
    // before its thread lets the slot go: 5–8 refused in all; 40 before, 4 more every half
    // second. (Learning from what ran after such a refusal ratcheted the capacity down.)
    #expect(outcome.rejected <= 16, "\(outcome.rejected) refused")
  }

  @Test func llamaServerMetricsWithItsPropsSlots() async throws {
    let outcome = try await run(
      capacity: 3, model: FakeModel(), metrics: .llamacpp, pages: 24)
    #expect(outcome.selection.concurrency == .fixed(3))
    let loads = Self.loads(outcome.events)
    #expect(loads.first?.source == .llamaMetrics)
    #expect(loads.allSatisfy { $0.capacity == 3 && $0.running <= 3 })
  }

  @Test func slotsAloneAreRead() async throws {
    let outcome = try await run(
      capacity: 2, model: FakeModel(), metrics: nil, slotsEndpoint: true, pages: 12)
    let loads = Self.loads(outcome.events)
    #expect(loads.first?.source == .llamaSlots)
    #expect(loads.allSatisfy { $0.capacity == 2 })
  }

  @Test func aServerWithoutFiguresKeepsTheAIMDLimit() async throws {
    // vLLM-shaped, /metrics 404: asked a few times, then no more; no figures are shown.
    let outcome = try await run(
      capacity: 4, model: FakeModel(server: .vllm), metrics: nil, pages: 24)
    #expect(Self.loads(outcome.events).isEmpty)
    #expect(outcome.figureRequests <= 2 * ServerLoadReader.attempts, "asked no more")
    #expect(outcome.figureRequests >= 2, "asked, though")
    // AIMD's 8 on 4 slots stand in the server's queue: the measure above sees a queue.
    let uses = outcome.slotUses.sorted { $0.arrived < $1.arrived }
    #expect(FakeOCRServer.meanQueue(uses.suffix(uses.count / 2)) >= 1)
  }
}

/// A pool of two fake vLLMs of different capacities, each reporting its queue: each server's
/// share follows its own figures, so neither queues (without them the pool sends each the
/// same share, and the smaller one queues).
@Suite(.serialized) struct PoolQueueRunTests {
  @Test func eachServerOfAPoolHoldsWhatItRuns() async throws {
    let transport = QueueRunTests.transport
    let responder: @Sendable (FakeRequest) -> FakeResponse = { _ in
      .chatStream(
        deltas: ["page ", "text"], firstByteDelay: .milliseconds(140), between: .milliseconds(5))
    }
    let small = try FakeOCRServer(
      slots: 2, model: FakeModel(server: .vllm), metrics: .vllm, responder: responder)
    let large = try FakeOCRServer(
      slots: 5, model: FakeModel(server: .vllm), metrics: .vllm, responder: responder)
    let endpoints = try [small, large].map { try #require(ServerEndpoint($0.baseURL)) }
    let engines = endpoints.map {
      ChatCompletionsEngine(
        endpoint: $0, settings: GenerationSettings(), apiKey: nil, transport: transport)
    }
    let selection = await EngineSelection.remote(
      engines, probes: endpoints.map { ServerProbe(endpoint: $0, transport: transport) },
      concurrency: nil, reason: "")
    #expect(selection.poolLoad?.servers.count == 2)
    let pages = 84
    let events = try await QueueRunTests.read(pages: pages, with: selection)
    #expect(events.count { if case .pageFinished = $0 { true } else { false } } == pages)
    #expect(!QueueRunTests.loads(events).isEmpty, "the servers' figures were read")
    for (server, capacity) in [(small, 2), (large, 5)] {
      // The last third: the first pages go out before any figures (8 to each server).
      let late = server.chatsHeldAtArrival.suffix(server.chatsHeldAtArrival.count / 3).sorted()
      #expect(
        !late.isEmpty && late[late.count / 2] <= capacity,
        "no queue at the server of \(capacity): \(late)")
    }
  }
}

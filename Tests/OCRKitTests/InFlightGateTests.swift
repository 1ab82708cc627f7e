import OCRTestSupport
import Testing

@testable import OCRKit

/// The gate under a server's figures: they move even a fixed limit, a refusal shrinks it by
/// the queue's rule, and a poll without figures changes nothing while the last ones are fresh.
@Suite struct InFlightGateTests {
  static let source = ServerLoadSource(
    reader: ServerLoadReader(
      probe: ServerProbe(endpoint: ServerEndpoint("127.0.0.1:9")!, transport: CurlTransport())),
    capacity: 4)
  static let source2 = ServerLoadSource(reader: source.reader, capacity: 2)

  @Test func serverFiguresMoveAFixedLimit() async {
    let gate = InFlightGate(.fixed(4), serverLoad: Self.source)
    for _ in 0..<4 { #expect(await gate.acquire() != nil) }
    // Another client's 4 share the server's 4 slots with ours: 2 of each wait.
    let (limit, capacity) = gate.observe(
      ServerLoad(source: .llamaMetrics, running: 4, waiting: 4))
    #expect(limit == 2)
    #expect(capacity == 4)
    #expect(gate.limit == 2)
    #expect(gate.observe(nil).limit == nil, "fresh figures still hold")
    #expect(gate.overloaded(gate.sent()) == 1)
    #expect(gate.stats()?.final == 1)
  }

  @Test func withoutFiguresTheGateIsAsBefore() async {
    let gate = InFlightGate(.fixed(3), serverLoad: Self.source)
    #expect(gate.observe(nil).limit == nil)
    #expect(gate.limit == 3)
    #expect(gate.overloaded(gate.sent()) == nil, "a fixed limit without figures stays")
  }
}

/// The look-ahead through the gate, on instants the test gives: a waiting page leaves for a
/// slot just before it frees, only while the server's figures say it runs all we send.
@Suite struct InFlightGateLookAheadTests {
  let base = ContinuousClock.now
  func at(_ milliseconds: Int) -> ContinuousClock.Instant { base + .milliseconds(milliseconds) }

  static func figures(running: Int, waiting: Int) -> ServerLoad {
    ServerLoad(source: .llamaMetrics, running: running, waiting: waiting)
  }

  /// A gate on a 2-slot server holding both slots, that learnt pages of 500 ms.
  func trainedGate() async -> (InFlightGate, [InFlightGate.Permit]) {
    let gate = InFlightGate(.fixed(2), serverLoad: InFlightGateTests.source2, started: base)
    var permits: [InFlightGate.Permit] = []
    for _ in 0..<2 { if let permit = await gate.acquire() { permits.append(permit) } }
    _ = gate.observe(Self.figures(running: 2, waiting: 0), at: at(0))
    for page in 0..<8 {
      let sent = gate.sent(at: at(page * 10))
      _ = gate.completed(sent, at: at(page * 10 + 500))
    }
    return (gate, permits)
  }

  func waiter(_ gate: InFlightGate) async -> Task<InFlightGate.Permit?, Never> {
    let waiting = Task { await gate.acquire() }
    #expect(await pollUntil { gate.hasWaiters })
    return waiting
  }

  @Test func aWaitingPageLeavesJustBeforeASlotFrees() async {
    let (gate, permits) = await trainedGate()
    let first = gate.sent(permits[0], at: at(1000))
    let second = gate.sent(permits[1], at: at(1100))
    let waiting = await waiter(gate)
    // Due 20 ms (4 % of 500) before its predicted end.
    #expect(gate.sendAhead(at: at(1479)) == .milliseconds(1480))
    #expect(gate.hasWaiters)
    _ = gate.sendAhead(at: at(1481))
    #expect(await waiting.value == InFlightGate.Permit(follows: first.id))
    // The server shows our page sent ahead waiting: no queue of its own, the look-ahead goes
    // on for the next slot.
    _ = gate.observe(Self.figures(running: 2, waiting: 1), at: at(1490))
    #expect(gate.limit == 2)
    let next = await waiter(gate)
    _ = gate.sendAhead(at: at(1581))
    #expect(await next.value == InFlightGate.Permit(follows: second.id))
    #expect(gate.stats()?.sentAhead == 2)
    // Both pages end; their permits go back, and the pages sent ahead hold the two slots.
    _ = gate.completed(first, at: at(1502))
    _ = gate.completed(second, at: at(1601))
    gate.release()
    gate.release()
    let third = await waiter(gate)
    #expect(gate.hasWaiters, "two in flight on two slots: no room")
    third.cancel()
    #expect(await third.value == nil)
  }

  @Test func aServerThatTurnsAPageSentAheadAwayGetsNoneAgain() async throws {
    let (gate, permits) = await trainedGate()
    _ = gate.sent(permits[0], at: at(1000))
    _ = gate.sent(permits[1], at: at(1100))
    let waiting = await waiter(gate)
    _ = gate.sendAhead(at: at(1481))
    let permit = try #require(await waiting.value)
    // A 429 for it: this server refuses what it cannot run at once.
    _ = gate.overloaded(gate.sent(permit, at: at(1482)))
    let next = await waiter(gate)
    _ = gate.sendAhead(at: at(1581))
    #expect(gate.hasWaiters, "the second slot gets no page ahead")
    next.cancel()
    _ = await next.value
  }

  @Test func nothingLeavesAheadBesideAnotherClientOrAQueue() async {
    for load in [Self.figures(running: 2, waiting: 1), Self.figures(running: 3, waiting: 0)] {
      let (gate, permits) = await trainedGate()
      _ = gate.sent(permits[0], at: at(1000))
      // Another client's page waits (ours are both running), or runs beside ours.
      _ = gate.observe(load, at: at(1400))
      let waiting = await waiter(gate)
      _ = gate.sendAhead(at: at(1481))
      #expect(gate.hasWaiters, "\(load)")
      waiting.cancel()
      _ = await waiting.value
    }
  }
}

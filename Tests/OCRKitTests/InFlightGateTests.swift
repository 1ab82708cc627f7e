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

  @Test func serverFiguresMoveAFixedLimit() async {
    let gate = InFlightGate(.fixed(4), serverLoad: Self.source)
    for _ in 0..<4 { #expect(await gate.acquire()) }
    // Another client's 4 share the server's 4 slots with ours: 2 of each wait.
    let (limit, capacity) = gate.observe(
      ServerLoad(source: .llamaMetrics, running: 4, waiting: 4))
    #expect(limit == 2)
    #expect(capacity == 4)
    #expect(gate.limit == 2)
    #expect(gate.observe(nil).limit == nil, "fresh figures still hold")
    #expect(gate.overloaded(sentAt: .now) == 1)
    #expect(gate.stats()?.final == 1)
  }

  @Test func withoutFiguresTheGateIsAsBefore() async {
    let gate = InFlightGate(.fixed(3), serverLoad: Self.source)
    #expect(gate.observe(nil).limit == nil)
    #expect(gate.limit == 3)
    #expect(gate.overloaded(sentAt: .now) == nil, "a fixed limit without figures stays")
  }
}

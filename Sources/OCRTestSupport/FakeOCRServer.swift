import Foundation

/// A scriptable llama-server on 127.0.0.1 for tests: plain POSIX sockets, one thread per
/// connection, byte-level control over what is written when (see `FakeResponse`), and a record
/// of what the client did (requests, connections, disconnects mid-response).
///
/// Routes, as llama-server has them: `GET /health` (and `/v1/health`), `GET /v1/models` (and
/// `/models`), `GET /props` (`total_slots`; a vLLM-shaped `model` has none), `POST /v1/chat/completions` (and
/// `/chat/completions`) answered by the responder; anything else 404. While `health` is
/// `.loading` every route answers 503 `Loading model`. With an `apiKey`, all but the health
/// and models routes need `Authorization: Bearer <key>` (else 401). A chat body that is not
/// JSON gets 400 without reaching the responder. Chat answers with status 200 take one of
/// `slots` slots; requests beyond that wait (connection open, nothing sent) as on a busy
/// llama-server — or, with `overflow: .reject`, are answered 429 at once, as vLLM behind a
/// request limit or a hosted API does. With `model: FakeModel(server: .vllm)` and `slots: C`
/// it plays a vLLM of capacity C: no `/props`, C answers at a time.
public final class FakeOCRServer: Sendable {
  /// What a chat request that finds every slot busy gets.
  public enum Overflow: Sendable, Equatable {
    /// It waits for a slot, its connection open and nothing sent (its TTFT grows).
    case queue
    /// 429 Too Many Requests at once, with `Retry-After: N` seconds when given.
    case reject(retryAfter: Int?)
  }

  private let core: ServerCore

  /// - Parameters:
  ///   - port: 0 for an ephemeral port.
  ///   - model: the server and model `/v1/models` and `/props` describe.
  ///   - metrics: the `/metrics` page, vLLM's or llama-server's, its figures following the
  ///     fake's state (slots busy, requests queued); nil: none (501 as llama-server, 404 as vLLM).
  ///   - slotsEndpoint: answer llama-server's `/slots` (each slot's `is_processing`).
  ///   - log: called (on server threads) with one line per request served.
  public init(
    port: UInt16 = 0, slots: Int = 1, overflow: Overflow = .queue, health: HealthState = .ok,
    apiKey: String? = nil, model: FakeModel = FakeModel(), metrics: FakeMetrics? = nil,
    slotsEndpoint: Bool = false,
    log: (@Sendable (String) -> Void)? = nil,
    responder: @escaping @Sendable (FakeRequest) -> FakeResponse
  ) throws {
    core = try ServerCore(
      port: port, slots: slots, overflow: overflow, health: health, apiKey: apiKey,
      model: model, metrics: metrics, slotsEndpoint: slotsEndpoint, log: log,
      responder: responder)
    core.start()
  }

  deinit { core.stop() }

  public var port: UInt16 { core.port }
  /// `http://127.0.0.1:PORT`
  public var baseURL: String { "http://127.0.0.1:\(core.port)" }
  /// `baseURL` + `/v1/chat/completions`
  public var chatURL: String { baseURL + "/v1/chat/completions" }

  /// Every chat-completion request received, in order (including ones answered 503/401/400).
  public var requests: [FakeRequest] { core.chatRequests }
  /// Every request received, chat or not, in order.
  public var allRequests: [FakeRequest] { core.allRequests }
  /// Every connection accepted, in order.
  public var connections: [FakeConnection] { core.connections }
  /// How many times a client closed its connection while a chat answer was being written.
  public var clientDisconnectsMidResponse: Int { core.disconnects }
  /// Responses being written right now (including ones waiting for a slot).
  public var responsesInFlight: Int { core.respondingCount }
  /// The most chat answers that held a slot at the same time.
  public var peakConcurrentChats: Int { core.slots.peak }
  /// A chat answer's use of a slot: when its request was ready to take one, and when it held
  /// it.
  public struct SlotUse: Sendable {
    public let arrived: ContinuousClock.Instant
    public let held: Range<ContinuousClock.Instant>
  }

  /// Each chat answer's use of a slot, in the order they let it go: how long a freed slot
  /// waited for the next request, and a request for a slot, are read from these, not from
  /// arrivals (a request sent just before a slot frees arrives before its slot is free).
  public var slotUses: [SlotUse] { core.slotUses }

  /// The mean number of chat requests waiting for a slot over the time from the first of
  /// `uses` arriving to the last one ending: each one's wait, added up, over that time — a
  /// queue standing at one is 1, a request now and then arriving a moment early far less.
  public static func meanQueue(_ uses: some Collection<SlotUse>) -> Double {
    guard let from = uses.map(\.arrived).min(), let to = uses.map(\.held.upperBound).max(),
      to > from
    else { return 0 }
    let waited = uses.reduce(Duration.zero) { $0 + ($1.held.lowerBound - $1.arrived) }
    return waited / (to - from)
  }
  /// For each chat request that would take a slot, in order of arrival: how many such
  /// requests the server held when it arrived, itself included (queued ones too) — the
  /// client's pages in flight, as the server sees them.
  public var chatsHeldAtArrival: [Int] { core.chatsHeldAtArrival }
  /// Chat requests running (holding a slot) and queued for one, right now: what `/metrics` says.
  public var load: (running: Int, waiting: Int) { core.load }
  /// Chat requests answered 429 because every slot was busy (`overflow: .reject`).
  public var rejectedChats: Int { core.rejectedChats }

  public func setHealth(_ health: HealthState) { core.setHealth(health) }

  /// Closes the listening socket and every connection; waits briefly for the threads. Also
  /// done by `deinit`. Idempotent.
  public func stop() { core.stop() }

  /// `pollUntil` for what the server has seen the client do
  /// (`await server.waitUntil { server.clientDisconnectsMidResponse == 1 }`).
  public func waitUntil(
    timeout: Duration = .seconds(120), _ condition: @Sendable () -> Bool
  ) async -> Bool {
    await pollUntil(timeout: timeout) { condition() }
  }
}

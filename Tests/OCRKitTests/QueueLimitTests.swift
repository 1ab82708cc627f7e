import OCRTestSupport
import Testing

@testable import OCRKit

/// The queue-driven limit fed scripted server figures on a fake clock, then a simulation of
/// one or several clients sharing one server that serves `capacity` requests at once and
/// queues the rest.
@Suite struct QueueLimitTests {
  static func at(_ seconds: Double) -> Duration { .milliseconds(Int64(seconds * 1000)) }

  static func vllm(running: Int, waiting: Int) -> ServerLoad {
    ServerLoad(source: .vllmMetrics, running: running, waiting: waiting)
  }

  @Test func aQueueOfOursComesOffAtOnce() {
    var limit = QueueLimit(start: 8, maximum: 64)
    #expect(
      limit.observe(Self.vllm(running: 6, waiting: 2), inFlight: 8, pagesWaiting: true, at: .zero)
        == 6)
    #expect(limit.capacity == 6)
  }

  @Test func anotherClientsQueueIsSharedByWhatEachHolds() {
    // 12 run, 8 wait: we hold 10 of the 20, so half the queue (4) is ours.
    var limit = QueueLimit(start: 10, maximum: 64)
    _ = limit.observe(
      Self.vllm(running: 12, waiting: 8), inFlight: 10, pagesWaiting: true, at: .zero)
    #expect(limit.limit == 6)
  }

  @Test func roomIsTakenOnceSeenTwice() {
    var limit = QueueLimit(start: 8, maximum: 64, capacity: 12)
    let figures = Self.vllm(running: 8, waiting: 0)
    #expect(limit.observe(figures, inFlight: 8, pagesWaiting: true, at: Self.at(0.25)) == nil)
    #expect(limit.observe(figures, inFlight: 8, pagesWaiting: true, at: Self.at(0.5)) == 12)
    // No pages waiting here: room is not ours to take.
    var idle = QueueLimit(start: 8, maximum: 64, capacity: 12)
    _ = idle.observe(figures, inFlight: 8, pagesWaiting: false, at: Self.at(0.25))
    #expect(idle.observe(figures, inFlight: 8, pagesWaiting: false, at: Self.at(0.5)) == nil)
  }

  @Test func withoutACapacityItGrowsUntilSomethingWaits() {
    var limit = QueueLimit(start: 8, maximum: 64)
    var limits: [Int] = []
    var now = 0.0
    for _ in 0..<4 {
      now += 0.2
      _ = limit.observe(
        Self.vllm(running: limit.limit, waiting: 0), inFlight: limit.limit, pagesWaiting: true,
        at: Self.at(now))
      limits.append(limit.limit)
    }
    // Nobody waiting is believed when seen twice; then it doubles at each poll.
    #expect(limits == [8, 16, 32, 64])
    _ = limit.observe(
      Self.vllm(running: 12, waiting: 52), inFlight: 64, pagesWaiting: true, at: Self.at(1))
    #expect(limit.limit == 12)
    #expect(limit.capacity == 12)
    // Full: steady, until the probe interval has passed.
    #expect(
      limit.observe(
        Self.vllm(running: 12, waiting: 0), inFlight: 12, pagesWaiting: true, at: Self.at(1.25))
        == nil)
    #expect(
      limit.observe(
        Self.vllm(running: 12, waiting: 0), inFlight: 12, pagesWaiting: true, at: Self.at(11.5))
        == 13)
  }

  @Test func pagesNotYetAtTheServerAreNoRoomToGrow() {
    // The run's first poll: our 8 are on their way, the server holds none of them yet.
    var limit = QueueLimit(start: 8, maximum: 64)
    #expect(
      limit.observe(Self.vllm(running: 0, waiting: 0), inFlight: 8, pagesWaiting: true, at: .zero)
        == nil)
    // Beside another client: its 12 run, ours are on their way — then ours wait.
    var beside = QueueLimit(start: 8, maximum: 64)
    let early = Self.vllm(running: 12, waiting: 0)
    #expect(beside.observe(early, inFlight: 8, pagesWaiting: true, at: .zero) == nil)
    #expect(
      beside.observe(
        Self.vllm(running: 12, waiting: 8), inFlight: 8, pagesWaiting: true, at: Self.at(0.25))
        == 4)
  }

  /// A client starting while another holds the server (its requests seen before the
  /// later one's own arrive): while both run, each ends 40–60 % of the pages — the later one
  /// neither starved nor overtaking (doubling on the other's figures once let it take 2/3).
  @Test func aLaterClientGetsItsShareWithoutOvertaking() {
    for offset in [0.1, 0.3, 0.5, 0.8] {
      for seed: UInt64 in 1...4 {
        let outcome = Self.simulate(
          capacity: 12, pages: [100, 100], starts: [0, offset], jitter: 0.02, transit: 0.02,
          seed: seed)
        let share = outcome.firstShare(from: offset + 0.5)
        #expect((0.4...0.6).contains(share), "offset \(offset), seed \(seed): \(share)")
      }
    }
  }

  @Test func theBiggerClientGivesBackUntilEven() {
    var limit = QueueLimit(start: 10, maximum: 64, capacity: 12)
    // We hold 10, another 2: full, nobody waits.
    #expect(
      limit.observe(Self.vllm(running: 12, waiting: 0), inFlight: 10, pagesWaiting: true, at: .zero)
        == 9)
    _ = limit.observe(
      Self.vllm(running: 12, waiting: 0), inFlight: 6, pagesWaiting: true, at: Self.at(1))
    #expect(limit.limit == 9, "6 against 6: even")
  }

  @Test func slotsAloneEstimateTheQueueFromOurPages() {
    var limit = QueueLimit(start: 4, maximum: 4)
    let slots = ServerLoad(source: .llamaSlots, running: 2, waiting: nil, capacity: 2)
    // Two of our four do not run: they wait; seen twice, they come off.
    #expect(limit.observe(slots, inFlight: 4, pagesWaiting: true, at: Self.at(0.25)) == nil)
    #expect(limit.observe(slots, inFlight: 4, pagesWaiting: true, at: Self.at(0.5)) == 2)
  }

  @Test func aRefusalTeachesTheCapacityOfAServerThatDoesNotQueue() {
    // 8 sent to a server that runs 4 and refuses the rest: its figures never show a queue.
    var limit = QueueLimit(start: 8, maximum: 64)
    for _ in 0..<4 { _ = limit.overloaded() }
    #expect(limit.limit == 4)
    let full = Self.vllm(running: 4, waiting: 0)
    for poll in 1...8 {
      _ = limit.observe(full, inFlight: 4, pagesWaiting: true, at: Self.at(0.25 * Double(poll)))
    }
    #expect(limit.capacity == 4)
    #expect(limit.limit == 4, "not doubled into the refusals again")
    // A later refusal (a page reaching the server a moment before its slot frees) takes one
    // off but teaches nothing: the capacity stays, and the room brings the limit back.
    _ = limit.overloaded()
    for poll in 9...11 {
      _ = limit.observe(
        Self.vllm(running: limit.limit, waiting: 0), inFlight: limit.limit, pagesWaiting: true,
        at: Self.at(0.25 * Double(poll)))
    }
    #expect(limit.capacity == 4)
    #expect(limit.limit == 4)
    // Without a refusal the same figures are room to grow into (no capacity yet).
    var unrefused = QueueLimit(start: 4, maximum: 64)
    for poll in 1...2 {
      _ = unrefused.observe(
        full, inFlight: 4, pagesWaiting: true, at: Self.at(0.25 * Double(poll)))
    }
    #expect(unrefused.limit == 8)
  }

  @Test func ourPagesSentAheadAreNoQueue() {
    // 12 slots learnt; ours all run, and one more of ours waits for the slot about to free.
    var limit = QueueLimit(start: 12, maximum: 64)
    _ = limit.observe(
      Self.vllm(running: 12, waiting: 3), inFlight: 15, pagesWaiting: true, at: Self.at(0.25))
    #expect(limit.limit == 12 && limit.capacity == 12)
    #expect(!limit.holdsServer, "a queue of ours")
    let sentAhead = Self.vllm(running: 12, waiting: 1)
    _ = limit.observe(sentAhead, inFlight: 13, ahead: 1, pagesWaiting: true, at: Self.at(0.5))
    #expect(limit.limit == 12)
    #expect(limit.holdsServer)
    // Counted as a queue, the same figures would stop the look-ahead they come from.
    var unaware = limit
    _ = unaware.observe(sentAhead, inFlight: 13, pagesWaiting: true, at: Self.at(0.75))
    #expect(!unaware.holdsServer)
    // /slots: our page sent ahead is the one not running, not a queue estimated from ours.
    var slots = QueueLimit(start: 2, maximum: 2, capacity: 2)
    let figures = ServerLoad(source: .llamaSlots, running: 2, waiting: nil, capacity: 2)
    for at in [0.25, 0.5] {
      _ = slots.observe(figures, inFlight: 3, ahead: 1, pagesWaiting: true, at: Self.at(at))
    }
    #expect(slots.limit == 2 && slots.holdsServer)
    // Another client beside us, or a queue beyond our page: the server is not ours alone.
    for (running, waiting) in [(13, 1), (12, 2)] {
      var shared = limit
      _ = shared.observe(
        Self.vllm(running: running, waiting: waiting), inFlight: 13, ahead: 1,
        pagesWaiting: true, at: Self.at(1))
      #expect(!shared.holdsServer, "running \(running), waiting \(waiting)")
    }
  }

  @Test func figuresGoStale() {
    var limit = QueueLimit(start: 8, maximum: 64)
    #expect(!limit.isCurrent(at: .zero))
    _ = limit.observe(
      Self.vllm(running: 1, waiting: 0), inFlight: 1, pagesWaiting: false, at: Self.at(1))
    #expect(limit.isCurrent(at: Self.at(2.9)))
    #expect(!limit.isCurrent(at: Self.at(3.1)))
  }

  @Test func aRefusalTakesATenthOff() {
    var limit = QueueLimit(start: 21, maximum: 64)
    #expect(limit.overloaded() == 18)
    var small = QueueLimit(start: 1, maximum: 64)
    #expect(small.overloaded() == nil)
  }

  // MARK: - Simulation

  struct Client {
    var controller: QueueLimit
    var pages: Int
    var inFlight = 0
    var done = 0
    var finishedAt = 0.0
    var sampled: [Int] = []
  }

  struct Outcome {
    var clients: [Client]
    var end: Double
    /// The server's queue at every poll.
    var waiting: [Int]
    /// The server's slots busy at every poll.
    var running: [Int]
    /// When each page ended, and whose it was.
    var finishes: [(at: Double, client: Int)]

    /// The first client's share of the pages that ended from `from` until a client was done.
    func firstShare(from: Double) -> Double {
      let end = clients.map(\.finishedAt).min() ?? 0
      let window = finishes.filter { $0.at >= from && $0.at <= end }
      return Double(window.count { $0.client == 0 }) / Double(max(1, window.count))
    }
  }

  /// Clients starting at `starts` against a server of `capacity` slots serving each request
  /// in `service` seconds (± `jitter`), reporting its figures as vLLM does (`reportsWaiting`)
  /// or only its slots; a request takes `transit` seconds to reach it. Each client polls every
  /// `poll` seconds while it has pages not yet sent.
  static func simulate(
    capacity: Int, pages: [Int], starts: [Double], service: Double = 0.5, jitter: Double = 0.2,
    transit: Double = 0.005, poll: Double = 0.25, start: Int = 8, reportedCapacity: Int? = nil,
    reportsWaiting: Bool = true, seed: UInt64 = 1
  ) -> Outcome {
    enum Kind {
      case arrive(Int)
      case finish(Int)
      case poll(Int)
      case begin(Int)
    }
    var random = SplitMix64(seed: seed)
    var events: [(at: Double, kind: Kind)] = []
    func schedule(_ at: Double, _ kind: Kind) {
      let index = events.firstIndex { $0.at > at } ?? events.count
      events.insert((at, kind), at: index)
    }
    var clients = pages.map {
      Client(
        controller: QueueLimit(start: start, maximum: 64, capacity: reportedCapacity), pages: $0)
    }
    var running = 0
    var queue: [Int] = []
    var waitingSeen: [Int] = []
    var runningSeen: [Int] = []
    var finishes: [(at: Double, client: Int)] = []
    var started = Array(repeating: false, count: clients.count)
    var now = 0.0
    func serve(_ client: Int) {
      running += 1
      schedule(now + service * (1 + jitter * (2 * random.nextDouble() - 1)), .finish(client))
    }
    func fill(_ index: Int) {
      while started[index], clients[index].inFlight < clients[index].controller.limit,
        clients[index].pages > 0
      {
        clients[index].pages -= 1
        clients[index].inFlight += 1
        schedule(now + transit, .arrive(index))
      }
    }
    for (index, at) in starts.enumerated() { schedule(at, .begin(index)) }
    while !events.isEmpty {
      let (at, kind) = events.removeFirst()
      now = at
      switch kind {
      case .begin(let index):
        started[index] = true
        fill(index)
        schedule(now + poll, .poll(index))
      case .arrive(let index):
        if running < capacity { serve(index) } else { queue.append(index) }
      case .finish(let index):
        running -= 1
        clients[index].inFlight -= 1
        clients[index].done += 1
        clients[index].finishedAt = now
        finishes.append((now, index))
        if !queue.isEmpty { serve(queue.removeFirst()) }
        fill(index)
      case .poll(let index):
        guard clients[index].pages > 0 else { break }
        let load = ServerLoad(
          source: reportsWaiting ? .vllmMetrics : .llamaSlots, running: running,
          waiting: reportsWaiting ? queue.count : nil,
          capacity: reportsWaiting ? nil : capacity)
        waitingSeen.append(queue.count)
        runningSeen.append(running)
        clients[index].sampled.append(clients[index].inFlight)
        _ = clients[index].controller.observe(
          load, inFlight: clients[index].inFlight,
          pagesWaiting: clients[index].inFlight >= clients[index].controller.limit,
          at: .nanoseconds(Int64(now * 1e9)))
        fill(index)
        schedule(now + poll, .poll(index))
      }
    }
    return Outcome(
      clients: clients, end: now, waiting: waitingSeen, running: runningSeen, finishes: finishes)
  }

  static func median(_ values: [Int]) -> Int { values.sorted()[values.count / 2] }

  @Test func oneClientKeepsTwelveSlotsFullWithoutAQueue() {
    for seed: UInt64 in 1...5 {
      let outcome = Self.simulate(capacity: 12, pages: [100], starts: [0], seed: seed)
      let ideal = 100 * 0.5 / 12
      // After the first second (4 polls).
      #expect((11...13).contains(Self.median(Array(outcome.clients[0].sampled.dropFirst(4)))))
      #expect(Self.median(outcome.waiting) == 0)
      #expect(outcome.end <= 1.10 * ideal + 0.5, "seed \(seed): \(outcome.end) s")
    }
  }

  @Test func twoSlotsHoldTwoOrThree() {
    let outcome = Self.simulate(capacity: 2, pages: [30], starts: [0])
    #expect((2...3).contains(Self.median(Array(outcome.clients[0].sampled.dropFirst(4)))))
    #expect(Self.median(outcome.waiting) == 0)
  }

  @Test func slotsAloneFillTheServer() {
    let outcome = Self.simulate(
      capacity: 4, pages: [40], starts: [0], start: 8, reportsWaiting: false)
    #expect(Self.median(Array(outcome.clients[0].sampled.dropFirst(4))) == 4)
  }

  @Test func twoClientsSplitOneServer() {
    for seed: UInt64 in 1...5 {
      // The second starts a second later, when the first already holds every slot.
      let outcome = Self.simulate(capacity: 12, pages: [100, 100], starts: [0, 1], seed: seed)
      let ideal = 200 * 0.5 / 12
      #expect(outcome.end <= 1.15 * ideal + 1, "seed \(seed): \(outcome.end) s")
      #expect(Self.median(outcome.waiting) == 0)
      // While both run, they hold about as much each.
      let both = min(outcome.clients[0].finishedAt, outcome.clients[1].finishedAt)
      let first = outcome.clients[0].sampled.dropFirst(12).prefix(Int(both / 0.25) - 14)
      let second = outcome.clients[1].sampled.dropFirst(8).prefix(Int(both / 0.25) - 14)
      #expect(
        (5...7).contains(Self.median(Array(first))) && (5...7).contains(Self.median(Array(second))),
        "seed \(seed): \(Self.median(Array(first))) and \(Self.median(Array(second)))")
    }
  }

  @Test func threeClientsDoNotGrowTheQueue() {
    let outcome = Self.simulate(capacity: 12, pages: [60, 60, 60], starts: [0, 0.1, 0.2])
    #expect(Self.median(outcome.waiting) == 0)
    #expect(outcome.end <= 1.15 * (180 * 0.5 / 12) + 1)
  }
}

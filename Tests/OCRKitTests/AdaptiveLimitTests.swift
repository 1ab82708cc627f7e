import OCRTestSupport
import Testing

@testable import OCRKit

/// The controller against a simulated server on a fake clock: a server that serves `capacity`
/// requests at once, each taking `service` seconds (± `jitter`), and either queues the rest
/// (latency grows) or refuses them with 429 (retried 50 ms later).
@Suite struct AdaptiveLimitTests {
  enum Overflow { case queue, reject }

  struct Simulation {
    var capacity: Int
    var overflow: Overflow
    var service = 0.1
    var jitter = 0.3
    var pages = 3000
    var start = 8
    var maximum = 64
    var seed: UInt64 = 1
    /// The queue is served in random order (as the fake server's waiters wake), not FIFO.
    var randomOrder = false
  }

  /// The limit after each completed page.
  static func run(_ sim: Simulation) -> [Int] {
    enum Kind {
      case finish(sentAt: Double)
      case reject(sentAt: Double)
      case resend
    }
    var random = SplitMix64(seed: sim.seed)
    var controller = AdaptiveLimit(start: sim.start, maximum: sim.maximum)
    var events: [(at: Double, kind: Kind)] = []
    var now = 0.0
    var busy = 0
    var queue: [Double] = []  // sent-at times of queued requests
    var inFlight = 0
    var unsent = sim.pages
    var retriesReady = 0
    var limits: [Int] = []
    func duration(_ seconds: Double) -> Duration { .nanoseconds(Int64(seconds * 1e9)) }
    func schedule(_ at: Double, _ kind: Kind) {
      let index = events.firstIndex { $0.at > at } ?? events.count
      events.insert((at, kind), at: index)
    }
    func serviceTime() -> Double {
      sim.service * (1 + sim.jitter * (2 * random.nextDouble() - 1))
    }
    func fill() {
      while inFlight < controller.limit, retriesReady > 0 || unsent > 0 {
        if retriesReady > 0 { retriesReady -= 1 } else { unsent -= 1 }
        inFlight += 1
        controller.sent(at: duration(now))
        if busy < sim.capacity {
          busy += 1
          schedule(now + serviceTime(), .finish(sentAt: now))
        } else if sim.overflow == .queue {
          queue.append(now)
        } else {
          schedule(now + 0.002, .reject(sentAt: now))
        }
      }
    }
    fill()
    while !events.isEmpty {
      let event = events.removeFirst()
      now = event.at
      switch event.kind {
      case .finish(let sentAt):
        busy -= 1
        inFlight -= 1
        _ = controller.completed(sentAt: duration(sentAt), at: duration(now))
        limits.append(controller.limit)
        if !queue.isEmpty {
          busy += 1
          let next = sim.randomOrder ? random.below(queue.count) : 0
          schedule(now + serviceTime(), .finish(sentAt: queue.remove(at: next)))
        }
      case .reject(let sentAt):
        inFlight -= 1
        _ = controller.overloaded(sentAt: duration(sentAt), at: duration(now))
        schedule(now + 0.05, .resend)
      case .resend:
        retriesReady += 1
      }
      fill()
    }
    return limits
  }

  static func mean(_ values: ArraySlice<Int>) -> Double {
    Double(values.reduce(0, +)) / Double(values.count)
  }

  @Test(arguments: [Overflow.queue, .reject], [2, 6, 20, 50])
  func settlesNearTheServersCapacity(overflow: Overflow, capacity: Int) {
    for seed in 1...5 as ClosedRange<UInt64> {
      let limits = Self.run(Simulation(capacity: capacity, overflow: overflow, seed: seed))
      let late = limits[(limits.count / 2)...]
      let mean = Self.mean(late)
      #expect(
        abs(mean - Double(capacity)) <= 0.25 * Double(capacity),
        "\(overflow), capacity \(capacity), seed \(seed): mean limit \(mean)")
      // No blow-ups: the limit saws around the capacity, never far off it.
      #expect(late.max()! <= capacity * 3 / 2 + 2 && late.min()! >= capacity / 3)
    }
  }

  /// A constant pace (a fake server's): latency comes in steps of whole service times.
  @Test(arguments: [Overflow.queue, .reject], [6, 20])
  func settlesWithoutNoiseToo(overflow: Overflow, capacity: Int) {
    let limits = Self.run(Simulation(capacity: capacity, overflow: overflow, jitter: 0.01))
    let mean = Self.mean(limits[(limits.count / 2)...])
    #expect(abs(mean - Double(capacity)) <= 0.25 * Double(capacity), "mean limit \(mean)")
  }

  /// Pages that differ a lot (±60 % latency, as a blank page and a dense one do) blur the
  /// signal: the limit is held lower (spurious decreases, slower growth), but it neither
  /// collapses to 1 nor runs away.
  @Test(arguments: [Overflow.queue, .reject], [6, 20])
  func veryNoisyPagesStayBounded(overflow: Overflow, capacity: Int) {
    for seed in 1...3 as ClosedRange<UInt64> {
      let limits = Self.run(
        Simulation(capacity: capacity, overflow: overflow, jitter: 0.6, pages: 6000, seed: seed))
      let mean = Self.mean(limits[(limits.count / 2)...])
      #expect(mean >= 0.45 * Double(capacity) && mean <= 1.5 * Double(capacity), "\(mean)")
    }
  }

  /// A queue served out of order: the windows wait for their whole cohort, so the pages that
  /// wait longest are counted too.
  @Test(arguments: [6, 20, 50])
  func aQueueServedOutOfOrderToo(capacity: Int) {
    for seed in 1...3 as ClosedRange<UInt64> {
      let limits = Self.run(
        Simulation(capacity: capacity, overflow: .queue, seed: seed, randomOrder: true))
      let mean = Self.mean(limits[(limits.count / 2)...])
      #expect(abs(mean - Double(capacity)) <= 0.3 * Double(capacity), "\(mean)")
    }
  }

  @Test func aServerWithRoomToSpareGetsTheMaximum() {
    let limits = Self.run(Simulation(capacity: 200, overflow: .queue, maximum: 64))
    #expect(limits.suffix(1000).allSatisfy { $0 == 64 })
  }

  @Test func startsAtTheStartWithinBounds() {
    #expect(AdaptiveLimit(start: 8, maximum: 64).limit == 8)
    #expect(AdaptiveLimit(start: 8, maximum: 4).limit == 4)
    #expect(AdaptiveLimit(start: 0, maximum: 4).limit == 1)
    #expect(Concurrency.adaptive(start: 8, max: 3).initial == 3)
    #expect(Concurrency.fixed(0).initial == 1)
  }

  @Test func pagesRefusedTogetherShrinkTheLimitOnce() {
    var limit = AdaptiveLimit(start: 8, maximum: 64)
    #expect(limit.overloaded(sentAt: .zero, at: .seconds(1)) == 7)
    // Sent before the change, refused with the first: no further decrease.
    #expect(limit.overloaded(sentAt: .milliseconds(10), at: .seconds(1)) == nil)
    // Sent after it and refused too: the limit is still too high.
    #expect(limit.overloaded(sentAt: .seconds(2), at: .seconds(2)) == 6)
    var two = AdaptiveLimit(start: 2, maximum: 64)
    #expect(two.overloaded(sentAt: .zero, at: .zero) == 1)
    var one = AdaptiveLimit(start: 1, maximum: 64)
    #expect(one.overloaded(sentAt: .zero, at: .zero) == nil)
    #expect(one.limit == 1)
  }

  @Test func pagesSentBeforeAChangeDoNotCount() {
    var limit = AdaptiveLimit(start: 8, maximum: 64)
    _ = limit.overloaded(sentAt: .zero, at: .seconds(1))  // 7, a new window from t = 1 s
    for i in 0..<20 {
      let early = limit.completed(sentAt: .milliseconds(500), at: .seconds(2) + .milliseconds(i))
      #expect(early == nil)
    }
    // A window at 7 is 14 pages sent since.
    for i in 0..<13 {
      #expect(limit.completed(sentAt: .seconds(2), at: .seconds(3) + .milliseconds(i)) == nil)
    }
    #expect(limit.completed(sentAt: .seconds(2), at: .seconds(3) + .milliseconds(20)) == 8)
  }
}

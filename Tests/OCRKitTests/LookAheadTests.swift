import OCRTestSupport
import Testing

@testable import OCRKit

/// The look-ahead on a fake clock: when it predicts, when a slot is due its next page, how a
/// page sent ahead is timed; then a seeded simulation of a server's slots refilled with and
/// without it.
@Suite struct LookAheadTests {
  static func ms(_ value: Int) -> Duration { .milliseconds(value) }

  /// A look-ahead that learnt `times` (each page sent at 0 and ended then).
  static func learnt(_ times: [Int]) -> LookAhead {
    var lookAhead = LookAhead()
    for (index, time) in times.enumerated() {
      let id = UInt64(1000 + index)
      lookAhead.sent(id, follows: nil, at: .zero)
      lookAhead.ended(id, finished: true, at: ms(time))
    }
    return lookAhead
  }

  @Test func itPredictsOnlyFromEightRegularPages() throws {
    #expect(Self.learnt(Array(repeating: 500, count: 7)).prediction == nil, "seven pages")
    let regular = try #require(Self.learnt([500, 505, 498, 502, 510, 495, 501, 503]).prediction)
    #expect(regular.time == Self.ms(502))
    #expect(abs((regular.lead - .milliseconds(20.08)).seconds) < 1e-9, "4 % of the median")
    // One stray page each way does not stop it; two slow ones do.
    #expect(Self.learnt([500, 505, 498, 502, 900, 300, 501, 503]).prediction != nil)
    #expect(Self.learnt([500, 505, 498, 502, 900, 800, 501, 503]).prediction == nil)
    // Pages of a real document differ far more than 4 %.
    #expect(Self.learnt([3100, 5400, 2200, 8000, 4100, 3900, 6100, 2900]).prediction == nil)
    // Pages that did not finish (failed, cancelled, refused) teach nothing.
    var failed = Self.learnt(Array(repeating: 500, count: 7))
    failed.sent(1, follows: nil, at: .zero)
    failed.ended(1, finished: false, at: Self.ms(20))
    #expect(failed.prediction == nil)
  }

  @Test func theLeadStaysBetween5And250Milliseconds() {
    #expect(Self.learnt(Array(repeating: 40, count: 8)).prediction?.lead == Self.ms(5))
    #expect(Self.learnt(Array(repeating: 60_000, count: 8)).prediction?.lead == Self.ms(250))
  }

  @Test func aSlotIsDueOnceWithinItsLeadOfThePredictedEnd() {
    var lookAhead = Self.learnt(Array(repeating: 500, count: 8))  // lead 20 ms
    lookAhead.sent(1, follows: nil, at: Self.ms(100))
    lookAhead.sent(2, follows: nil, at: Self.ms(130))
    #expect(lookAhead.nextDue(after: Self.ms(100)) == Self.ms(580))
    #expect(lookAhead.due(at: Self.ms(579)).isEmpty)
    #expect(lookAhead.due(at: Self.ms(580)) == [1])
    #expect(lookAhead.due(at: Self.ms(615)) == [1, 2], "the earliest end first")
    lookAhead.refill(1)
    #expect(lookAhead.ahead == 1)
    #expect(lookAhead.due(at: Self.ms(615)) == [2], "once per page")
    #expect(lookAhead.nextDue(after: Self.ms(600)) == Self.ms(610))
    // Past its end by more than the lead, a page overran the prediction: no page for it.
    #expect(lookAhead.due(at: Self.ms(651)).isEmpty)
    lookAhead.ended(1, finished: true, at: Self.ms(601))
    #expect(lookAhead.ahead == 0)
    #expect(lookAhead.sentAhead == 1)
  }

  @Test func aPageSentAheadIsTimedFromTheEndOfThePageWhoseSlotItTook() throws {
    var lookAhead = Self.learnt(Array(repeating: 500, count: 8))
    lookAhead.sent(1, follows: nil, at: .zero)
    lookAhead.refill(1)
    lookAhead.sent(2, follows: 1, at: Self.ms(480))
    #expect(lookAhead.due(at: Self.ms(960)).isEmpty, "not before its slot is known to be free")
    lookAhead.ended(1, finished: true, at: Self.ms(502))
    #expect(lookAhead.nextDue(after: Self.ms(502)) == Self.ms(982))
    lookAhead.ended(2, finished: true, at: Self.ms(1003))
    // Timed from 502, not from 480: 501 ms at the server, not 523.
    #expect(lookAhead.times.last == Self.ms(501))
  }

  @Test func aServerThatTurnsAPageSentAheadAwayGetsNoneAgain() {
    var lookAhead = Self.learnt(Array(repeating: 500, count: 8))
    lookAhead.sent(1, follows: nil, at: .zero)
    lookAhead.sent(2, follows: nil, at: .zero)
    // A page not sent ahead turned away says nothing of pages sent ahead.
    lookAhead.refused(2, at: Self.ms(5))
    #expect(lookAhead.prediction != nil)
    lookAhead.refill(1)
    lookAhead.sent(3, follows: 1, at: Self.ms(480))
    lookAhead.refused(3, at: Self.ms(481))
    #expect(lookAhead.ahead == 0, "the page sent ahead is gone before its slot freed")
    #expect(lookAhead.prediction == nil)
    lookAhead.sent(4, follows: nil, at: Self.ms(500))
    #expect(lookAhead.due(at: Self.ms(985)).isEmpty)
    #expect(lookAhead.nextDue(after: Self.ms(500)) == nil)
  }

  /// A server with `slots` slots runs pages of `pageTime` ± `jitter` (a share of it); the
  /// client sees a page end `trip` after the server ends it and its next request reaches the
  /// server `trip` after it leaves. Without the look-ahead a slot is refilled when the client
  /// sees its page end; with it, as `LookAhead` says (its due times polled every millisecond,
  /// as `InFlightGate.sendAhead` is woken at them). Returns the slots' mean idle time between
  /// two pages and the longest a page waited at the server for its slot.
  static func simulate(
    slots: Int, pages: Int, pageTime: Int, jitter: Double, trip: Int, lookAhead: Bool,
    seed: UInt64
  ) -> (idle: Double, longestWait: Int, sentAhead: Int) {
    var random = SplitMix64(seed: seed)
    var model = LookAhead()
    /// Per slot: its page's id, its end at the server, and a page sent ahead for it.
    var running: [(id: UInt64, end: Int, next: (id: UInt64, arrives: Int)?)] = []
    var nextID: UInt64 = 0
    var sent = 0
    var idle = 0
    var refills = 0
    var longestWait = 0
    func duration() -> Int {
      Int((Double(pageTime) * (1 + jitter * (2 * random.nextDouble() - 1))).rounded())
    }
    for _ in 0..<slots {
      nextID += 1
      sent += 1
      model.sent(nextID, follows: nil, at: .zero)
      running.append((nextID, trip + duration(), nil))
    }
    var now = 0
    while running.contains(where: { $0.end + trip >= now }) {
      now += 1
      for slot in running.indices {
        let page = running[slot]
        if lookAhead, page.next == nil, sent < pages,
          model.due(at: ms(now)).contains(page.id)
        {
          model.refill(page.id)
          nextID += 1
          sent += 1
          model.sent(nextID, follows: page.id, at: ms(now))
          running[slot].next = (nextID, now + trip)
        }
        // The client sees the page end `trip` after the server.
        guard page.end + trip == now else { continue }
        model.ended(page.id, finished: true, at: ms(now))
        if let next = page.next {
          let start = max(page.end, next.arrives)
          longestWait = max(longestWait, start - next.arrives)
          idle += start - page.end
          refills += 1
          running[slot] = (next.id, start + duration(), nil)
        } else if sent < pages {
          nextID += 1
          sent += 1
          model.sent(nextID, follows: nil, at: ms(now))
          idle += 2 * trip
          refills += 1
          running[slot] = (nextID, now + trip + duration(), nil)
        }
      }
    }
    return (Double(idle) / Double(max(1, refills)), longestWait, model.sentAhead)
  }

  @Test(arguments: [UInt64(1), 2, 3, 4, 5])
  func regularPagesKeepTheSlotsBusyAndWaitNoLongerThanTheLead(seed: UInt64) {
    // 0.5 s pages, ±1 %: the lead is 20 ms.
    let without = Self.simulate(
      slots: 12, pages: 300, pageTime: 500, jitter: 0.01, trip: 4, lookAhead: false, seed: seed)
    let with = Self.simulate(
      slots: 12, pages: 300, pageTime: 500, jitter: 0.01, trip: 4, lookAhead: true, seed: seed)
    #expect(without.idle == 8, "a round trip per refill")
    #expect(with.idle < 1, "mean idle \(with.idle) ms")
    #expect(with.sentAhead > 250)
    #expect(with.longestWait <= 20 + 5, "a page sent ahead waited \(with.longestWait) ms")
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func irregularPagesAreNeverSentAhead(seed: UInt64) {
    // Real documents: pages ±50 %.
    let run = Self.simulate(
      slots: 12, pages: 300, pageTime: 500, jitter: 0.5, trip: 4, lookAhead: true, seed: seed)
    #expect(run.sentAhead == 0)
    #expect(run.longestWait == 0)
  }
}

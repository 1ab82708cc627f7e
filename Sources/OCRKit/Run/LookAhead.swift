/// A slot's next page sent just before the page in it ends, so the slot does not idle for our
/// round trip: issue 23's "small, measured look-ahead", beside `QueueLimit`, which keeps in
/// flight what the server runs. Pure: pages and time come in as values, so a fake clock tests
/// it (`LookAheadTests`).
///
/// The rule:
/// - **Page time, learnt**: how long the last `window` (8) finished pages took, each from its
///   request leaving — or, for a page sent ahead, from the end of the page whose slot it took —
///   to its answer's end.
/// - **Regular pages only**: it predicts only while those times, but for the shortest and
///   the longest, lie within `lead` of each other, `lead` being `share` (4 %) of their
///   median, at least 5 ms and at most 250 ms.
///   The pages of most real documents differ far more, and then nothing is sent ahead: a page
///   sent on a wrong guess would wait in the server's queue until some slot frees.
/// - **Due**: a page in flight is predicted to end at its start + the median. From `lead`
///   before that to `lead` after it, one page may leave for its slot, once per page: it
///   reaches the server a moment before the slot frees and waits there about `lead` at most.
///   A page past that window has overrun its prediction, and its slot gets no page ahead.
/// - A page sent ahead counts in `ahead` until the page whose slot it takes ends; the caller
///   reads the server's queue without it (`QueueLimit.observe(ahead:)`).
/// - The caller sends ahead only while pages wait for a permit and the server's figures say
///   it runs all we send and nothing else (`QueueLimit.holdsServer`): beside another client
///   a page of ours in the queue would look like a queue to it.
/// - A server that turns a page sent ahead away for load (429) does not queue: nothing is
///   sent ahead to it again (`refused`).
///
/// Measured (BENCHMARKS.md, issue 23, run E): 100 equal pages of 0.5 s on 12 slots, a slot
/// idles 2–3 ms between two pages instead of a round trip's 6–9 ms; the server's queue median
/// stays 0, a page sent ahead waiting there about 10 ms.
struct LookAhead: Sendable {
  /// A page in flight.
  struct Flight: Sendable {
    /// Where its time at the server starts: its request leaving, or the end of the page it
    /// was sent ahead for.
    var timedFrom: Duration
    /// A page was sent ahead for this one's slot.
    var refilled = false
    /// The page in flight whose slot this one was sent ahead for.
    var follows: UInt64?
    /// This page was sent ahead of its slot's end.
    var sentAhead = false
  }

  static let window = 8
  static let share = 0.04
  static let leadRange = Duration.milliseconds(5)...Duration.milliseconds(250)

  /// The last finished pages' times, oldest first.
  private(set) var times: [Duration] = []
  private var flights: [UInt64: Flight] = [:]
  /// Pages sent ahead whose slot's page is still in flight.
  private(set) var ahead = 0
  /// Pages sent ahead in all.
  private(set) var sentAhead = 0
  /// The server turned a page sent ahead away: it does not queue, so nothing is sent ahead.
  private(set) var stopped = false

  /// The predicted page time and the lead, while the learnt times are regular.
  var prediction: (time: Duration, lead: Duration)? {
    guard !stopped, times.count == Self.window else { return nil }
    let sorted = times.sorted()
    let median = sorted[Self.window / 2]
    let lead = min(max(median * Self.share, Self.leadRange.lowerBound), Self.leadRange.upperBound)
    // The middle six: one stray page each way (a page slowed by a render beside it, one
    // timed from a moment after its slot freed) does not stop the prediction.
    guard sorted[Self.window - 2] - sorted[1] <= lead else { return nil }
    return (median, lead)
  }

  /// Page `id` left at `now`; `follows`: the page it was sent ahead for.
  mutating func sent(_ id: UInt64, follows: UInt64?, at now: Duration) {
    flights[id] = Flight(
      timedFrom: now, follows: follows.flatMap { flights[$0] == nil ? nil : $0 },
      sentAhead: follows != nil)
  }

  /// The server turned page `id` away for load at `now`: a page sent ahead means the server
  /// refuses what it cannot run at once, and nothing is sent ahead from then on.
  mutating func refused(_ id: UInt64, at now: Duration) {
    if flights[id]?.sentAhead == true { stopped = true }
    ended(id, finished: false, at: now)
  }

  /// Page `id`'s request ended at `now`; a `finished` one teaches its time.
  mutating func ended(_ id: UInt64, finished: Bool, at now: Duration) {
    guard let flight = flights.removeValue(forKey: id) else { return }
    if flight.refilled { ahead -= 1 }
    // Sent ahead and gone (refused, cancelled) before its slot freed: that slot has no page
    // ahead any more.
    if let slot = flight.follows, var before = flights[slot], before.refilled {
      before.refilled = false
      flights[slot] = before
      ahead -= 1
    }
    for (other, var next) in flights where next.follows == id {
      next.timedFrom = max(next.timedFrom, now)
      next.follows = nil
      flights[other] = next
    }
    guard finished else { return }
    times.append(now - flight.timedFrom)
    if times.count > Self.window { times.removeFirst() }
  }

  /// The pages whose slots are due a page at `now`, the earliest end first.
  func due(at now: Duration) -> [UInt64] {
    guard let (time, lead) = prediction else { return [] }
    return flights.filter { _, flight in
      let end = flight.timedFrom + time
      return !flight.refilled && flight.follows == nil && now >= end - lead && now <= end + lead
    }
    .sorted { $0.value.timedFrom < $1.value.timedFrom }.map(\.key)
  }

  /// A page is sent ahead for page `id`'s slot.
  mutating func refill(_ id: UInt64) {
    guard var flight = flights[id], !flight.refilled else { return }
    flight.refilled = true
    flights[id] = flight
    ahead += 1
    sentAhead += 1
  }

  /// The next time after `now` a page will be due, if one is predicted.
  func nextDue(after now: Duration) -> Duration? {
    guard let (time, lead) = prediction else { return nil }
    return flights.values.filter { !$0.refilled && $0.follows == nil }
      .map { $0.timedFrom + time - lead }.filter { $0 > now }.min()
  }
}

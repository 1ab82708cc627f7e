import Synchronization

/// Permits for pages in flight: a page starts only while fewer than `limit` hold one. The
/// limit is fixed, or moved by an `AdaptiveLimit` as pages finish and servers turn pages away;
/// shrinking never stops a page in flight, it only holds back the next ones. A server that
/// reports its queue moves it by a `QueueLimit` instead, while its figures are current; when
/// they stop coming, the fixed limit or the AIMD one (from where the queue left it) is back.
/// While those figures say the server runs all we send and nothing else, `LookAhead` lets a
/// slot's next page leave just before the page in it ends (`sendAhead`).
final class InFlightGate: Sendable {
  /// A page may be in flight. `follows`: it was let in ahead, for the slot of that page.
  struct Permit: Sendable, Equatable {
    var follows: UInt64?
  }

  /// A page's request that left: what its end is reported with.
  struct SentPage: Sendable {
    let id: UInt64
    let at: ContinuousClock.Instant
  }

  private struct Waiter {
    var id: UInt64
    var continuation: CheckedContinuation<Permit?, Never>
  }

  private struct State {
    var limit: Int
    var adaptive: AdaptiveLimit?
    /// The server's own figures drive the limit: set while they are current.
    var queue: QueueLimit?
    var queueDrives = false
    /// Pages sent ahead of a slot's end, with the server's figures (nil: no figures).
    var lookAhead: LookAhead?
    var nextSent: UInt64 = 0
    /// The limit without the server's figures, for a fixed one.
    let fixed: Int?
    let maximum: Int
    /// Figures set the limit at some point (the stats then say how it went).
    var driven = false
    var inFlight = 0
    var waiters: [Waiter] = []
    var nextID: UInt64 = 0
    var cancelled: Set<UInt64> = []
    /// Time-weighted sum of the limit, for its mean.
    var usage = ConcurrencyStats()
    var changedAt: Duration = .zero
  }

  private let state: Mutex<State>
  private let started: ContinuousClock.Instant

  /// - Parameter serverLoad: the server reports its queue (`capacity`: its `/props` slots).
  init(
    _ concurrency: Concurrency, serverLoad: ServerLoadSource? = nil,
    started: ContinuousClock.Instant = .now
  ) {
    var state = State(
      limit: concurrency.initial, fixed: concurrency.isAdaptive ? nil : concurrency.initial,
      maximum: concurrency.maximum)
    if case .adaptive(let start, let max) = concurrency {
      state.adaptive = AdaptiveLimit(start: start, maximum: max)
    }
    if let serverLoad {
      state.queue = QueueLimit(
        start: concurrency.initial, maximum: concurrency.maximum, capacity: serverLoad.capacity)
      state.lookAhead = LookAhead()
    }
    state.usage = ConcurrencyStats(initial: state.limit)
    self.state = Mutex(state)
    self.started = started
  }

  var limit: Int { state.withLock { $0.limit } }

  /// Time since the run began, the controller's clock.
  func elapsed(_ instant: ContinuousClock.Instant = .now) -> Duration { instant - started }

  /// Waits for a permit; nil when the task was cancelled meanwhile. `first`: ahead of every
  /// waiter (a page being retried goes before pages not yet started).
  func acquire(first: Bool = false) async -> Permit? {
    let id = state.withLock { state in
      state.nextID += 1
      return state.nextID
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Permit?, Never>) in
        let now: Permit?? = state.withLock { state in
          if state.cancelled.remove(id) != nil { return .some(nil) }
          if state.inFlight < state.limit, first || state.waiters.isEmpty {
            state.inFlight += 1
            return Permit()
          }
          let waiter = Waiter(id: id, continuation: continuation)
          if first { state.waiters.insert(waiter, at: 0) } else { state.waiters.append(waiter) }
          return nil
        }
        if let now { continuation.resume(returning: now) }
      }
    } onCancel: {
      let waiter: Waiter? = state.withLock { state in
        if let index = state.waiters.firstIndex(where: { $0.id == id }) {
          return state.waiters.remove(at: index)
        }
        state.cancelled.insert(id)
        return nil
      }
      waiter?.continuation.resume(returning: nil)
    }
  }

  /// Pages wait for a permit.
  var hasWaiters: Bool { state.withLock { !$0.waiters.isEmpty } }

  /// A limit decided outside the gate — a pool's servers, each by its own figures — or nil
  /// once they stopped: then the fixed or AIMD limit is back. Returns the new limit when it
  /// changed.
  func follow(_ limit: Int?) -> Int? {
    let now = elapsed()
    return apply(at: now) { state in
      guard let limit else { return Self.fallBack(&state, at: now) }
      state.queueDrives = true
      state.driven = true
      return min(max(1, limit), state.maximum)
    }
  }

  /// The figures stopped: the limit the run had without them — fixed, or AIMD from where
  /// they left it.
  private static func fallBack(_ state: inout State, at now: Duration) -> Int? {
    guard state.queueDrives else { return nil }
    state.queueDrives = false
    if let adaptive = state.adaptive {
      state.adaptive = AdaptiveLimit(start: state.limit, maximum: adaptive.maximum, now: now)
      return nil
    }
    return state.fixed
  }

  /// Gives a permit back.
  func release() {
    let woken = state.withLock { state in
      state.inFlight -= 1
      return Self.admit(&state)
    }
    for waiter in woken { waiter.continuation.resume(returning: Permit()) }
  }

  /// A page's request leaves now, under `permit` (its first attempt's; a retry's has no
  /// `follows`); returns it, for `completed` and the rest.
  func sent(_ permit: Permit = Permit(), at instant: ContinuousClock.Instant = .now) -> SentPage {
    let at = elapsed(instant)
    let id = state.withLock { state in
      state.adaptive?.sent(at: at)
      state.nextSent += 1
      state.lookAhead?.sent(state.nextSent, follows: permit.follows, at: at)
      return state.nextSent
    }
    return SentPage(id: id, at: instant)
  }

  /// A page sent as `page` failed for another reason than load.
  func dropped(_ page: SentPage, at instant: ContinuousClock.Instant = .now) {
    let sentAt = elapsed(page.at)
    let now = elapsed(instant)
    state.withLock { state in
      state.adaptive?.dropped(sentAt: sentAt)
      state.lookAhead?.ended(page.id, finished: false, at: now)
    }
  }

  /// A page sent as `page` finished: the adaptive limit learns from it, and the look-ahead
  /// its time while the server's figures drive the limit. Returns the new limit when it
  /// changed.
  func completed(_ page: SentPage, at instant: ContinuousClock.Instant = .now) -> Int? {
    let now = elapsed(instant)
    state.withLock { state in
      state.lookAhead?.ended(page.id, finished: state.queueDrives, at: now)
    }
    return adapt(at: now) { $0.completed(sentAt: self.elapsed(page.at), at: now) }
  }

  /// The server turned away a page sent as `page` for load. Returns the new limit when it
  /// changed.
  func overloaded(_ page: SentPage) -> Int? {
    let now = elapsed()
    let drives = state.withLock { state in
      state.lookAhead?.refused(page.id, at: now)
      return state.queueDrives
    }
    if drives {
      return apply(at: now) { state in state.queue?.overloaded() }
    }
    return adapt(at: now) { $0.overloaded(sentAt: self.elapsed(page.at), at: now) }
  }

  /// Lets pages waiting for a permit leave for the slots about to free (`LookAhead`), while
  /// the server's figures say it runs all we send and nothing else, and every permit is
  /// held. Returns when to look again, in the run's time.
  func sendAhead(at instant: ContinuousClock.Instant = .now) -> Duration {
    let now = elapsed(instant)
    let (woken, next): ([(Waiter, Permit)], Duration) = state.withLock { state in
      guard var lookAhead = state.lookAhead, let queue = state.queue, state.queueDrives,
        queue.holdsServer, queue.isCurrent(at: now), state.inFlight >= state.limit
      else { return ([], now + Self.lookAgain) }
      defer { state.lookAhead = lookAhead }
      var woken: [(Waiter, Permit)] = []
      let due = lookAhead.due(at: now)
      for id in due where !state.waiters.isEmpty {
        lookAhead.refill(id)
        state.inFlight += 1
        woken.append((state.waiters.removeFirst(), Permit(follows: id)))
      }
      // A page due while none waited rendered (they render meanwhile): soon again.
      let soon = due.count > woken.count ? now + .milliseconds(2) : nil
      let next = [soon, lookAhead.nextDue(after: now), now + Self.lookAgain].compactMap { $0 }
      return (woken, next.min()!)
    }
    for (waiter, permit) in woken { waiter.continuation.resume(returning: permit) }
    return next
  }

  /// The longest `sendAhead` is not asked again: a prediction learnt meanwhile may be due.
  static let lookAgain = Duration.milliseconds(25)

  /// The instant `elapsed` time `at` is.
  func instant(_ at: Duration) -> ContinuousClock.Instant { started + at }

  /// The server's figures, polled (nil: it gave none this time). Returns the new limit when
  /// it changed, and the server's capacity as known (reported or learnt).
  func observe(_ load: ServerLoad?, at instant: ContinuousClock.Instant = .now) -> (
    limit: Int?, capacity: Int?
  ) {
    let now = elapsed(instant)
    var capacity: Int?
    let changed = apply(at: now) { state in
      guard var queue = state.queue else { return nil }
      defer {
        state.queue = queue
        capacity = queue.capacity
      }
      guard let load else {
        guard !queue.isCurrent(at: now) else { return nil }
        return Self.fallBack(&state, at: now)
      }
      if !state.queueDrives {
        state.queueDrives = true
        state.driven = true
        queue.follow(state.limit)
      }
      _ = queue.observe(
        load, inFlight: state.inFlight, ahead: state.lookAhead?.ahead ?? 0,
        pagesWaiting: !state.waiters.isEmpty, at: now)
      return queue.limit
    }
    return (changed, capacity)
  }

  /// How the limit went, up to now.
  func stats() -> ConcurrencyStats? {
    let now = elapsed()
    return state.withLock { state in
      guard state.adaptive != nil || state.driven else { return nil }
      var usage = state.usage
      usage.add(limit: state.limit, for: now - state.changedAt)
      usage.sentAhead = state.lookAhead?.sentAhead ?? 0
      return usage
    }
  }

  private func adapt(at now: Duration, _ step: (inout AdaptiveLimit) -> Int?) -> Int? {
    apply(at: now) { state in
      // While the server's figures drive the limit, completions do not move it.
      guard !state.queueDrives, var adaptive = state.adaptive else { return nil }
      let changed = step(&adaptive)
      state.adaptive = adaptive
      return changed
    }
  }

  /// Sets the limit `decide` returns (nil: unchanged), and admits the waiters it has room for.
  private func apply(at now: Duration, _ decide: (inout State) -> Int?) -> Int? {
    let (changed, woken): (Int?, [Waiter]) = state.withLock { state in
      guard let changed = decide(&state), changed != state.limit else { return (nil, []) }
      state.usage.add(limit: state.limit, for: now - state.changedAt)
      state.usage.changed(to: changed)
      state.changedAt = now
      state.limit = changed
      return (changed, Self.admit(&state))
    }
    for waiter in woken { waiter.continuation.resume(returning: Permit()) }
    return changed
  }

  /// Takes the waiters the limit has room for (their permits counted).
  private static func admit(_ state: inout State) -> [Waiter] {
    var woken: [Waiter] = []
    while state.inFlight < state.limit, !state.waiters.isEmpty {
      state.inFlight += 1
      woken.append(state.waiters.removeFirst())
    }
    return woken
  }
}

/// How an adaptive in-flight limit went over a run: where it started and ended, its peak and
/// its mean over time. Nil for a fixed limit.
public struct ConcurrencyStats: Sendable, Equatable {
  public var initial = 0
  public var final = 0
  public var peak = 0
  /// Changes of the limit.
  public var changes = 0
  /// Pages sent just before a slot freed (`LookAhead`).
  public var sentAhead = 0
  private var weighted = 0.0
  private var seconds = 0.0

  public init(initial: Int = 0) {
    self.initial = initial
    final = initial
    peak = initial
  }

  /// The limit's mean over time (the final one before any time passed).
  public var mean: Double { seconds > 0 ? weighted / seconds : Double(final) }

  mutating func add(limit: Int, for duration: Duration) {
    let value = max(0, duration.seconds)
    weighted += Double(limit) * value
    seconds += value
  }

  mutating func changed(to limit: Int) {
    final = limit
    peak = max(peak, limit)
    changes += 1
  }
}

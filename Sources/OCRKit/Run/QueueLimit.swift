/// The in-flight limit for a server that says how busy it is (`ServerLoad`: vLLM's and
/// llama-server's `/metrics`, llama-server's `/slots`): keep in flight what the server runs
/// for us, so its slots never idle while pages wait here, and never grow its own queue.
/// Pure: figures and time come in as values, so scripted figures on a fake clock test it
/// (`QueueLimitTests`), and a simulation of several clients sharing one server.
///
/// The rule, at each poll of the server's figures (every client's requests are in them):
/// - `waiting` is the server's queue; where the page does not say (`/slots`), it is at least
///   our pages that do not run: `max(0, inFlight − running)`. `others` are the requests the
///   server holds that are not ours: `running + waiting − inFlight`.
/// - **Capacity**: as reported (`/props`, `/slots`), else learnt: what runs while some wait
///   (vLLM's capacity depends on `--max-num-seqs` and its KV cache, so it may move; a learnt
///   one rises to whatever runs with nobody waiting).
/// - A page just sent may not have reached the server: room (or a queue estimated from
///   `/slots`) counts once seen at two polls in a row; a reported queue counts at once.
/// - **Waiting > 0**: the server is full and queues. Our share of its queue — the waiting
///   times our share of all it holds, rounded up — comes off what we have in flight, at once:
///   every client sharing the server removes its own share, so together they remove the queue
///   once, not once each.
/// - **Room** (capacity − running − waiting > 0) while pages wait here: the limit takes the
///   room — all of it when we hold no more than the others (or we are alone), half when we
///   hold more, so a later client catches up with an earlier one instead of both taking
///   every free slot at once.
/// - **Full** (no room, nobody waiting): steady. A client holding two or more beyond all the
///   others gives one back per poll, which the smaller takes as room: two clients end even.
///   Over a learnt capacity the limit probes one more every `probeInterval` while pages wait
///   here, to find capacity the server gained (a queue of one for a poll, then back).
/// - **No capacity yet** (vLLM before anything waited): while pages wait here and the server
///   holds as many as we sent (none still on its way: at the run's first poll it may hold
///   none), with nobody waiting at two polls in a row (a client starting beside another sees
///   the other's requests before its own arrive; doubling on them once let a later client
///   take two thirds of the server), the limit doubles per poll, until something waits — then
///   what runs is the capacity, and the rest comes off by the rule above. A vLLM runs hundreds
///   at once: from 8 to `maximum` (64) takes four polls; the overshoot past a small capacity
///   waits one poll in its queue. (Growing by a quarter per poll cost 100 pages of 0.5 s on 12
///   slots a further 0.05× of the ideal time.)
/// - A **429** takes a tenth off (at least one), as the AIMD limit does. A server that
///   refuses instead of queueing never shows a queue, so the first refusal stands for one:
///   while no capacity is known, what runs at the next figures is the capacity (else the
///   limit doubled again two polls later, and a 4-slot server refused 4 pages every round).
///   Later refusals teach nothing: a page sent as a slot frees may reach the server a moment
///   before the slot is free, and learning from what runs after that cut would ratchet the
///   capacity down (the room rule brings the limit back up to it).
/// - The limit stays within 1…`maximum`. Figures older than `staleAfter` are no figures:
///   the caller falls back to AIMD (`isCurrent`).
///
/// - Pages we sent ahead of a slot's end (`LookAhead`, `ahead` of them still waiting for
///   their slot) are not a queue: the figures are read without them.
///
/// Beyond what runs, only `LookAhead`'s pages, sent just before a slot frees and only while
/// the server runs all we send and nothing else (`holdsServer`); one more in flight for good
/// would make the median queue one.
public struct QueueLimit: Sendable {
  public let maximum: Int
  public private(set) var limit: Int
  /// What the server runs at once: reported, learnt, or nil (not yet known).
  public private(set) var capacity: Int?
  /// The capacity came from the server's own word (it is not probed).
  private var capacityReported: Bool
  public var staleAfter: Duration = .seconds(2)
  /// A probe queues one page for up to a page's time: rare, so the queue's median stays 0
  /// (every 2 s cost a 2-slot server's pages 0.3 s of median TTFT).
  public var probeInterval: Duration = .seconds(10)
  private var lastFigures: Duration?
  private var lastProbe: Duration
  private var roomBefore = false
  private var queueBefore = false
  /// A 429 came since the last figures.
  private var refusedSince = false
  /// At the last figures, the server ran all we sent, nothing else, and nothing waited, with
  /// the limit at its capacity: `LookAhead` may send a slot's next page before it frees.
  public private(set) var holdsServer = false

  /// - Parameter capacity: the slots the server reported (`/props`), if it did.
  public init(start: Int, maximum: Int, capacity: Int? = nil, now: Duration = .zero) {
    self.maximum = max(1, maximum)
    limit = min(max(1, start), self.maximum)
    self.capacity = capacity.map { max(1, $0) }
    capacityReported = capacity != nil
    lastProbe = now
  }

  /// Whether figures came within `staleAfter` of `now`: only then does this limit hold.
  public func isCurrent(at now: Duration) -> Bool {
    lastFigures.map { now - $0 <= staleAfter } ?? false
  }

  /// The server's figures at `now`, when we had `inFlight` pages in flight (`ahead` of them
  /// sent ahead of a slot's end) and `pagesWaiting` said whether pages waited here for a
  /// permit. Returns the new limit when it changed.
  public mutating func observe(
    _ load: ServerLoad, inFlight sent: Int, ahead: Int = 0, pagesWaiting: Bool, at now: Duration
  ) -> Int? {
    lastFigures = now
    let running = max(0, load.running)
    let held = running + max(0, load.waiting ?? max(0, sent - running))
    let others = max(0, held - sent)
    // Our pages sent ahead wait for slots about to free: they are neither queue nor load.
    let ahead = min(max(0, ahead), sent)
    let inFlight = sent - ahead
    let waiting = max(0, held - running - ahead)
    let total = running + waiting
    defer {
      holdsServer = waiting == 0 && others == 0 && capacity.map { limit >= $0 } == true
    }
    if let reported = load.capacity {
      capacity = max(1, reported)
      capacityReported = true
    } else if !capacityReported {
      if waiting > 0 || refusedSince && running > 0 && capacity == nil {
        capacity = max(1, running)
      } else if let learnt = capacity, running > learnt {
        capacity = running
      }
    }
    // A page just sent may not have reached the server yet: room (or, from `/slots`, a
    // queue) seen once may be that page; seen twice in a row, it is the server's.
    let sawRoom = roomBefore
    let sawQueue = queueBefore
    roomBefore = false
    queueBefore = false
    refusedSince = false
    var next = limit
    if waiting > 0 {
      queueBefore = load.waiting == nil
      if load.waiting != nil || sawQueue {
        let ours = (waiting * inFlight + total - 1) / max(1, total)
        next = min(limit, max(1, inFlight - ours))
      }
    } else if let capacity {
      let room = capacity - total
      if room > 0, pagesWaiting {
        roomBefore = true
        if sawRoom {
          next = limit + (others == 0 || inFlight <= others ? room : (room + 1) / 2)
        }
      } else if room <= 0, others > 0, inFlight >= others + 2 {
        next = limit - 1
      } else if room <= 0, pagesWaiting, !capacityReported, now - lastProbe >= probeInterval {
        lastProbe = now
        next = limit + 1
      }
    } else if pagesWaiting, total >= inFlight {
      // Seen twice too: another client's requests can make up for ours on their way.
      roomBefore = true
      if sawRoom { next = 2 * limit }
    }
    return set(next)
  }

  /// Takes up from `limit` (where another rule left the run's limit).
  mutating func follow(_ limit: Int) { self.limit = min(maximum, max(1, limit)) }

  /// The server refused a page for load (429): a tenth off, at least one.
  public mutating func overloaded() -> Int? {
    refusedSince = true
    return set(min(limit - 1, Int((Double(limit) * 0.9).rounded(.down))))
  }

  private mutating func set(_ next: Int) -> Int? {
    let bounded = min(maximum, max(1, next))
    guard bounded != limit else { return nil }
    limit = bounded
    return bounded
  }
}

/// A server a run can ask how busy it is, and how often to ask.
public struct ServerLoadSource: Sendable {
  public var reader: ServerLoadReader
  /// The slots the server reported (`/props` `total_slots`), if it did.
  public var capacity: Int?
  /// Between two reads: a few times a second at most, so the server hardly notices.
  public var interval: Duration = .milliseconds(250)

  public init(reader: ServerLoadReader, capacity: Int?) {
    self.reader = reader
    self.capacity = capacity
  }
}

/// The servers of a pool, each read for its own figures: each server's share of the pool then
/// follows its own queue (`QueueLimit` per server), and the run's limit is their sum.
public struct PoolLoadSource: Sendable {
  public var pool: ServerPool
  /// One per server of the pool, in its order.
  public var servers: [ServerLoadSource]
  /// The most a server that does not say its slots may hold (`--max-concurrency`).
  public var maximum: Int

  public init(pool: ServerPool, servers: [ServerLoadSource], maximum: Int) {
    self.pool = pool
    self.servers = servers
    self.maximum = max(1, maximum)
  }
}

extension RunRecipe {
  /// Reads the server's figures while pages wait to be sent, and lets them set the in-flight
  /// limit (`InFlightGate.observe`). Reported when they change, with the server's capacity as
  /// known, so the viewer and `--stats` show what the server says. Ends once no page waits, the
  /// run is cancelled, or the server gives no figures at all.
  func pollServerLoad(
    _ source: ServerLoadSource, gate: InFlightGate, prefetcher: PagePrefetcher,
    emit: @Sendable (RunEvent) -> Void
  ) async {
    var shown: ServerLoad?
    while !Task.isCancelled, await prefetcher.hasPages, !source.reader.gaveUp {
      let load = await source.reader.read()
      let (limit, capacity) = gate.observe(load)
      if let limit {
        await prefetcher.setAheadLimit(limit)
        emit(.concurrencyChanged(limit: limit))
      }
      if var load {
        load.capacity = load.capacity ?? capacity
        if load != shown { emit(.serverLoad(load)) }
        shown = load
      }
      try? await Task.sleep(for: source.interval)
    }
  }

  /// Lets a slot's next page leave just before the page in it ends, while the server's
  /// figures allow (`InFlightGate.sendAhead`, `LookAhead`); ends with the pages to hand out,
  /// or once the server gives no figures at all.
  func sendAhead(_ source: ServerLoadSource, gate: InFlightGate, prefetcher: PagePrefetcher)
    async
  {
    while !Task.isCancelled, await prefetcher.hasPages, !source.reader.gaveUp {
      let next = gate.sendAhead()
      try? await Task.sleep(until: gate.instant(next), tolerance: .microseconds(500))
    }
  }

  /// A pool's servers read at once, as often as one server's: each one's figures set what it
  /// may hold for us (`ServerPool.setCapacity`), the run's limit is the sum while every server
  /// has current figures; while some server has none, the run's limit falls back to fixed or
  /// AIMD and that server keeps what its last figures (or its slots) gave it. Reported as the
  /// servers' figures added up.
  func pollPoolLoad(
    _ source: PoolLoadSource, gate: InFlightGate, prefetcher: PagePrefetcher,
    emit: @Sendable (RunEvent) -> Void
  ) async {
    var limits = zip(source.servers, source.pool.slotCounts).map { server, slots in
      QueueLimit(
        start: server.capacity ?? min(slots, EngineSelection.adaptiveStart),
        maximum: server.capacity ?? source.maximum, capacity: server.capacity)
    }
    var shown: ServerLoad?
    while !Task.isCancelled, await prefetcher.hasPages,
      !source.servers.allSatisfy(\.reader.gaveUp)
    {
      let loads = await concurrentMap(source.servers) { await $0.reader.read() }
      let busy = await source.pool.busy
      let now = gate.elapsed()
      let waiting = gate.hasWaiters
      var total = 0
      var allCurrent = true
      for index in limits.indices {
        if let load = loads[index] {
          _ = limits[index].observe(load, inFlight: busy[index], pagesWaiting: waiting, at: now)
        }
        if limits[index].isCurrent(at: now) {
          await source.pool.setCapacity(index, to: limits[index].limit)
          total += limits[index].limit
        } else {
          // Its share stays where its last figures left it (a server that never gave any
          // keeps its slots): a slow poll must not hand a 2-slot server the pool's whole
          // count (seen in the suite on a loaded machine).
          allCurrent = false
        }
      }
      if let limit = gate.follow(allCurrent ? total : nil) {
        await prefetcher.setAheadLimit(limit)
        emit(.concurrencyChanged(limit: limit))
      }
      let read = loads.compactMap { $0 }
      if allCurrent, read.count == loads.count,
        let sum = ServerLoad.pool(
          zip(read, limits).map { load, limit in
            var load = load
            load.capacity = load.capacity ?? limit.capacity
            return load
          })
      {
        if sum != shown { emit(.serverLoad(sum)) }
        shown = sum
      }
      try? await Task.sleep(for: source.servers.first?.interval ?? .milliseconds(250))
    }
  }
}

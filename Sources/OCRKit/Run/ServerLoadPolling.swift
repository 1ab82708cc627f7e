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

extension DocumentRun {
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
}

import Foundation

/// How busy a server says it is, right now, counting every client's requests: what it runs,
/// what waits in its own queue, and how many it could run. Parsed from a `/metrics` page or
/// llama-server's `/slots`; pure, so tested without a server.
///
/// Which page says what (checked against the servers' sources):
/// - vLLM `/metrics`: `vllm:num_requests_running`, `vllm:num_requests_waiting`, and the KV
///   cache's use (`vllm:kv_cache_usage_perc`, before that `vllm:gpu_cache_usage_perc`, 1 = full);
///   one series per engine, added up. Its capacity is not there (`--max-num-seqs` and the KV
///   cache bound it together): the queue controller learns it as what runs while some wait.
/// - llama-server `/metrics` (only with `--metrics`; 501 otherwise):
///   `llamacpp:requests_processing` and `llamacpp:requests_deferred`; its capacity is `/props`
///   `total_slots`.
/// - llama-server `/slots` (on unless `--no-slots`): one object per slot with `is_processing`
///   — the capacity and what runs, but not what waits.
public struct ServerLoad: Sendable, Equatable {
  /// Which page the figures came from.
  public enum Source: String, Sendable, Equatable {
    case vllmMetrics = "vLLM /metrics"
    case llamaMetrics = "llama-server /metrics"
    case llamaSlots = "llama-server /slots"
  }

  public var source: Source
  /// Requests the server is running (every client's).
  public var running: Int
  /// Requests waiting in the server's queue; nil when the page does not say (`/slots`).
  public var waiting: Int?
  /// Requests it runs at once, when the page says (`/slots`); else from `/props` or learnt.
  public var capacity: Int?
  /// The KV cache's use, 0…1 (vLLM).
  public var cacheUsage: Double?
  /// A pool's figures added up: each server's own, in the pool's order (empty for one
  /// server), so a pool whose total looks fine still shows the one server that queues.
  public var servers: [ServerLoad] = []

  public init(
    source: Source, running: Int, waiting: Int?, capacity: Int? = nil, cacheUsage: Double? = nil
  ) {
    self.source = source
    self.running = running
    self.waiting = waiting
    self.capacity = capacity
    self.cacheUsage = cacheUsage
  }

  /// A pool's servers' figures added up (`servers` keeps each); nil for no servers. What is
  /// waiting (or the capacity) is known only when every server says it.
  public static func pool(_ servers: [ServerLoad]) -> ServerLoad? {
    guard let first = servers.first else { return nil }
    var sum = ServerLoad(
      source: first.source, running: servers.map(\.running).reduce(0, +),
      waiting: servers.contains { $0.waiting == nil }
        ? nil : servers.compactMap(\.waiting).reduce(0, +),
      capacity: servers.contains { $0.capacity == nil }
        ? nil : servers.compactMap(\.capacity).reduce(0, +))
    sum.servers = servers.count > 1 ? servers : []
    return sum
  }

  /// A server's figures are kept sane: a hostile one must not ask for a million pages.
  static let most = 100_000

  private static let vllmRunning = "vllm:num_requests_running"
  private static let vllmWaiting = "vllm:num_requests_waiting"
  private static let vllmCache = "vllm:kv_cache_usage_perc"
  private static let vllmCacheBefore = "vllm:gpu_cache_usage_perc"
  private static let llamaProcessing = "llamacpp:requests_processing"
  private static let llamaDeferred = "llamacpp:requests_deferred"

  /// The figures of a `/metrics` page (vLLM's or llama-server's); nil when it has neither
  /// server's running and waiting counts (not a metrics page, or another server's).
  public static func parse(metrics body: [UInt8]) -> ServerLoad? {
    let values = PrometheusText.values(
      body,
      names: [
        vllmRunning, vllmWaiting, vllmCache, vllmCacheBefore, llamaProcessing, llamaDeferred,
      ])
    func sum(_ name: String) -> Double? { values[name].map { $0.reduce(0, +) } }
    /// Several engines each have their own cache: their mean.
    func mean(_ name: String) -> Double? {
      values[name].flatMap { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) }
    }
    if let running = count(sum(vllmRunning)), let waiting = count(sum(vllmWaiting)) {
      let cache = (mean(vllmCache) ?? mean(vllmCacheBefore)).flatMap {
        $0.isFinite ? min(max($0, 0), 1) : nil
      }
      return ServerLoad(
        source: .vllmMetrics, running: running, waiting: waiting, cacheUsage: cache)
    }
    if let running = count(sum(llamaProcessing)), let waiting = count(sum(llamaDeferred)) {
      return ServerLoad(source: .llamaMetrics, running: running, waiting: waiting)
    }
    return nil
  }

  /// The figures of a llama-server `/slots` body: its slots and how many are processing; nil
  /// for anything else (an error object, no slots).
  public static func parse(slots body: [UInt8]) -> ServerLoad? {
    struct Slot: Decodable {
      let isProcessing: Bool
      enum CodingKeys: String, CodingKey { case isProcessing = "is_processing" }
    }
    guard let slots = try? JSONDecoder().decode([Slot].self, from: Data(body)),
      !slots.isEmpty, slots.count <= most
    else { return nil }
    return ServerLoad(
      source: .llamaSlots, running: slots.count(where: \.isProcessing), waiting: nil,
      capacity: slots.count)
  }

  /// A gauge as a count: finite, not negative, bounded.
  private static func count(_ value: Double?) -> Int? {
    guard let value, value.isFinite, value >= 0 else { return nil }
    return Int(min(value, Double(most)).rounded())
  }

  /// "12/12 busy, 0 waiting", "9 running, 3 waiting": the server's figures for people.
  public func summary(capacity known: Int? = nil) -> String {
    var text =
      if let capacity = capacity ?? known { "\(running)/\(capacity) busy" } else {
        "\(running) running"
      }
    if let waiting { text += ", \(waiting) waiting" }
    return text
  }

  /// Each server of a pool in a few columns, in the pool's order: "6/6 · 6/6+3" (busy of its
  /// capacity, or running; "+N" what waits in its queue); nil for one server.
  public var perServer: String? {
    guard !servers.isEmpty else { return nil }
    return servers.map { server in
      (server.capacity.map { "\(server.running)/\($0)" } ?? "\(server.running)")
        + ((server.waiting ?? 0) > 0 ? "+\(server.waiting!)" : "")
    }.joined(separator: " · ")
  }
}

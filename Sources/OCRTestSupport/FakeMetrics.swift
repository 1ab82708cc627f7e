/// The load pages a server publishes, written from the fake's real state (its slots busy and
/// the requests queued for one), so a client polling them sees what it and every other client
/// caused.
///
/// As the servers write them (see `ServerLoad` in OCRKit for the sources checked):
/// - vLLM (prometheus_client): `# HELP`/`# TYPE` lines, then
///   `vllm:num_requests_running{engine="0",model_name="…"} 3.0` — labels, Python floats;
/// - llama-server with `--metrics` (`to_metrics`): `llamacpp:requests_processing 3` — no
///   labels, counters first, then gauges;
/// - llama-server's `/slots`: one object per slot, `is_processing` among its fields.
public enum FakeMetrics: String, Sendable, Equatable, CaseIterable {
  case vllm
  case llamacpp

  /// The `/metrics` body for `running` requests running and `waiting` queued.
  public func page(running: Int, waiting: Int, capacity: Int, model: String) -> String {
    switch self {
    case .vllm:
      let labels = "{engine=\"0\",model_name=\"\(model)\"}"
      func gauge(_ name: String, _ help: String, _ value: Double) -> String {
        "# HELP vllm:\(name) \(help)\n# TYPE vllm:\(name) gauge\nvllm:\(name)\(labels) \(value)\n"
      }
      return gauge(
        "num_requests_running", "Number of requests in model execution batches.", Double(running))
        + gauge(
          "num_requests_waiting", "Number of requests waiting to be processed.", Double(waiting))
        + gauge(
          "kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.",
          Double(running) / Double(max(1, capacity)))
        + "# HELP vllm:num_preemptions_total Cumulative number of preemption from the engine.\n"
        + "# TYPE vllm:num_preemptions_total counter\n"
        + "vllm:num_preemptions_total\(labels) 0.0\n"
    case .llamacpp:
      func item(_ name: String, _ help: String, _ type: String, _ value: String) -> String {
        "# HELP llamacpp:\(name) \(help)\n# TYPE llamacpp:\(name) \(type)\nllamacpp:\(name) \(value)\n"
      }
      return item(
        "prompt_tokens_total", "Number of prompt tokens processed, excluding cached tokens",
        "counter", "0")
        + item(
          "predicted_tokens_seconds", "Average generation throughput in tokens/s", "gauge", "0")
        + item("requests_processing", "Number of requests processing", "gauge", "\(running)")
        + item("requests_deferred", "Number of requests deferred", "gauge", "\(waiting)")
    }
  }

  /// llama-server's `/slots` body: `capacity` slots, the first `running` processing.
  static func slots(running: Int, capacity: Int, contextPerSlot: Int) -> JSONValue {
    .array(
      (0..<capacity).map { id in
        .obj([
          "id": .int(id), "n_ctx": .int(contextPerSlot), "speculative": .bool(false),
          "is_processing": .bool(id < running),
        ])
      })
  }
}

import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// The `/metrics` and `/slots` pages as the servers write them, and whatever else a server
/// might send instead.
@Suite struct ServerLoadTests {
  /// vLLM (prometheus_client) with two engines: series per engine, labels, floats.
  static let vllmPage = """
    # HELP vllm:num_requests_running Number of requests in model execution batches.
    # TYPE vllm:num_requests_running gauge
    vllm:num_requests_running{engine="0",model_name="lightonai/LightOnOCR-2-1B"} 7.0
    vllm:num_requests_running{engine="1",model_name="lightonai/LightOnOCR-2-1B"} 5.0
    # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
    # TYPE vllm:num_requests_waiting gauge
    vllm:num_requests_waiting{engine="0",model_name="lightonai/LightOnOCR-2-1B"} 2.0
    vllm:num_requests_waiting{engine="1",model_name="lightonai/LightOnOCR-2-1B"} 1.0
    # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
    # TYPE vllm:kv_cache_usage_perc gauge
    vllm:kv_cache_usage_perc{engine="0",model_name="lightonai/LightOnOCR-2-1B"} 0.5
    vllm:kv_cache_usage_perc{engine="1",model_name="lightonai/LightOnOCR-2-1B"} 0.25
    # HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
    # TYPE vllm:e2e_request_latency_seconds histogram
    vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="m"} 12.0

    """

  /// llama-server `--metrics` (`to_metrics`): no labels, C++ stream doubles.
  static let llamaPage = """
    # HELP llamacpp:prompt_tokens_total Number of prompt tokens processed, excluding cached tokens
    # TYPE llamacpp:prompt_tokens_total counter
    llamacpp:prompt_tokens_total 8412
    # HELP llamacpp:prompt_tokens_seconds Average prompt throughput in tokens/s
    # TYPE llamacpp:prompt_tokens_seconds gauge
    llamacpp:prompt_tokens_seconds 1523.6
    # HELP llamacpp:requests_processing Number of requests processing
    # TYPE llamacpp:requests_processing gauge
    llamacpp:requests_processing 4
    # HELP llamacpp:requests_deferred Number of requests deferred
    # TYPE llamacpp:requests_deferred gauge
    llamacpp:requests_deferred 3
    # HELP llamacpp:n_busy_slots_per_decode Average number of busy slots per llama_decode() call
    # TYPE llamacpp:n_busy_slots_per_decode gauge
    llamacpp:n_busy_slots_per_decode 3.87

    """

  @Test func vllmSeriesAddUp() {
    let load = ServerLoad.parse(metrics: Array(Self.vllmPage.utf8))
    #expect(
      load == ServerLoad(source: .vllmMetrics, running: 12, waiting: 3, cacheUsage: 0.375))
    #expect(load?.summary() == "12 running, 3 waiting")
  }

  @Test func llamaServerMetrics() {
    let load = ServerLoad.parse(metrics: Array(Self.llamaPage.utf8))
    #expect(load == ServerLoad(source: .llamaMetrics, running: 4, waiting: 3))
    #expect(load?.summary(capacity: 4) == "4/4 busy, 3 waiting")
  }

  @Test func llamaServerSlots() {
    let body = """
      [{"id":0,"n_ctx":4096,"speculative":false,"is_processing":true,"params":{"n_predict":-1},\
      "next_token":[{"has_next_token":true,"n_remain":-1,"n_decoded":12}]},
      {"id":1,"n_ctx":4096,"speculative":false,"is_processing":false}]
      """
    let load = ServerLoad.parse(slots: Array(body.utf8))
    #expect(load == ServerLoad(source: .llamaSlots, running: 1, waiting: nil, capacity: 2))
    #expect(load?.summary() == "1/2 busy")
  }

  /// The pages a real llama-server wrote (llama.cpp 0c1e57098 built from llama_cpp_python
  /// 0.3.36, `--parallel 2 --metrics`, a tiny random-weight model), captured 2 s after five
  /// chat requests of 1,500 tokens were sent at once: two slots busy, three requests deferred.
  @Test func aRealLlamaServersPagesSayTwoBusyAndThreeDeferred() throws {
    let metrics = try [UInt8](
      Data(contentsOf: URL(fileURLWithPath: TestFiles.fixture("llama-server-metrics-busy.txt"))))
    let slots = try [UInt8](
      Data(contentsOf: URL(fileURLWithPath: TestFiles.fixture("llama-server-slots-busy.json"))))
    let fromMetrics = ServerLoad.parse(metrics: metrics)
    #expect(fromMetrics == ServerLoad(source: .llamaMetrics, running: 2, waiting: 3))
    let fromSlots = ServerLoad.parse(slots: slots)
    #expect(fromSlots == ServerLoad(source: .llamaSlots, running: 2, waiting: nil, capacity: 2))
    #expect(fromMetrics?.summary(capacity: fromSlots?.capacity) == "2/2 busy, 3 waiting")
  }

  /// A pool's figures add up; what waits, or the capacity, only when every server says.
  @Test func aPoolAddsItsServersUpAndKeepsEach() {
    let vllm = ServerLoad(source: .vllmMetrics, running: 6, waiting: 2, capacity: 6)
    let slots = ServerLoad(source: .llamaSlots, running: 1, waiting: nil, capacity: 2)
    let pool = ServerLoad.pool([vllm, vllm])
    #expect(pool?.summary() == "12/12 busy, 4 waiting" && pool?.servers == [vllm, vllm])
    #expect(pool?.perServer == "6/6+2 · 6/6+2")
    let mixed = ServerLoad.pool([vllm, slots])
    #expect(mixed?.summary() == "7/8 busy" && mixed?.perServer == "6/6+2 · 1/2")
    var unknown = vllm
    unknown.capacity = nil
    #expect(ServerLoad.pool([unknown, slots])?.summary() == "7 running")
    // One server is no pool: its figures as they are.
    #expect(ServerLoad.pool([vllm]) == vllm && ServerLoad.pool([vllm])?.perServer == nil)
    #expect(ServerLoad.pool([]) == nil)
  }

  @Test func whatIsNotAPageOfFiguresIsNone() {
    for body in [
      "", "not found",
      "{\"error\":{\"code\":501,\"message\":\"This server does not support metrics endpoint.\"}}",
      "<html>404</html>", "vllm:num_requests_running 3\n",  // no waiting: not enough
      "vllm:num_requests_running NaN\nvllm:num_requests_waiting 0\n",
      "vllm:num_requests_running -4\nvllm:num_requests_waiting 0\n",
      "llamacpp:requests_processing +Inf\nllamacpp:requests_deferred 0\n",
    ] {
      #expect(ServerLoad.parse(metrics: Array(body.utf8)) == nil, "\(body)")
    }
    for body in ["", "[]", "{}", "[{\"id\":0}]", "null", "[true]"] {
      #expect(ServerLoad.parse(slots: Array(body.utf8)) == nil, "\(body)")
    }
    // A hostile figure is bounded.
    let huge = ServerLoad.parse(
      metrics: Array("vllm:num_requests_running 1e300\nvllm:num_requests_waiting 1e9\n".utf8))
    #expect(huge?.running == ServerLoad.most)
  }

  @Test func labelValuesMayHoldBracesAndEscapes() {
    let page = #"""
      m{a="}",b="x\"} 9",c="\\"} 2 1700000000000
      m{a="{"} 3
      m 4
      m{unterminated="} 5
      m{a="b"}7
      m  \#t 8\#r
      # m 100
        m 1e-3
      """#
    let values = PrometheusText.values(Array(page.utf8), names: ["m"])
    #expect(values["m"] == [2, 3, 4, 8, 0.001])
  }

  /// Any page, cut or mangled anywhere, parses without trapping, and a sample line that
  /// survives whole keeps its value.
  @Test func mangledPagesNeverTrap() {
    var random = SplitMix64(seed: 23)
    let pages = [Array(Self.vllmPage.utf8), Array(Self.llamaPage.utf8)]
    let alphabet = Array("{}\"\\=, \t\n\r#:_aZ09.e+-".utf8) + [0, 0xFF, 0xC3]
    for _ in 0..<2000 {
      var page = random.pick(pages)
      for _ in 0..<(1 + random.below(6)) {
        switch random.below(3) {
        case 0: page.insert(random.pick(alphabet), at: random.below(page.count + 1))
        case 1: if !page.isEmpty { page.remove(at: random.below(page.count)) }
        default: page = Array(page.prefix(random.below(page.count + 1)))
        }
      }
      let load = ServerLoad.parse(metrics: page)
      if let load {
        #expect(load.running >= 0 && load.running <= ServerLoad.most)
        #expect((load.waiting ?? 0) >= 0)
      }
      _ = ServerLoad.parse(slots: page)
    }
    // Every line of the real pages, alone, reads the same as in the page.
    for page in pages {
      for line in page.split(separator: UInt8(ascii: "\n")) {
        let alone = PrometheusText.sample(line[...])
        if let alone {
          #expect(!line.starts(with: Array("#".utf8)))
          #expect(alone.1.isFinite)
        }
      }
    }
  }
}

import Foundation
import OCRKit
import OCRTestSupport
import Synchronization

/// Issue 23: `ocrview ocr` against a fake vLLM that reports its queue (`/metrics`), beside the
/// same fake without the page (the AIMD limit, the reference of the same run). What the server
/// held is sampled every 50 ms from its own state, as its `/metrics` would say it.
enum QueueBenchmark {
  /// The server's running and waiting requests, sampled on a thread of its own (the children
  /// are waited for with blocking calls).
  final class Sampler: Sendable {
    private let samples = Mutex<[(at: ContinuousClock.Instant, running: Int, waiting: Int)]>([])
    private let stopped = Mutex(false)

    init(_ server: FakeOCRServer) {
      let thread = Thread { [self] in
        while !stopped.withLock({ $0 }) {
          let (running, waiting) = server.load
          samples.withLock { $0.append((.now, running, waiting)) }
          Thread.sleep(forTimeInterval: 0.05)
        }
      }
      thread.start()
    }

    /// The samples from `from` to `to`, once stopped.
    func stop() { stopped.withLock { $0 = true } }
    func between(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> [(
      running: Int, waiting: Int
    )] {
      samples.withLock {
        $0.filter { $0.at >= from && $0.at <= to }.map { ($0.running, $0.waiting) }
      }
    }
  }

  /// A page takes `firstToken` + 10 deltas 15 ms apart.
  static func server(slots: Int, metrics: FakeMetrics?, firstToken: Duration) throws
    -> FakeOCRServer
  {
    let text = (1...10).map { "word\($0)" }.joined(separator: " ")
    return try FakeOCRServer(
      slots: slots, model: FakeModel(server: .vllm), metrics: metrics,
      responder: FakeResponder.transcript(
        [text], firstTokenDelay: firstToken, between: .milliseconds(15)))
  }

  static func median(_ values: [Int]) -> Double { Figures.median(values.map(Double.init)) }

  static func run(runs: Int) async throws {
    try fullServer(runs: runs)
    try twoSlots(runs: runs)
    try twoClients(runs: runs)
  }

  /// 100 pages of 0.5 s on 12 slots, and 20 pages of 1 s on 4 (the whole run from the start
  /// of `ocrview`): with the queue figures and without (AIMD).
  static func fullServer(runs: Int) throws {
    try fullServer(slots: 12, pages: 100, firstToken: .milliseconds(350), target: 1.10, runs: runs)
    try fullServer(slots: 4, pages: 20, firstToken: .milliseconds(850), target: 1.05, runs: runs)
  }

  /// `pages` pages of `firstToken` + 150 ms on `slots` slots that queue beyond them.
  static func fullServer(
    slots: Int, pages: Int, firstToken: Duration, target: Double, runs: Int
  ) throws {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let file = ServerBenchmarks.document(pages: pages, in: scratch)
    let pageTime = (firstToken + .milliseconds(150)).secondsValue
    let ideal = Double(pages) * pageTime / Double(slots)
    let rounds = (pages + slots - 1) / slots
    var ratios: [String: [Double]] = [:]
    var inFlight: [String: [Double]] = [:]
    var waiting: [String: [Double]] = [:]
    var starts: [Duration] = []
    // The slots' idle time per refill, the chain of answers that ended last, and the last
    // answer's end to the exit.
    var idle: [String: [Double]] = [:]
    var chains: [String: [(answers: Int, start: Double, over: Double, idle: Double)]] = [:]
    var fromFirstRequest: [String: [Double]] = [:]
    var ends: [String: [Double]] = [:]
    // The share of samples with a request waiting at the server.
    var queued: [String: [Double]] = [:]
    for run in 0..<runs {
      for metrics in run % 2 == 0 ? [FakeMetrics.vllm, nil] : [nil, .vllm] {
        let name = metrics == nil ? "no /metrics (AIMD)" : "vLLM /metrics"
        let server = try server(slots: slots, metrics: metrics, firstToken: firstToken)
        let sampler = Sampler(server)
        let child = try OcrviewProcess.startOCR(
          file: file, server: server.baseURL, extra: ["--stream"], scratch: scratch)
        let exit = child.wait()
        sampler.stop()
        guard exit.status == 0 else { throw BenchmarkError("ocrview exited \(exit.status)") }
        ratios[name, default: []].append(exit.elapsed.secondsValue / ideal)
        starts.append((server.requests.first?.receivedAt ?? child.started) - child.started)
        // From the first second to the last request: pages were waiting here all along.
        let samples = sampler.between(
          (server.requests.first?.receivedAt ?? child.started) + .seconds(1),
          server.requests.last?.receivedAt ?? .now)
        let spans = server.slotUses.map(\.held)
        let record = SlotRecord(spans, slots: slots, pageTime: pageTime)
        idle[name, default: []].append(record.idlePerRefill)
        if let chain = record.lastChain {
          chains[name, default: []].append(
            (chain.answers, (chain.start - child.started).millisecondsValue, chain.over, chain.idle)
          )
        }
        let exited = child.started + exit.elapsed
        if let first = server.requests.first(where: \.isChat)?.receivedAt {
          fromFirstRequest[name, default: []].append((exited - first).secondsValue / ideal)
        }
        if let last = spans.map(\.upperBound).max() {
          ends[name, default: []].append((exited - last).millisecondsValue)
        }
        queued[name, default: []].append(
          Double(samples.count { $0.waiting > 0 }) / Double(max(1, samples.count)) * 100)
        inFlight[name, default: []].append(median(samples.map { $0.running + $0.waiting }))
        waiting[name, default: []].append(median(samples.map(\.waiting)))
      }
    }
    let time = Figures.format(pageTime, 1)
    print(
      "queue: \(pages) pages of \(time) s, fake vLLM with \(slots) slots queueing beyond; ideal "
        + "\(pages) × \(time) / \(slots) = \(Figures.format(ideal, 2)) s (\(rounds) whole rounds of "
        + "equal pages: \(Figures.format(Double(rounds) * pageTime / ideal, 2))×); start of "
        + "`ocrview` → first request "
        + "\(Figures.format(Figures.median(starts.map(\.millisecondsValue)), 0)) ms")
    for name in ["vLLM /metrics", "no /metrics (AIMD)"] {
      print(
        "  \(name): \(Figures.format(Figures.median(ratios[name]!), 3))× ideal from the start "
          + "of `ocrview` (\(Figures.format(Figures.median(fromFirstRequest[name]!), 3))× from "
          + "its first request), median in flight \(Figures.format(Figures.median(inFlight[name]!))), "
          + "server queue median \(Figures.format(Figures.median(waiting[name]!))) (medians of "
          + "\(runs)), a request waiting in \(Figures.format(Figures.median(queued[name]!), 0)) % "
          + "of the samples; the slots idle \(Figures.format(Figures.median(idle[name]!), 1)) ms per "
          + "refill till the last page started; the last answer's end to the exit "
          + "\(Figures.format(Figures.median(ends[name]!), 0)) ms")
      // With the server kept full, the answers that ended last are one slot's chain.
      if name == "vLLM /metrics", let chain = chains[name] {
        print(
          "    the chain of answers that ended last, by run: "
            + chain.map {
              "\($0.answers) answers from \(Figures.format($0.start, 0)) ms, "
                + "\(Figures.format($0.over, 0)) ms over their pages' time, "
                + "\(Figures.format($0.idle, 0)) ms idle between them"
            }.joined(separator: "; "))
      }
    }
    let ratio = Figures.median(ratios["vLLM /metrics"]!)
    let held = Figures.median(inFlight["vLLM /metrics"]!)
    print(
      "  target ≤ \(target)× \(Figures.verdict(ratio <= target)); in flight \(slots)±1 "
        + "\(Figures.verdict(abs(held - Double(slots)) <= 1)); queue 0 "
        + Figures.verdict(Figures.median(waiting["vLLM /metrics"]!) == 0))
  }

  /// What the fake's record of when answers held slots says (`FakeOCRServer.slotUses`).
  struct SlotRecord {
    /// The slots' idle time from the first answer's start to the last one's (pages waited
    /// here all along), per answer that took a slot another had freed, in ms.
    let idlePerRefill: Double
    /// The answers that ended last, back through the slots each took: the k-th answer to
    /// start (from 0, k ≥ slots) took the slot the (k − slots)-th to end freed — true while
    /// the server is kept full. How many, the first one's start, their time beyond the
    /// page's and the idle time between them (ms).
    let lastChain: (answers: Int, start: ContinuousClock.Instant, over: Double, idle: Double)?

    init(_ spans: [Range<ContinuousClock.Instant>], slots: Int, pageTime: Double) {
      let byStart = spans.sorted { $0.lowerBound < $1.lowerBound }
      let byEnd = spans.sorted { $0.upperBound < $1.upperBound }
      guard let first = byStart.first, let last = byStart.last, byStart.count > slots else {
        (idlePerRefill, lastChain) = (.nan, nil)
        return
      }
      let window = first.lowerBound..<last.lowerBound
      let busy = spans.reduce(0.0) { sum, span in
        let from = max(span.lowerBound, window.lowerBound)
        let to = min(span.upperBound, window.upperBound)
        return sum + (to > from ? (to - from).millisecondsValue : 0)
      }
      let idle = Double(slots) * (window.upperBound - window.lowerBound).millisecondsValue - busy
      idlePerRefill = idle / Double(byStart.count - slots)
      var index = byStart.indices.max { byStart[$0].upperBound < byStart[$1].upperBound }!
      var answers = 1
      var over =
        (byStart[index].upperBound - byStart[index].lowerBound).millisecondsValue
        - pageTime * 1000
      var between = 0.0
      while index >= slots {
        let freed = byEnd[index - slots]
        between += (byStart[index].lowerBound - freed.upperBound).millisecondsValue
        index = byStart.firstIndex { $0 == freed }!
        over += (freed.upperBound - freed.lowerBound).millisecondsValue - pageTime * 1000
        answers += 1
      }
      lastChain = (answers, byStart[index].lowerBound, over, between)
    }
  }

  /// 30 pages on 2 slots: in flight, and stream TTFT against one page in flight.
  static func twoSlots(runs: Int) throws {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let file = ServerBenchmarks.document(pages: 30, in: scratch)
    var ttft: [String: [Double]] = [:]
    var inFlight: [Double] = []
    for run in 0..<runs {
      for single in run % 2 == 0 ? [false, true] : [true, false] {
        let server = try server(slots: 2, metrics: .vllm, firstToken: .milliseconds(350))
        let sampler = Sampler(server)
        let jsonl = scratch + "/out.jsonl"
        let child = try OcrviewProcess.startOCR(
          file: file, server: server.baseURL,
          extra: ["--stream", "--format", "jsonl"] + (single ? ["--concurrency", "1"] : []),
          stdoutPath: jsonl, scratch: scratch)
        let exit = child.wait()
        sampler.stop()
        guard exit.status == 0 else { throw BenchmarkError("ocrview exited \(exit.status)") }
        let name = single ? "one in flight" : "queue figures"
        ttft[name, default: []] += try ServerBenchmarks.statsRecords(jsonl).compactMap(\.ttftMs)
        if !single {
          let first = server.requests.first?.receivedAt ?? child.started
          let last = server.requests.last?.receivedAt ?? .now
          inFlight.append(
            median(sampler.between(first + .seconds(1), last).map { $0.running + $0.waiting }))
        }
      }
    }
    let ratio = Figures.median(ttft["queue figures"]!) / Figures.median(ttft["one in flight"]!)
    print("queue: 30 pages of 0.5 s, fake vLLM with 2 slots queueing beyond")
    print(
      "  median in flight \(Figures.format(Figures.median(inFlight))) (target 2–3) "
        + Figures.verdict((2...3).contains(Figures.median(inFlight))))
    print(
      "  stream TTFT median \(Figures.format(Figures.median(ttft["queue figures"]!), 0)) ms "
        + "against \(Figures.format(Figures.median(ttft["one in flight"]!), 0)) ms with one in "
        + "flight: \(Figures.format(ratio, 2))× (target ≤ 1.2×) \(Figures.verdict(ratio <= 1.2))")
  }

  /// Two `ocrview` processes, 100 pages each, on one 12-slot fake at once.
  static func twoClients(runs: Int) throws {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let file = ServerBenchmarks.document(pages: 100, in: scratch)
    let ideal = 200 * 0.5 / 12
    var ratios: [Double] = []
    var shares: [Double] = []
    var waiting: [Double] = []
    for _ in 0..<runs {
      let server = try server(slots: 12, metrics: .vllm, firstToken: .milliseconds(350))
      let sampler = Sampler(server)
      let outputs = [scratch + "/a.jsonl", scratch + "/b.jsonl"]
      let children = try outputs.map { output in
        try OcrviewProcess.startOCR(
          file: file, server: server.baseURL, extra: ["--stream", "--format", "jsonl"],
          stdoutPath: output, scratch: scratch)
      }
      // The pages each finished (its output lines) while both ran: from when both had one
      // done to when the first ended — not a head start one got by starting sooner.
      var share: Double?
      var both: [Int]?
      let done = { (path: String) in
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
      }
      while share == nil {
        let counts = outputs.map(done)
        if both == nil, counts.allSatisfy({ $0 > 0 }) { both = counts }
        if let both, counts.contains(where: { $0 >= 100 }) {
          let (a, b) = (counts[0] - both[0], counts[1] - both[1])
          share = Double(a) / Double(max(1, a + b))
        }
        Thread.sleep(forTimeInterval: 0.02)
      }
      let exits = children.map { $0.wait() }
      sampler.stop()
      guard exits.allSatisfy({ $0.status == 0 }) else {
        throw BenchmarkError("ocrview exited \(exits.map(\.status))")
      }
      let end = zip(children, exits).map { $0.started + $1.elapsed }.max()!
      let start = children.map(\.started).min()!
      ratios.append((end - start).secondsValue / ideal)
      shares.append(share!)
      let last = server.requests.last?.receivedAt ?? .now
      waiting.append(median(sampler.between(start + .seconds(1), last).map(\.waiting)))
    }
    let ratio = Figures.median(ratios)
    print("queue: two `ocrview` processes, 100 pages of 0.5 s each, one fake vLLM with 12 slots")
    print(
      "  together \(Figures.format(ratio, 2))× ideal 8.33 s (target ≤ 1.15×) "
        + "\(Figures.verdict(ratio <= 1.15)); the first's share of the pages done while both "
        + "ran: \(shares.map { Figures.format(100 * $0, 0) + " %" }.joined(separator: ", ")) "
        + "(target 40–60 %) \(Figures.verdict(shares.allSatisfy { (0.4...0.6).contains($0) })); "
        + "server queue median \(Figures.format(Figures.median(waiting)))")
  }
}

extension Duration {
  var secondsValue: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}

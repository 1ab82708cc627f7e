/// Percentiles of the standard per-request metrics (the names vLLM's benchmark_serving and
/// genai-perf use), per mode, from the pages of repeated document runs.
public struct BenchSummary: Sendable, Equatable {
  /// One mode's figures; nil where nothing was measured (ITL in batch mode).
  public struct Mode: Sendable, Equatable {
    public var pages = 0
    public var failed = 0
    public var ttftMs: Percentiles?
    public var e2elMs: Percentiles?
    public var itlMs: Percentiles?
    /// Per second of E2E latency.
    public var outputTokensPerSecond: Percentiles?
    /// Tokens after the first per second after the first (the server's decode speed).
    public var decodeTokensPerSecond: Percentiles?
    public var documentTimeToFirstTextMs: Percentiles?
    public var documentTotalMs: Percentiles?
  }

  public struct Percentiles: Sendable, Equatable {
    public var p50: Double
    public var p90: Double
    public var mean: Double
  }

  public var modes: [OCRMode: Mode] = [:]

  public init() {}

  /// Adds one document run's results in `mode`.
  public mutating func add(
    mode: OCRMode, pages: [PageStats], failed: Int, document: DocumentStats
  ) {
    samples[mode, default: Samples()].add(pages: pages, failed: failed, document: document)
    modes[mode] = samples[mode]!.summary
  }

  private var samples: [OCRMode: Samples] = [:]

  private struct Samples: Sendable, Equatable {
    var ttft: [Double] = []
    var e2el: [Double] = []
    var itl: [Double] = []
    var rate: [Double] = []
    var decode: [Double] = []
    var firstText: [Double] = []
    var total: [Double] = []
    var failed = 0

    mutating func add(pages: [PageStats], failed: Int, document: DocumentStats) {
      for page in pages {
        if let ttft = page.ttft { self.ttft.append(ttft.millisecondsValue) }
        e2el.append(page.e2e.millisecondsValue)
        if let itl = page.itl { self.itl.append(itl.millisecondsValue) }
        if let rate = page.outputTokensPerSecond { self.rate.append(rate) }
        if let rate = page.decodeTokensPerSecond { decode.append(rate) }
      }
      self.failed += failed
      if let first = document.timeToFirstText { firstText.append(first.millisecondsValue) }
      total.append(document.total.millisecondsValue)
    }

    var summary: Mode {
      Mode(
        pages: e2el.count, failed: failed, ttftMs: percentiles(ttft), e2elMs: percentiles(e2el),
        itlMs: percentiles(itl), outputTokensPerSecond: percentiles(rate),
        decodeTokensPerSecond: percentiles(decode),
        documentTimeToFirstTextMs: percentiles(firstText), documentTotalMs: percentiles(total))
    }
  }
}

/// p50, p90 (linear interpolation between closest ranks, as numpy does) and the mean.
public func percentiles(_ values: [Double]) -> BenchSummary.Percentiles? {
  guard !values.isEmpty else { return nil }
  let sorted = values.sorted()
  func at(_ fraction: Double) -> Double {
    let position = fraction * Double(sorted.count - 1)
    let lower = Int(position)
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
  }
  return BenchSummary.Percentiles(
    p50: at(0.5), p90: at(0.9), mean: sorted.reduce(0, +) / Double(sorted.count))
}

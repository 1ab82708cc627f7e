import Foundation

/// `ocrview bench`'s output: a table for people, JSON for machines.
public enum BenchReport {
  public struct Header: Sendable {
    public var file: String
    public var pages: [Int]
    public var runs: Int
    public var engine: String
    public var concurrency: Int

    public init(file: String, pages: [Int], runs: Int, engine: String, concurrency: Int) {
      self.file = file
      self.pages = pages
      self.runs = runs
      self.engine = engine
      self.concurrency = concurrency
    }
  }

  /// Each figure's row label and its JSON name (as vLLM's benchmark_serving names them).
  private static var rows:
    [(label: String, json: String, path: KeyPath<BenchSummary.Mode, BenchSummary.Percentiles?>)]
  {
    [
      ("TTFT (ms)", "ttft_ms", \.ttftMs),
      ("E2E latency (ms)", "e2el_ms", \.e2elMs),
      ("ITL (ms)", "itl_ms", \.itlMs),
      ("decode tokens/s", "decode_tokens_per_second", \.decodeTokensPerSecond),
      ("output tokens/s, end to end", "output_tokens_per_second", \.outputTokensPerSecond),
      (
        "document: time to first text (ms)", "document_time_to_first_text_ms",
        \.documentTimeToFirstTextMs
      ),
      ("document: total (ms)", "document_total_ms", \.documentTotalMs),
    ]
  }

  public static func table(_ summary: BenchSummary, _ header: Header) -> String {
    var lines = [
      "\(header.file): \(header.pages.count) page(s) × \(header.runs) run(s) per mode, alternating; "
        + "\(header.engine), \(header.concurrency) at once",
      "",
      "metric".padded(34)
        + ["stream p50", "stream p90", "batch p50", "batch p90"].map { $0.leftPadded(12) }.joined(),
    ]
    for (name, _, path) in rows {
      var line = name.padded(34)
      for mode in [OCRMode.stream, .batch] {
        let value = summary.modes[mode]?[keyPath: path]
        line += cell(value?.p50) + cell(value?.p90)
      }
      lines.append(line)
    }
    if let stream = summary.modes[.stream]?.ttftMs?.p50,
      let batch = summary.modes[.batch]?.ttftMs?.p50,
      stream > 0
    {
      lines += [
        "",
        "batch waits \(StatsText.ratio(batch / stream)) longer than stream for the first text (p50 TTFT)",
      ]
    }
    let failed = summary.modes.values.map(\.failed).reduce(0, +)
    if failed > 0 {
      lines.append("\(failed) page run(s) failed (see above); they are not in the figures")
    }
    return lines.joined(separator: "\n")
  }

  public static func json(_ summary: BenchSummary, _ header: Header) -> String {
    var object: [String: Any] = [
      "file": header.file, "pages": header.pages, "runs": header.runs, "engine": header.engine,
      "concurrency": header.concurrency,
    ]
    for mode in [OCRMode.stream, .batch] {
      guard let figures = summary.modes[mode] else { continue }
      var entry: [String: Any] = ["completed": figures.pages, "failed": figures.failed]
      for (_, name, path) in rows {
        guard let value = figures[keyPath: path] else { continue }
        entry["median_\(name)"] = rounded(value.p50)
        entry["p90_\(name)"] = rounded(value.p90)
        entry["mean_\(name)"] = rounded(value.mean)
      }
      object[mode.rawValue] = entry
    }
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  private static func cell(_ value: Double?) -> String {
    (value.map { String(format1: $0) } ?? "–").leftPadded(12)
  }

  private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}

extension String {
  fileprivate func padded(_ width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - count))
  }
  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: " ", count: max(0, width - count)) + self
  }
}

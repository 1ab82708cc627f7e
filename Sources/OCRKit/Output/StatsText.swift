/// Short human-readable figures, shared by `--stats` and the TUI's stats bar.
public enum StatsText {
  /// "412 ms" below a second, "3.20 s" above.
  public static func duration(_ value: Duration?) -> String {
    guard let value else { return "–" }
    let ms = value.millisecondsValue
    if ms < 1000 { return "\(Int(saturating: ms.rounded())) ms" }
    return String(format2: ms / 1000) + " s"
  }

  /// "254.3 tok/s"
  public static func rate(_ tokensPerSecond: Double) -> String {
    String(format1: tokensPerSecond) + " tok/s"
  }

  /// "12.3×"
  public static func ratio(_ value: Double) -> String { String(format1: value) + "×" }

  /// The page's speed for a narrow place (the viewer's stats bar): its decode speed, the figure
  /// llama-server reports as `predicted_per_second` ("83.3 tok/s"), else the end-to-end rate,
  /// named so ("62.8 tok/s E2E").
  public static func speed(_ stats: PageStats) -> String? {
    if let decode = stats.decodeTokensPerSecond { return rate(decode) }
    return stats.outputTokensPerSecond.map { rate($0) + " E2E" }
  }

  /// "412 tokens", with the request's cap when there was one: "412/5516 tokens".
  public static func tokens(_ stats: PageStats) -> String {
    "\(stats.outputTokens)\(stats.maxTokens.map { "/\($0)" } ?? "") tokens"
  }

  public static func page(_ page: Int, _ stats: PageStats) -> String {
    var parts = [
      "page \(page)", stats.mode.rawValue, "TTFT \(duration(stats.ttft))",
      "E2E \(duration(stats.e2e))", tokens(stats),
    ]
    if let value = stats.decodeTokensPerSecond { parts.append("decode " + rate(value)) }
    if let value = stats.outputTokensPerSecond { parts.append("E2E rate " + rate(value)) }
    if let itl = stats.itl { parts.append("ITL \(String(format1: itl.millisecondsValue)) ms") }
    if stats.finishReason == .length {
      parts.append(
        "finish: length — CUT OFF at \(stats.maxTokens.map(String.init) ?? "the") max_tokens")
    } else if let reason = stats.finishReason, reason != .stop {
      parts.append("finish: \(reason)")
    }
    if let rescued = stats.attempts.rescueSummary { parts.append(rescued) }
    if let confidence = stats.confidence { parts.append(Self.confidence(confidence)) }
    if stats.restored { parts.append("(restored from the journal)") }
    // What is known against the page so far (a check's findings come on their own line).
    let verdict = PageVerdict.of(stats)
    parts.append("verdict \(verdict.level.rawValue)")
    return parts.joined(separator: "  ")
  }

  public static func document(_ stats: DocumentStats, pageCount: Int) -> String {
    var line = "document  \(stats.pagesDone)/\(pageCount) pages ok"
    if stats.pagesFailed > 0 { line += ", \(stats.pagesFailed) failed" }
    line += "  first text \(duration(stats.timeToFirstText))  total \(duration(stats.total))"
    if let usage = stats.concurrency { line += "  " + inFlight(usage) }
    return line
  }
}

extension StatsText {
  /// "confidence: mean logprob -0.04, 2.1 % tokens p<0.5, lines 3, 7"
  public static func confidence(_ confidence: TokenConfidence) -> String {
    var text =
      "confidence: mean logprob \(String(format2: confidence.meanLogprob)), "
      + "\(String(format1: confidence.lowShare * 100)) % tokens p<\(TokenConfidence.lowThreshold)"
    if !confidence.lowLines.isEmpty {
      let shown = confidence.lowLines.prefix(8).map(String.init).joined(separator: ", ")
      text += ", doubtful line\(confidence.lowLines.count == 1 ? "" : "s") " + shown
      if confidence.lowLines.count > 8 { text += " …" }
    }
    return text
  }

  /// An adaptive limit over a run: "in flight 8→19 (peak 22, mean 17.4)", and the pages sent
  /// just before a slot freed, when some were: "…, 88 sent ahead of a slot's end".
  public static func inFlight(_ usage: ConcurrencyStats) -> String {
    "in flight \(usage.initial)→\(usage.final) (peak \(usage.peak), mean \(String(format1: usage.mean)))"
      + (usage.sentAhead > 0 ? ", \(usage.sentAhead) sent ahead of a slot's end" : "")
  }
}

extension String {
  /// Fixed two decimals without Foundation's locale-dependent formatting; any `Double` (a
  /// figure beyond `Int` shows saturated, NaN as 0.00: never a trap).
  init(format2 value: Double) { self = Self.fixed(value, digits: 2) }
  init(format1 value: Double) { self = Self.fixed(value, digits: 1) }

  private static func fixed(_ value: Double, digits: Int) -> String {
    let scale = digits == 1 ? 10.0 : 100.0
    let scaled = Int(saturating: (abs(value) * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    let padded = String(repeating: "0", count: digits - fraction.count) + fraction
    return (value < 0 && scaled != 0 ? "-" : "") + "\(whole).\(padded)"
  }
}

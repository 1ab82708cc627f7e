/// Where a page's output-token count came from, best first.
public enum TokenCountSource: String, Sendable, Codable {
  case usage, timings, deltas
}

/// The standard per-page measurements (see DESIGN.md, "Measurements").
public struct PageStats: Sendable, Equatable {
  public var mode: OCRMode
  /// Request sent → first non-empty delta. In batch mode the text arrives whole, so TTFT = E2E.
  public var ttft: Duration?
  /// Request sent → last byte.
  public var e2e: Duration
  public var outputTokens: Int
  public var outputTokensSource: TokenCountSource
  /// Output tokens per second of E2E latency (the end-to-end rate: it counts the wait for the
  /// first token, the image's prefill included; named as such wherever it is shown).
  public var outputTokensPerSecond: Double?
  /// Decode speed: tokens after the first ÷ time after the first — llama-server's own
  /// `predicted_per_second`, taken from the server when it sends it (a stream's arrival times
  /// when not). Nil in batch mode without server timings: there is no first token to time.
  public var decodeTokensPerSecond: Double?
  /// The request's `max_tokens`, the page's token cap (nil for the built-in engine).
  public var maxTokens: Int?
  /// Mean gap between deltas (stream mode, two deltas or more).
  public var itl: Duration?
  public var deltaCount: Int
  public var finishReason: FinishReason?
  /// llama-server's own `timings`, kept as sent.
  public var serverTimings: ServerTimings?
  public var renderTime: Duration
  public var imageBytes: Int
  /// The page image's size in pixels (0 when unknown, e.g. restored): grounding boxes in
  /// pixels are relative to it.
  public var imageWidth = 0
  public var imageHeight = 0
  /// Read back from the journal: measured by an earlier run, not this one.
  public var restored = false
  /// Stream events that were not JSON, skipped (their text, if any, is missing).
  public var malformedChunks = 0
  /// The built-in engine's second opinion on the page (`--check`), once it is in.
  public var check: PageCheck?
  /// Every read of the page that ended, in order (`RescuePolicy`): one for a page read once
  /// and cleanly, more for a rescued one; the page's text and the other figures are the kept
  /// read's. Empty for the built-in engine, and for a page restored from the journal that was
  /// read once (journals and jsonl record the reads of rescued pages only).
  public var attempts: [PageAttempt] = []
  /// The model's confidence in the page's text, from its tokens' log-probabilities; nil when
  /// the server sent none (it refused `logprobs`, or the page came from the built-in engine),
  /// and for a read the loop guard stopped (its answer never finished).
  public var confidence: TokenConfidence?
}

extension PageStats {
  /// Stats of a page nothing was measured for (restored from a transcript, say).
  public static func unmeasured(_ mode: OCRMode) -> PageStats {
    PageStats(
      mode: mode, ttft: nil, e2e: .zero, outputTokens: 0, outputTokensSource: .deltas,
      outputTokensPerSecond: nil, decodeTokensPerSecond: nil, maxTokens: nil, itl: nil,
      deltaCount: 0, finishReason: nil, serverTimings: nil,
      renderTime: .zero, imageBytes: 0)
  }
}

extension PageStats {
  /// Why a finished page may be incomplete, for people (one line); nil when it ended normally.
  public var warning: String? {
    let ending: String? =
      switch finishReason {
      case .length?:
        "the model stopped at the token limit (finish_reason: length) — the page may be cut short; raise --max-tokens"
      case .loop?:
        "the model kept repeating itself; stopped it and kept the text up to the loop (--no-loop-guard turns this off)"
      default: nil
      }
    let malformed: String? =
      malformedChunks == 0
      ? nil
      : "\(malformedChunks) malformed event\(malformedChunks == 1 ? "" : "s") skipped (not JSON) "
        + "— text they held is missing from the page"
    let warnings = [ending, malformed].compactMap { $0 }
    return warnings.isEmpty ? nil : warnings.joined(separator: "; ")
  }
}

/// Collects the instants of one page's request and turns them into `PageStats`.
///
/// Pure: instants are passed in, so tests can use any clock.
public struct PageTimer: Sendable {
  public let mode: OCRMode
  public let sentAt: ContinuousClock.Instant
  public private(set) var firstDeltaAt: ContinuousClock.Instant?
  public private(set) var lastDeltaAt: ContinuousClock.Instant?
  public private(set) var deltaCount = 0

  public init(mode: OCRMode, sentAt: ContinuousClock.Instant) {
    self.mode = mode
    self.sentAt = sentAt
  }

  public mutating func recordDelta(at instant: ContinuousClock.Instant) {
    if firstDeltaAt == nil { firstDeltaAt = instant }
    lastDeltaAt = instant
    deltaCount += 1
  }

  /// - Parameter text: the page's text as kept: the tokens' log-probabilities are placed in
  ///   it (`TokenConfidence`).
  public func stats(
    endedAt: ContinuousClock.Instant, info: CompletionInfo?, image: PageImage, text: String = ""
  ) -> PageStats {
    let e2e = endedAt - sentAt
    let tokens: (Int, TokenCountSource) =
      if let count = info?.usage?.completionTokens {
        (count, .usage)
      } else if let count = info?.timings?.predictedN { (count, .timings) } else {
        (deltaCount, .deltas)
      }
    var itl: Duration?
    if mode == .stream, deltaCount >= 2, let first = firstDeltaAt, let last = lastDeltaAt {
      itl = (last - first) / (deltaCount - 1)
    }
    let ttft: Duration? =
      if firstDeltaAt == nil { nil } else if mode == .batch { e2e } else { firstDeltaAt! - sentAt }
    var stats = PageStats(
      mode: mode, ttft: ttft, e2e: e2e, outputTokens: tokens.0, outputTokensSource: tokens.1,
      outputTokensPerSecond: e2e > .zero ? Plausible.rate(Double(tokens.0) / e2e.seconds) : nil,
      decodeTokensPerSecond: decodeRate(tokens: tokens.0, timings: info?.timings),
      maxTokens: info?.maxTokens, itl: itl, deltaCount: deltaCount,
      finishReason: info?.finishReason, serverTimings: info?.timings,
      renderTime: image.renderTime, imageBytes: image.bytes.count, imageWidth: image.width,
      imageHeight: image.height, malformedChunks: info?.malformedChunks ?? 0)
    if let tokens = info?.tokenLogprobs, !tokens.isEmpty {
      stats.confidence = TokenConfidence.measure(tokens, text: text)
    }
    return stats
  }

  /// The server's own decode speed when it is a plausible figure, else the stream's: tokens
  /// after the first over the time from the first delta to the last.
  func decodeRate(tokens: Int, timings: ServerTimings?) -> Double? {
    if let rate = timings?.predictedPerSecond, rate.isFinite, rate > 0 { return rate }
    guard mode == .stream, tokens > 1, let first = firstDeltaAt, let last = lastDeltaAt,
      last > first
    else { return nil }
    return Plausible.rate(Double(tokens - 1) / (last - first).seconds)
  }
}

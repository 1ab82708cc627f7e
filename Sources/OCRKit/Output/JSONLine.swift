import Foundation

/// One page as a JSON object on one line (`--format jsonl`).
enum JSONLine {
  /// With `grounding`, the record lists the page's blocks (those not dropped); `text` stays
  /// the model's output as received.
  static func page(file: String, page: Int, end: PageEnd, grounding: GroundingOutput? = nil)
    -> String
  {
    let blocks = grounding.map { grounding in
      GroundedBlock.parse(end.text).filter { !grounding.drop.contains($0.label) }.map {
        BlockRecord($0, width: end.stats?.imageWidth ?? 0, height: end.stats?.imageHeight ?? 0)
      }
    }
    // A verdict for a page that was read; a failed page's status says enough.
    let verdict = end.status == .done ? end.stats.map { PageVerdict.of($0) } : nil
    let record = PageRecord(
      file: file, page: page, status: end.status, mode: end.stats?.mode, text: end.text,
      error: end.error?.description, stats: end.stats.map(StatsRecord.init), blocks: blocks,
      check: end.stats?.check.map(CheckRecord.init), verdict: verdict?.level,
      reasons: verdict.map { $0.reasons.map(\.words) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return String(decoding: (try? encoder.encode(record)) ?? Data("{}".utf8), as: UTF8.self)
  }

  private struct PageRecord: Encodable {
    var file: String
    var page: Int
    var status: PageStatus
    var mode: OCRMode?
    var text: String
    var error: String?
    var stats: StatsRecord?
    var blocks: [BlockRecord]?
    var check: CheckRecord?
    /// `ok`, `review` or `flagged` (README, "Verdicts"), and why, in words.
    var verdict: PageVerdict.Level?
    var reasons: [String]?
  }

  /// `--check`'s second opinion: `agreement` (share of tesseract's confident words in the
  /// model's text), `precision` (share of the model's words tesseract read), the word counts,
  /// `ink` (dark-pixel share), and `flag` (`missing`, `invented`) with its `reason` when the
  /// page looks wrong.
  private struct CheckRecord: Encodable {
    var agreement: Double
    var precision: Double
    var tesseractWords: Int
    var modelWords: Int
    var ink: Double
    var flag: PageCheck.Flag?
    var reason: String?

    init(_ check: PageCheck) {
      agreement = (check.agreement * 1000).rounded() / 1000
      precision = (check.precision * 1000).rounded() / 1000
      tesseractWords = check.tesseractWords
      modelWords = check.modelWords
      ink = (check.ink * 10000).rounded() / 10000
      flag = check.flag
      reason = check.reason
    }

    enum CodingKeys: String, CodingKey {
      case agreement, precision, ink, flag, reason
      case tesseractWords = "tesseract_words"
      case modelWords = "model_words"
    }
  }

  /// A grounded block: `box` in 0–1000 of the page, `box_px` in the image's pixels (absent
  /// when its size is unknown, e.g. a page restored from the journal).
  private struct BlockRecord: Encodable {
    var label: String
    var continues: Bool?
    var box: [Int]
    var boxPx: [Int]?
    var text: String

    init(_ block: GroundedBlock, width: Int, height: Int) {
      label = block.label
      continues = block.continues ? true : nil
      box = [block.box.x1, block.box.y1, block.box.x2, block.box.y2]
      if width > 0, height > 0 {
        let pixels = block.box.pixels(width: width, height: height)
        boxPx = [pixels.x1, pixels.y1, pixels.x2, pixels.y2]
      }
      text = block.text
    }

    enum CodingKeys: String, CodingKey {
      case label, continues, box, text
      case boxPx = "box_px"
    }
  }
}

/// Page stats with the standard metric names, in milliseconds, for machines to read.
public struct StatsRecord: Codable, Sendable, Equatable {
  public var ttftMs: Double?
  public var e2eMs: Double
  public var outputTokens: Int
  public var outputTokensSource: TokenCountSource
  /// Per second of E2E latency: the end-to-end rate.
  public var outputTokensPerSecond: Double?
  /// Tokens after the first per second after the first: the server's decode speed.
  public var decodeTokensPerSecond: Double?
  /// The request's `max_tokens` (absent for the built-in engine).
  public var maxTokens: Int?
  public var itlMs: Double?
  public var deltas: Int
  public var finishReason: String?
  public var renderMs: Double
  public var imageBytes: Int
  public var serverTimings: ServerTimings?
  /// True for a page restored from the journal (its figures are the earlier run's).
  public var restored: Bool?
  /// Stream events skipped because they were not JSON (absent when none).
  public var malformedEvents: Int?
  /// The page image's size in pixels (absent when unknown): grounding boxes in pixels come
  /// from it, for pages restored from the journal too.
  public var imageWidth: Int?
  public var imageHeight: Int?
  /// Every read of a page read more than once (`--rescue`), in order, each with its `reason`
  /// (`loop`, `cut_off`, `empty`; absent for the clean one) and `temperature`; absent for a
  /// page read once.
  public var attempts: [PageAttempt]?
  /// The model's confidence (`TokenConfidence`): `tokens`, `mean_logprob`, `low_share` and
  /// `low_lines` (1-based lines of `text` where doubtful tokens cluster); absent when the
  /// server sent no log-probabilities.
  public var confidence: TokenConfidence?

  public init(_ stats: PageStats) {
    ttftMs = stats.ttft.map(\.millisecondsValue)
    e2eMs = stats.e2e.millisecondsValue
    outputTokens = stats.outputTokens
    outputTokensSource = stats.outputTokensSource
    outputTokensPerSecond = stats.outputTokensPerSecond.map { ($0 * 100).rounded() / 100 }
    decodeTokensPerSecond = stats.decodeTokensPerSecond.map { ($0 * 100).rounded() / 100 }
    maxTokens = stats.maxTokens
    itlMs = stats.itl.map(\.millisecondsValue)
    deltas = stats.deltaCount
    finishReason = stats.finishReason?.rawValue
    renderMs = stats.renderTime.millisecondsValue
    imageBytes = stats.imageBytes
    serverTimings = stats.serverTimings
    restored = stats.restored ? true : nil
    malformedEvents = stats.malformedChunks > 0 ? stats.malformedChunks : nil
    imageWidth = stats.imageWidth > 0 ? stats.imageWidth : nil
    imageHeight = stats.imageHeight > 0 ? stats.imageHeight : nil
    attempts = stats.attempts.count > 1 ? stats.attempts : nil
    confidence = stats.confidence.map { confidence in
      var rounded = confidence
      rounded.meanLogprob = (confidence.meanLogprob * 10000).rounded() / 10000
      rounded.lowShare = (confidence.lowShare * 10000).rounded() / 10000
      return rounded
    }
  }

  enum CodingKeys: String, CodingKey {
    case ttftMs = "ttft_ms"
    case e2eMs = "e2e_ms"
    case outputTokens = "output_tokens"
    case outputTokensSource = "output_tokens_source"
    case outputTokensPerSecond = "output_tokens_per_second"
    case decodeTokensPerSecond = "decode_tokens_per_second"
    case maxTokens = "max_tokens"
    case itlMs = "itl_ms"
    case deltas
    case finishReason = "finish_reason"
    case renderMs = "render_ms"
    case imageBytes = "image_bytes"
    case serverTimings = "server_timings"
    case restored
    case malformedEvents = "malformed_events"
    case imageWidth = "image_width"
    case imageHeight = "image_height"
    case attempts, confidence
  }

  /// Read back from a journal (or a jsonl file): every number as `Plausible` keeps it, so a
  /// damaged or hostile journal cannot crash the run, `journal show` or `journal list`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    ttftMs = container.plausibleMilliseconds(.ttftMs)
    e2eMs = container.plausibleMilliseconds(.e2eMs) ?? 0
    outputTokens = container.plausibleCount(.outputTokens) ?? 0
    outputTokensSource = try container.decode(TokenCountSource.self, forKey: .outputTokensSource)
    outputTokensPerSecond = container.plausibleRate(.outputTokensPerSecond)
    decodeTokensPerSecond = container.plausibleRate(.decodeTokensPerSecond)
    maxTokens = container.plausibleCount(.maxTokens)
    itlMs = container.plausibleMilliseconds(.itlMs)
    deltas = container.plausibleCount(.deltas) ?? 0
    finishReason = try container.decodeIfPresent(String.self, forKey: .finishReason)
    renderMs = container.plausibleMilliseconds(.renderMs) ?? 0
    imageBytes = container.plausibleCount(.imageBytes) ?? 0
    serverTimings = try container.decodeIfPresent(ServerTimings.self, forKey: .serverTimings)
    restored = try container.decodeIfPresent(Bool.self, forKey: .restored)
    malformedEvents = container.plausibleCount(.malformedEvents)
    imageWidth = container.plausibleCount(.imageWidth)
    imageHeight = container.plausibleCount(.imageHeight)
    // A damaged list is no list: the page's other figures still read back.
    attempts = (try? container.decodeIfPresent([PageAttempt].self, forKey: .attempts)) ?? nil
    confidence =
      (try? container.decodeIfPresent(TokenConfidence.self, forKey: .confidence)) ?? nil
  }
}

extension Duration {
  /// Milliseconds with microsecond precision, for reports.
  public var millisecondsValue: Double { (seconds * 1_000_000).rounded() / 1000 }
}

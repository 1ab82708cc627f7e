import Foundation

/// The model's own confidence in a page, from the log-probability of each token it wrote.
///
/// The sampled token's log-probability comes from the model's raw distribution (llama-server
/// computes it from the logits before its samplers, `post_sampling_probs: false`; vLLM's
/// default `--logprobs-mode` is `raw_logprobs`), so the sampling temperature does not bend it.
/// An OCR model reading clean print is near-certain of almost every token (p > 0.9); where
/// it is not, the image was hard to read there — a smudge, a small font, an unusual word, a
/// table cell it guessed — or it is making text up.
///
/// Pure: `measure` is a function of the tokens and the page's final text.
public struct TokenConfidence: Sendable, Equatable, Codable {
  /// Tokens measured: those with a log-probability within the page's final text.
  public var tokens: Int
  /// Mean natural log-probability per token (0: certain of every token).
  public var meanLogprob: Double
  /// Share of the tokens with p < `lowThreshold`.
  public var lowShare: Double
  /// 1-based lines of the page's text where low-probability tokens cluster.
  public var lowLines: [Int]

  /// A token is low below p = 0.5: the model gave it no better than a coin's odds, so some
  /// other reading of that spot was about as likely. (Confidence scores built on token
  /// log-probabilities commonly flag tokens in the 0.3–0.6 range; 0.5 is the point where the
  /// model's top choice stops being a majority.)
  public static let lowThreshold = 0.5
  /// A line is marked when it holds at least this many low tokens…
  public static let clusterTokens = 2
  /// …or when this share of its tokens are low (a short line — a page number, a table cell —
  /// with one doubtful token of three is doubtful as a whole; one doubtful word in a long
  /// sentence is not).
  public static let clusterShare = 0.3

  public init(tokens: Int, meanLogprob: Double, lowShare: Double, lowLines: [Int]) {
    self.tokens = tokens
    self.meanLogprob = meanLogprob
    self.lowShare = lowShare
    self.lowLines = lowLines
  }

  enum CodingKeys: String, CodingKey {
    case tokens
    case meanLogprob = "mean_logprob"
    case lowShare = "low_share"
    case lowLines = "low_lines"
  }

  /// Read back from a journal or jsonl: anything implausible reads as no confidence at all
  /// (the caller decodes it with `try?`).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    tokens = container.plausibleCount(.tokens) ?? 0
    let mean = try container.decode(Double.self, forKey: .meanLogprob)
    let share = try container.decode(Double.self, forKey: .lowShare)
    guard mean.isFinite, mean <= 0, share.isFinite, (0...1).contains(share) else {
      throw DecodingError.dataCorruptedError(
        forKey: .meanLogprob, in: container, debugDescription: "implausible confidence")
    }
    meanLogprob = mean
    lowShare = share
    lowLines =
      ((try? container.decodeIfPresent([Int].self, forKey: .lowLines)) ?? nil)?
      .filter { $0 > 0 } ?? []
  }

  /// The confidence of a page whose final text is `text`, from its tokens in order; nil when
  /// no token has a log-probability (the server sent none).
  ///
  /// Tokens are placed in the text by their bytes, in order, from the offset a stream chunk
  /// gave its first token (`TokenLogprob.offset`); those past its end (after the loop guard cut
  /// it) do not count. A token is on the line where its first byte other than
  /// a line break is; a token of whitespace only counts in the mean and the share but marks no
  /// line.
  public static func measure(_ tokens: [TokenLogprob], text: String) -> TokenConfidence? {
    let textBytes = Array(text.utf8)
    // The line number at each line break's byte offset, found as tokens advance.
    var offset = 0
    var line = 1
    var scanned = 0
    var counted = 0
    var sum = 0.0
    var low = 0
    var perLine: [Int: (tokens: Int, low: Int)] = [:]
    let lowLogprob = Foundation.log(lowThreshold)
    for token in tokens {
      if let anchor = token.offset, anchor >= 0 { offset = anchor }
      guard offset < textBytes.count else { break }
      let start = offset
      offset += max(token.bytes.count, 0)
      guard let logprob = token.logprob else { continue }
      counted += 1
      sum += logprob
      let isLow = logprob < lowLogprob
      if isLow { low += 1 }
      // The first byte that is not a line break or blank, within the text.
      guard
        let first = (start..<min(offset, textBytes.count)).first(where: {
          !Self.isBlank(textBytes[$0])
        })
      else { continue }
      while scanned < first {
        if textBytes[scanned] == UInt8(ascii: "\n") { line += 1 }
        scanned += 1
      }
      perLine[line, default: (0, 0)].tokens += 1
      if isLow { perLine[line, default: (0, 0)].low += 1 }
    }
    guard counted > 0 else { return nil }
    let lines = perLine.filter { _, count in
      count.low >= clusterTokens
        || (count.low > 0 && Double(count.low) / Double(count.tokens) >= clusterShare)
    }.keys.sorted()
    return TokenConfidence(
      tokens: counted, meanLogprob: sum / Double(counted),
      lowShare: Double(low) / Double(counted), lowLines: lines)
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
      || byte == UInt8(ascii: "\r")
  }
}

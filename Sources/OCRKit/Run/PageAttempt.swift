/// Why a read of a page that ended is not good enough, and worth reading again warmer.
public enum RescueReason: String, Sendable, Codable, Equatable, CaseIterable {
  /// The loop guard stopped the model repeating itself.
  case loop
  /// The answer hit the token limit (`finish_reason: length`).
  case cutOff = "cut_off"
  /// No text at all, on a page with ink.
  case empty
}

/// One read of a page that ended (a transport failure is not one: that request is retried by
/// `RetryPolicy` at the same temperature and counted apart).
public struct PageAttempt: Sendable, Equatable, Codable {
  /// Why it was not good enough; nil for a clean read.
  public var reason: RescueReason?
  /// The sampling temperature it was read at.
  public var temperature: Double
  /// Characters of its text (up to the loop, for a loop).
  public var characters: Int
  public var outputTokens: Int

  public init(reason: RescueReason?, temperature: Double, characters: Int, outputTokens: Int) {
    self.reason = reason
    self.temperature = temperature
    self.characters = characters
    self.outputTokens = outputTokens
  }

  enum CodingKeys: String, CodingKey {
    case reason, temperature, characters
    case outputTokens = "output_tokens"
  }

  /// Read back from a journal or jsonl: numbers as `Plausible` keeps them, an unknown reason
  /// as none, so a damaged file never crashes a run.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    reason = (try? container.decodeIfPresent(String.self, forKey: .reason))
      .flatMap { $0.flatMap(RescueReason.init(rawValue:)) }
    let temperature = (try? container.decodeIfPresent(Double.self, forKey: .temperature)) ?? nil
    self.temperature = temperature.flatMap { $0.isFinite && $0 >= 0 && $0 <= 2 ? $0 : nil } ?? 0
    characters = container.plausibleCount(.characters) ?? 0
    outputTokens = container.plausibleCount(.outputTokens) ?? 0
  }
}

extension RescueReason {
  /// Why a read that ended is not good enough: a loop, the token limit, or no text on a page
  /// with ink (`blank` says whether the page has none; nil: not measured, taken as ink).
  public static func judging(finish: FinishReason?, text: String, blank: Bool?) -> RescueReason? {
    if finish == .loop { return .loop }
    if finish == .length { return .cutOff }
    if text.allSatisfy(\.isWhitespace), blank != true { return .empty }
    return nil
  }

  /// For people: "loop", "cut off", "empty".
  public var label: String {
    switch self {
    case .loop: "loop"
    case .cutOff: "cut off"
    case .empty: "empty"
    }
  }
}

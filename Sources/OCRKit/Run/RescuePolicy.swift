/// When a page whose read ended badly — a loop, the token limit, no text — is read again, at
/// which temperature, and which read is kept (`--rescue N`).
///
/// A small OCR model at a low temperature that falls into a loop tends to fall into the same
/// loop again at the same temperature; a little more randomness usually walks it past. olmOCR
/// (allenai/olmocr, `pipeline.py`) reads a failed page again up a ladder of temperatures,
/// `0.1, 0.1, 0.2, 0.3, 0.5, 0.8, 0.9, 1.0`; so does this, starting from the first read's own
/// temperature (the profile's or `--temperature`): each rescue takes the next rung strictly
/// above the read before it, so a page read at 0.2 is rescued at 0.3, then 0.5. Past the top
/// rung, or after `reads` reads, the page keeps the best read it got.
///
/// Pure: the run feeds it the reads that ended; tests drive it without a server.
public struct RescuePolicy: Sendable, Equatable {
  /// olmOCR's ladder.
  public static let ladder: [Double] = [0.1, 0.1, 0.2, 0.3, 0.5, 0.8, 0.9, 1.0]
  /// `--rescue`'s default: the first read and two rescues.
  public static let defaultReads = 3
  /// `--rescue`'s range: 1 turns rescue off; 8 is the ladder's length.
  public static let readsRange = 1...8

  /// The most reads a page gets, the first included.
  public var reads: Int

  public init(reads: Int = RescuePolicy.defaultReads) {
    self.reads = max(1, reads)
  }

  /// No rescue at all (`--rescue 1`).
  public static let off = RescuePolicy(reads: 1)

  /// The temperature of the next read after `attempts` (in order, the last one just ended),
  /// or nil: the last read was good, the reads are used up, or the ladder is.
  public func nextTemperature(after attempts: [PageAttempt]) -> Double? {
    guard let last = attempts.last, last.reason != nil, attempts.count < reads else { return nil }
    return Self.ladder.first { $0 > last.temperature + 1e-9 }
  }

  /// Which read a page keeps: a clean one (the last, if several) over any stopped short; among
  /// those, the longest text (up to its loop); a read with text over an empty one. Nil for no
  /// reads.
  public static func best(_ attempts: [PageAttempt]) -> Int? {
    func rank(_ attempt: PageAttempt) -> (Int, Int) {
      switch attempt.reason {
      case nil: (2, 0)
      case .loop?, .cutOff?: (1, attempt.characters)
      case .empty?: (0, 0)
      }
    }
    return attempts.indices.max { rank(attempts[$0]) <= rank(attempts[$1]) }
  }
}

extension PageAttempt {
  /// "2nd try (loop at 0.2)": read `number` (1-based) with the reason the one before it had.
  public static func ordinal(_ number: Int) -> String {
    let suffix =
      switch (number % 100, number % 10) {
      case (11...13, _): "th"
      case (_, 1): "st"
      case (_, 2): "nd"
      case (_, 3): "rd"
      default: "th"
      }
    return "\(number)\(suffix)"
  }

  /// "loop at 0.2", "cut off at 0.3", "empty at 0.1"; "clean at 0.5".
  public var summary: String {
    "\(reason?.label ?? "clean") at \(String(format1: temperature))"
  }
}

extension [PageAttempt] {
  /// How a page read more than once went, in one line: "2nd try (loop at 0.2)"; with more
  /// rescues, every read before the last: "3rd try (loop at 0.2, cut off at 0.3)". Nil for a
  /// page read once.
  public var rescueSummary: String? {
    guard count > 1 else { return nil }
    let before = dropLast().map(\.summary).joined(separator: ", ")
    return "\(PageAttempt.ordinal(count)) try (\(before))"
  }
}

/// What people are told of a rescue, the same words in `ocrview ocr` and the viewer.
public enum RescueText {
  /// "loop at 0.2 — reading it again at 0.3"
  public static func rescuing(_ attempt: PageAttempt, next: Double) -> String {
    "\(attempt.summary) — reading it again at \(String(format1: next))"
  }
}

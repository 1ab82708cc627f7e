/// The reads of one page that ended, in order, with their text and stats: what the rescue
/// ladder goes on from and what the page keeps in the end (`RescuePolicy.best`).
struct PageReads: Sendable {
  private(set) var attempts: [PageAttempt] = []
  private var texts: [String] = []
  private var stats: [PageStats] = []

  /// Starts from the reads an interrupted run journaled (`JournalSnapshot.Read`); their stats
  /// were not kept, so a restored read that is kept in the end has unmeasured ones.
  init(restored: [JournalSnapshot.Read], mode: OCRMode) {
    for read in restored {
      var stats = PageStats.unmeasured(mode)
      stats.finishReason = read.attempt.reason?.finishReason
      stats.outputTokens = read.attempt.outputTokens
      stats.restored = true
      append(read.attempt, text: read.text, stats: stats)
    }
  }

  mutating func append(_ attempt: PageAttempt, text: String, stats: PageStats) {
    attempts.append(attempt)
    texts.append(text)
    self.stats.append(stats)
  }

  /// The read the page keeps: its text, its stats carrying every read (`attempts`), and why
  /// it was not good enough (nil: clean). Only called with at least one read.
  var kept: (text: String, stats: PageStats, reason: RescueReason?) {
    let index = RescuePolicy.best(attempts) ?? attempts.count - 1
    var kept = stats[index]
    kept.attempts = attempts
    return (texts[index], kept, attempts[index].reason)
  }
}

extension RescueReason {
  /// The `finish_reason` a read that ended this way had (an empty one ended cleanly).
  var finishReason: FinishReason? {
    switch self {
    case .loop: .loop
    case .cutOff: .length
    case .empty: .stop
    }
  }
}

extension PageVerdict.Evidence {
  /// What a finished page's stats say of it: how its kept read ended, its reads (`--rescue`),
  /// the model's confidence; `check` is the viewer's (kept beside the stats), else the stats'
  /// own (`--check` headless).
  public init(_ stats: PageStats, check: PageCheck? = nil) {
    let ending: Ending =
      switch stats.finishReason {
      case .length?: .cutOff
      case .loop?: .loop
      default: .clean
      }
    let reads = stats.attempts
    self.init(
      ending: ending, tries: max(1, reads.count),
      firstTry: reads.count > 1 ? reads.first?.reason?.howATryEnded : nil,
      meanLogprob: stats.confidence?.meanLogprob, lowShare: stats.confidence?.lowShare,
      check: check ?? stats.check, malformedEvents: stats.malformedChunks)
  }
}

extension PageVerdict {
  /// The verdict on a finished page, from its stats (and the viewer's check of it).
  public static func of(_ stats: PageStats, check: PageCheck? = nil) -> PageVerdict {
    judge(Evidence(stats, check: check))
  }
}

extension RescueReason {
  /// "stopped in a loop": how a read that was read again ended, after "the first try".
  var howATryEnded: String {
    switch self {
    case .loop: "stopped in a loop"
    case .cutOff: "was cut off at the token limit"
    case .empty: "came back empty"
    }
  }
}

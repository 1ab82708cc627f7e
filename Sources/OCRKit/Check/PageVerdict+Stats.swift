extension PageVerdict.Evidence {
  /// What a finished page's stats say of it; `check` is the viewer's (kept beside the stats),
  /// else the stats' own (`--check` headless).
  public init(_ stats: PageStats, check: PageCheck? = nil) {
    let ending: Ending =
      switch stats.finishReason {
      case "length"?: .cutOff
      case LoopGuard.finishReason?: .loop
      default: .clean
      }
    self.init(
      ending: ending, check: check ?? stats.check, malformedEvents: stats.malformedChunks)
  }
}

extension PageVerdict {
  /// The verdict on a finished page, from its stats (and the viewer's check of it).
  public static func of(_ stats: PageStats, check: PageCheck? = nil) -> PageVerdict {
    judge(Evidence(stats, check: check))
  }
}

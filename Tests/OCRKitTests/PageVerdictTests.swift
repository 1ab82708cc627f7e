import OCRKit
import OCRTestSupport
import Testing

/// The verdict rules as a pure function, and the run's summary line.
@Suite struct PageVerdictTests {
  typealias Evidence = PageVerdict.Evidence

  static func check(agreement: Double, flag: PageCheck.Flag? = nil, words: Int = 120)
    -> PageCheck
  {
    PageCheck(
      agreement: agreement, precision: 0.9, tesseractWords: words, modelWords: 130, ink: 0.04,
      confidentShare: 0.9, flag: flag)
  }

  @Test func aCleanPageWithNothingAgainstItIsOK() {
    #expect(PageVerdict.judge(Evidence()) == .ok)
    let sure = Evidence(meanLogprob: -0.04, lowShare: 0.02, check: Self.check(agreement: 0.93))
    #expect(PageVerdict.judge(sure) == .ok)
  }

  @Test func aCutOrLoopingPageIsFlagged() {
    let cut = PageVerdict.judge(Evidence(ending: .cutOff))
    #expect(cut.level == .flagged && cut.reasons == [.cutOff])
    #expect(cut.because.contains("--max-tokens"))
    let loop = PageVerdict.judge(Evidence(ending: .loop, tries: 3, firstTry: "looped"))
    #expect(loop.level == .flagged)
    #expect(loop.reasons == [.loop, .retried(tries: 3, firstTry: "looped")])
  }

  @Test func aRescuedPageNeedsReviewAndSaysHowItsFirstTryEnded() {
    let verdict = PageVerdict.judge(Evidence(tries: 2, firstTry: "stopped in a loop"))
    #expect(verdict.level == .review)
    #expect(verdict.because == "read 2 times: the first try stopped in a loop")
  }

  @Test func theCheckFlagsMissingAndInventedTextAndAsksForReviewOfWeakAgreement() {
    let missing = PageVerdict.judge(Evidence(check: Self.check(agreement: 0.45, flag: .missing)))
    #expect(missing.level == .flagged && missing.reasons == [.missingText(agreement: 0.45)])
    #expect(missing.because.contains("45 %"))
    let invented = PageVerdict.judge(Evidence(check: Self.check(agreement: 1, flag: .invented)))
    #expect(invented.level == .flagged && invented.reasons == [.inventedText])
    let weak = PageVerdict.judge(Evidence(check: Self.check(agreement: 0.7)))
    #expect(weak.level == .review && weak.reasons == [.weakAgreement(0.7, words: 120)])
    // A sparse page (4–19 confident words) asks for review only when the text has at most
    // half of them — never a flag; under 4 words there is nothing to go by.
    let sparse = PageVerdict.judge(Evidence(check: Self.check(agreement: 0.375, words: 8)))
    #expect(sparse.level == .review && sparse.reasons == [.weakAgreement(0.375, words: 8)])
    #expect(sparse.because.contains("of the 8 words Tesseract reads on this sparse page"))
    #expect(PageVerdict.judge(Evidence(check: Self.check(agreement: 0.6, words: 5))) == .ok)
    #expect(PageVerdict.judge(Evidence(check: Self.check(agreement: 0, words: 3))) == .ok)
  }

  @Test func lowConfidenceAsksForReviewAndVeryLowFlags() {
    let unsure = PageVerdict.judge(Evidence(meanLogprob: -0.2, lowShare: 0.2))
    #expect(unsure.level == .review)
    #expect(unsure.reasons == [.lowConfidence(meanLogprob: -0.2, lowShare: 0.2)])
    #expect(unsure.because.contains("20 % of its tokens below p = 0.50"))
    #expect(PageVerdict.judge(Evidence(meanLogprob: -0.5, lowShare: 0.05)).level == .review)
    #expect(PageVerdict.judge(Evidence(meanLogprob: -0.3, lowShare: 0.4)).level == .flagged)
    #expect(PageVerdict.judge(Evidence(meanLogprob: -1.2, lowShare: 0.1)).level == .flagged)
  }

  @Test func theMostSeriousReasonComesFirst() {
    let verdict = PageVerdict.judge(
      Evidence(
        ending: .cutOff, tries: 2, firstTry: "was cut off", meanLogprob: -0.4, lowShare: 0.1,
        malformedEvents: 2))
    #expect(verdict.level == .flagged)
    #expect(
      verdict.reasons.map(\.label) == ["cut off", "low confidence", "retried", "events lost"])
  }

  /// Every level is reachable from some evidence, and a verdict never says `ok` with reasons
  /// or anything else without them (seeded random evidence).
  @Test func levelsAndReasonsAgreeOverRandomEvidence() {
    var random = SplitMix64(seed: 22)
    var seen = Set<PageVerdict.Level>()
    for _ in 0..<2_000 {
      let evidence = Evidence(
        ending: [.clean, .cutOff, .loop][Int.random(in: 0...2, using: &random)],
        tries: Int.random(in: 1...4, using: &random), firstTry: "looped",
        meanLogprob: Bool.random(using: &random) ? -Double.random(in: 0...2, using: &random) : nil,
        lowShare: Double.random(in: 0...0.6, using: &random),
        check: Bool.random(using: &random)
          ? Self.check(agreement: Double.random(in: 0...1, using: &random)) : nil,
        malformedEvents: Int.random(in: 0...1, using: &random))
      let verdict = PageVerdict.judge(evidence)
      seen.insert(verdict.level)
      #expect((verdict.level == .ok) == verdict.reasons.isEmpty)
      #expect(verdict.level == verdict.reasons.map { $0.level(.standard) }.max() ?? .ok)
      if evidence.ending != .clean { #expect(verdict.level == .flagged) }
    }
    #expect(seen == Set(PageVerdict.Level.allCases))
  }

  @Test func theSummaryCountsPagesByVerdictAndListsFlaggedOnes() {
    var summary = VerdictSummary()
    #expect(summary.line(severalFiles: false) == nil)
    for page in 1...131 { summary.add(.ok, page: page, file: "a.pdf") }
    let unsure = PageVerdict.judge(Evidence(meanLogprob: -0.5, lowShare: 0.2))
    let retried = PageVerdict.judge(Evidence(tries: 2, firstTry: "looped"))
    for page in [132, 133] { summary.add(unsure, page: page, file: "a.pdf") }
    for page in [134, 135] { summary.add(retried, page: page, file: "a.pdf") }
    summary.add(
      PageVerdict.judge(Evidence(check: Self.check(agreement: 1, flag: .invented))), page: 17,
      file: "a.pdf")
    summary.add(PageVerdict.judge(Evidence(ending: .cutOff)), page: 40, file: "a.pdf")
    #expect(
      summary.line(severalFiles: false)
        == "137 pages: 131 ok, 4 review (2 low confidence, 2 retried), 2 flagged "
        + "(invented text on 17, cut off on 40)")
    summary.addFailed()
    #expect(summary.line(severalFiles: false)?.hasSuffix(", 1 failed") == true)
  }

  @Test func flaggedPagesAreRangesPerFileAndALongListIsCounted() {
    var summary = VerdictSummary()
    let cut = PageVerdict.judge(Evidence(ending: .cutOff))
    for page in [4, 5, 6, 9] { summary.add(cut, page: page, file: "a.pdf") }
    summary.add(cut, page: 2, file: "b.pdf")
    #expect(
      summary.line(severalFiles: true)
        == "5 pages: 0 ok, 5 flagged (cut off on a.pdf 4–6, 9; b.pdf 2)")
    for file in 0..<100 { summary.add(cut, page: 1, file: "long-file-name-\(file).pdf") }
    let line = summary.line(severalFiles: true) ?? ""
    #expect(line.count < 300, "\(line)")
    #expect(line.hasSuffix("more)"), "\(line)")
  }
}

import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// `--check`'s scorer: words compared as bags after normalisation, and when a page is flagged.
struct PageCheckTests {
  func reading(_ text: String, confidence: Double = 90, ink: Double = 0.05) -> TesseractReading {
    TesseractReading(
      words: text.split(separator: " ").map { .init(String($0), confidence: confidence) },
      ink: ink)
  }

  /// `count` distinct words, "w1 w2 …".
  func words(_ count: Int, from start: Int = 1) -> String {
    (start..<(start + count)).map { "w\($0)" }.joined(separator: " ")
  }

  @Test func wordsAreNormalisedSoLayoutCaseAndPunctuationDoNotCount() {
    #expect(
      TesseractCommandLine.normalizedWords("The “Quick”, BROWN fox — jumps… (over)")
        == ["the", "quick", "brown", "fox", "jumps", "over"])
    // NFKC: a ligature and full-width letters are the plain words.
    #expect(TesseractCommandLine.normalizedWords("ﬁnal ＡＢＣ") == ["final", "abc"])
    // A word hyphenated at a line's end is one word; a hyphen inside a line stays.
    #expect(
      TesseractCommandLine.normalizedWords("infor-\nmation is well-known")
        == ["information", "is", "well-known"])
    #expect(TesseractCommandLine.normalizedWords("end-\n\nNext") == ["end", "next"])
    #expect(TesseractCommandLine.normalizedWords("| --- | * 1.5 |") == ["1.5"])
  }

  @Test func sharedWordsCountRepeatsAsAMultiset() {
    #expect(TesseractCommandLine.sharedWords(["a", "a", "b"], ["a", "b", "b", "c"]) == 2)
    #expect(TesseractCommandLine.sharedWords(["a", "a"], ["a", "a"]) == 2)
    #expect(TesseractCommandLine.sharedWords([], ["a"]) == 0)
  }

  @Test func theSameWordsInAnotherOrderAreNotFlagged() {
    let page = words(60)
    let shuffled = page.split(separator: " ").reversed().joined(separator: "\n")
    let check = PageCheck.score(modelText: shuffled, reading: reading(page))
    #expect(check.agreement == 1)
    #expect(check.precision == 1)
    #expect(check.flag == nil)
    #expect(check.reason == nil)
  }

  @Test func halfThePageMissingIsFlaggedWithItsShare() {
    let check = PageCheck.score(modelText: words(30), reading: reading(words(60)))
    #expect(check.agreement == 0.5)
    #expect(check.flag == .missing)
    #expect(
      check.reason
        == "model text has 50 % of the words Tesseract finds on this page — lines may be missing")
    // An empty answer for a page of text is missing text too.
    #expect(PageCheck.score(modelText: "", reading: reading(words(60))).flag == .missing)
  }

  @Test func tooFewTesseractWordsToJudgeMissingText() {
    let check = PageCheck.score(modelText: words(5), reading: reading(words(19)))
    #expect(check.flag == nil)
  }

  @Test func lowConfidenceWordsAreNotAskedFor() {
    var page = reading(words(40))
    page.words += words(60, from: 100).split(separator: " ").map {
      .init(String($0), confidence: 60)
    }
    let check = PageCheck.score(modelText: words(40), reading: page)
    #expect(check.tesseractWords == 40)
    #expect(check.agreement == 1)
    #expect(check.flag == nil)
  }

  @Test func aBlankPageWithAParagraphIsInvented() {
    let blank = reading("3", ink: 0.0004)
    let check = PageCheck.score(modelText: words(40), reading: blank)
    #expect(check.flag == .invented)
    #expect(
      check.reason
        == "the page looks blank (0.0 % ink, 1 words for Tesseract) but the model wrote 40 words "
        + "— the text may be invented")
    // A short answer ("3", a page number) on a blank page is fine.
    #expect(PageCheck.score(modelText: "3", reading: blank).flag == nil)
    // A page with ink tesseract cannot read (a photo, another script) is not judged.
    #expect(PageCheck.score(modelText: words(40), reading: reading("", ink: 0.08)).flag == nil)
  }

  @Test func modelWordsMostlyAbsentFromAReadablePageAreInvented() {
    let check = PageCheck.score(
      modelText: words(30) + " " + words(70, from: 500), reading: reading(words(30)))
    #expect(check.agreement == 1)
    #expect(check.precision == 0.3)
    #expect(check.flag == .invented)
    #expect(check.reason?.hasPrefix("only 30 % of the model's 100 words are on the page") == true)
  }

  @Test func textSharingNoWordsWithAReadablePageIsInvented() {
    let check = PageCheck.score(modelText: words(60), reading: reading(words(60, from: 900)))
    #expect(check.agreement == 0)
    #expect(check.flag == .invented)
    #expect(check.reason?.hasPrefix("model text shares almost no words with the page") == true)
    // Too few words to say, or a page partly shared: no verdict (the engines merely differ).
    let few = PageCheck.score(modelText: words(40), reading: reading(words(40, from: 900)))
    #expect(few.flag == nil)
    let some = PageCheck.score(
      modelText: words(60), reading: reading(words(15) + " " + words(45, from: 900)))
    #expect(some.agreement == 0.25)
    #expect(some.flag == nil)
  }

  /// Common words match any page, so text about something else shares a quarter of its own
  /// words with it; on a page tesseract reads well, having under 20 % of its words is wrong
  /// anyway: dropped when short, another text when long (a fake server's canned text on real
  /// pages went unflagged before).
  @Test func unrelatedTextWithCommonWordsIsFlaggedToo() {
    let page = reading(words(130) + " the of a and the of a")
    let short = PageCheck.score(modelText: "the of a and " + words(11, from: 900), reading: page)
    #expect(short.agreement < 0.2 && short.precision > 0.2)
    #expect(short.flag == .missing)
    #expect(short.reason?.hasPrefix("model text has 3 % of the words") == true)
    let long = PageCheck.score(
      modelText: "the of a and the of a " + words(21, from: 900), reading: page)
    #expect(long.agreement < 0.2 && long.precision == 0.25)
    #expect(long.flag == .invented)
  }

  @Test func tesseractsGarbageForAScriptItWasNotGivenIsNotAskedFor() {
    // Hangul read with `eng` comes out as Latin strings at confidence 51–69.
    let garbage = reading(words(80, from: 900), confidence: 60)
    let check = PageCheck.score(modelText: words(80), reading: garbage)
    #expect(check.tesseractWords == 0)
    #expect(check.flag == nil)
  }
}

/// How a headless `--check` run passes pages on and sums up.
struct CheckSummaryTests {
  let stats = PageStats.unmeasured(.stream)
  let flagged = PageCheck(
    agreement: 0.4, precision: 1, tesseractWords: 100, modelWords: 40, ink: 0.05, flag: .missing)
  let fine = PageCheck(
    agreement: 0.95, precision: 1, tesseractWords: 100, modelWords: 98, ink: 0.05, flag: nil)

  @Test func aHeldPageWaitsForItsCheckAndTheEndForEveryHeldPage() {
    var events = CheckedEvents(holding: true)
    #expect(
      events.run(.pageStarted(page: 1, mode: .stream)) == [.pageStarted(page: 1, mode: .stream)])
    #expect(events.run(.pageFinished(page: 1, text: "a", stats: stats)).isEmpty)
    #expect(events.run(.pageFinished(page: 2, text: "b", stats: stats)).isEmpty)
    let end = RunEvent.documentFinished(DocumentStats())
    #expect(events.run(end).isEmpty)
    var checked = stats
    checked.check = fine
    #expect(events.checked(page: 2, fine) == [.pageFinished(page: 2, text: "b", stats: checked)])
    // A page that could not be checked is passed on without a check; then the end.
    #expect(events.checked(page: 1, nil) == [.pageFinished(page: 1, text: "a", stats: stats), end])
  }

  @Test func withoutHoldingEventsPassStraightThrough() {
    var events = CheckedEvents(holding: false)
    let finished = RunEvent.pageFinished(page: 1, text: "a", stats: stats)
    #expect(events.run(finished) == [finished])
    #expect(events.checked(page: 1, fine).isEmpty)
  }

  @Test func theSummaryNamesFlaggedPagesOrSaysNoneWere() {
    var summary = CheckSummary()
    #expect(summary.line(severalFiles: false, jsonl: false) == nil)
    for page in 1...12 { summary.add(file: "a.pdf", page: page, fine) }
    #expect(summary.line(severalFiles: false, jsonl: false) == "12 pages checked, none flagged")
    summary.add(file: "a.pdf", page: 17, flagged)
    summary.add(file: "a.pdf", page: 4, flagged)
    summary.add(file: "b.pdf", page: 2, flagged)
    summary.add(file: "b.pdf", page: 3, nil)
    #expect(
      summary.line(severalFiles: true, jsonl: false)
        == "3 pages flagged: a.pdf 4, 17; b.pdf 2; 1 page could not be checked — run with "
        + "--format jsonl for details")
  }

  /// `--check` over 400 flagged files once ended with one 8 KB line: runs are ranges, and the
  /// list stops with a count of what it leaves out.
  @Test func theSummaryOfManyFlaggedPagesIsOneShortLine() {
    var one = CheckSummary()
    for page in [9, 1, 2, 3, 4, 5, 7, 8, 11, 12] { one.add(file: "a.pdf", page: page, flagged) }
    #expect(
      one.line(severalFiles: false, jsonl: true)
        == "10 pages flagged: 1–5, 7–9, 11, 12 — their check in the jsonl says why")
    var folder = CheckSummary()
    for file in 1...400 { folder.add(file: "scans/file-\(file).pdf", page: 2, flagged) }
    let line = folder.line(severalFiles: true, jsonl: false) ?? ""
    #expect(line.count < 300, "\(line.count): \(line)")
    #expect(line.hasPrefix("400 pages flagged: scans/file-1.pdf 2; scans/file-2.pdf 2; "))
    let shown = line.components(separatedBy: ".pdf 2").count - 1
    #expect(
      line.hasSuffix(
        " … and \(400 - shown) more pages in \(400 - shown) files — run with --format jsonl for "
          + "details"), "\(line)")
    var pages = CheckSummary()
    for page in stride(from: 1, through: 800, by: 2) {
      pages.add(file: "a.pdf", page: page, flagged)
    }
    let long = pages.line(severalFiles: false, jsonl: false) ?? ""
    #expect(long.count < 300 && long.contains(" more pages — run with"), "\(long)")
  }
}

extension PageCheckTests {
  @Test func aReadingTesseractIsMostlyUnsureOfJudgesNothing() {
    // An upside-down scan: over a hundred confident words, but most words unsure garbage.
    var page = reading(words(100, from: 900))
    page.words += words(150, from: 2000).split(separator: " ").map {
      .init(String($0), confidence: 40)
    }
    #expect(PageCheck.score(modelText: words(60), reading: page).flag == .invented)
    page.words += words(300, from: 5000).split(separator: " ").map {
      .init(String($0), confidence: 40)
    }
    let check = PageCheck.score(modelText: words(60), reading: page)
    #expect(check.confidentShare < 0.4)
    #expect(check.flag == nil)
    #expect(PageCheck.score(modelText: "", reading: page).flag == nil)
  }
}

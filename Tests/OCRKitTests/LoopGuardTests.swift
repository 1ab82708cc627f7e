import Testing

@testable import OCRKit

@Suite struct LoopGuardTests {
  let guardian = LoopGuard()

  @Test func findsARepeatedTableRowAndKeepsOneCopy() {
    let intro = "# Results\n\n| a | b |\n|---|---|\n"
    let row = "| 0.42 | 한국어 |\n"
    let text = intro + String(repeating: row, count: 80)
    let keep = try! #require(guardian.loopStart(in: text))
    let kept = String(decoding: Array(text.utf8)[..<keep], as: UTF8.self)
    #expect(kept.hasPrefix(intro))
    #expect(kept.hasSuffix(row))
    #expect(kept.utf8.count < intro.utf8.count + 2 * row.utf8.count)
  }

  @Test func findsARepeatedWord() {
    let text = "The total latency is " + String(repeating: "the same ", count: 150)
    #expect(guardian.loopStart(in: text) != nil)
  }

  @Test func leavesOrdinaryTextAndShortRunsAlone() {
    let prose = (1...200).map { "Sentence number \($0) says something new." }.joined(separator: " ")
    #expect(guardian.loopStart(in: prose) == nil)
    #expect(guardian.loopStart(in: "Contents" + String(repeating: ".", count: 60) + " 3") == nil)
    #expect(guardian.loopStart(in: "| a |\n" + String(repeating: "|---|\n", count: 5)) == nil)
    #expect(guardian.loopStart(in: "") == nil)
  }

  @Test func blankFormRowsAndRulesAreNotALoop() {
    let form =
      "| Name | Date |\n|---|---|\n" + String(repeating: "|  |  |\n", count: 300) + "Signed:"
    #expect(guardian.loopStart(in: form) == nil)
    #expect(guardian.loopStart(in: String(repeating: "-", count: 3000)) == nil)
  }

  @Test func feedChecksOnlyEveryFewBytes() {
    var loop = LoopGuard()
    var text = ""
    var found: Int?
    for _ in 0..<200 where found == nil {
      let delta = "again "
      text += delta
      found = loop.feed(delta, text: text)
    }
    #expect(found != nil)
    #expect(text.utf8.count < 1300)
  }
}

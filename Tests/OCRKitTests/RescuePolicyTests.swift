import Foundation
import Testing

@testable import OCRKit

/// The rescue ladder and the choice of the kept read, as pure functions.
@Suite struct RescuePolicyTests {
  func read(_ reason: RescueReason?, at temperature: Double, _ characters: Int = 10)
    -> PageAttempt
  {
    PageAttempt(reason: reason, temperature: temperature, characters: characters, outputTokens: 1)
  }

  @Test func eachRescueTakesTheNextRungAboveTheReadBefore() {
    let policy = RescuePolicy(reads: 8)
    #expect(policy.nextTemperature(after: [read(.loop, at: 0.2)]) == 0.3)
    #expect(policy.nextTemperature(after: [read(.loop, at: 0.2), read(.cutOff, at: 0.3)]) == 0.5)
    // Below the ladder, its first rung; between rungs, the next one up.
    #expect(policy.nextTemperature(after: [read(.empty, at: 0)]) == 0.1)
    #expect(policy.nextTemperature(after: [read(.loop, at: 0.25)]) == 0.3)
    // The top rung, or above it (`--temperature 1.5`): nothing warmer to try.
    #expect(policy.nextTemperature(after: [read(.loop, at: 1.0)]) == nil)
    #expect(policy.nextTemperature(after: [read(.loop, at: 1.5)]) == nil)
  }

  @Test func aCleanReadOrTheLastAllowedReadEndsThePage() {
    #expect(RescuePolicy().nextTemperature(after: [read(nil, at: 0.2)]) == nil)
    #expect(RescuePolicy().nextTemperature(after: []) == nil)
    let three = [read(.loop, at: 0.2), read(.loop, at: 0.3)]
    #expect(RescuePolicy(reads: 3).nextTemperature(after: three) == 0.5)
    #expect(RescuePolicy(reads: 3).nextTemperature(after: three + [read(.loop, at: 0.5)]) == nil)
    #expect(RescuePolicy.off.nextTemperature(after: [read(.loop, at: 0.2)]) == nil)
  }

  @Test func aCleanReadBeatsACutOneAndAmongCutOnesTheLongestIsKept() {
    #expect(RescuePolicy.best([read(.loop, at: 0.2, 900), read(nil, at: 0.3, 10)]) == 1)
    #expect(
      RescuePolicy.best([
        read(.cutOff, at: 0.2, 500), read(.loop, at: 0.3, 700), read(.empty, at: 0.5, 0),
      ])
        == 1)
    #expect(RescuePolicy.best([read(.empty, at: 0.2, 0), read(.loop, at: 0.3, 3)]) == 1)
    #expect(RescuePolicy.best([read(.empty, at: 0.2, 0)]) == 0)
    #expect(RescuePolicy.best([]) == nil)
  }

  @Test func aReadIsJudgedByHowItEndedAndWhetherThePageHasInk() {
    #expect(RescueReason.judging(finish: .loop, text: "a", blank: nil) == .loop)
    #expect(RescueReason.judging(finish: .length, text: "a", blank: nil) == .cutOff)
    #expect(RescueReason.judging(finish: .stop, text: " \n", blank: false) == .empty)
    #expect(RescueReason.judging(finish: .stop, text: "", blank: true) == nil)
    #expect(RescueReason.judging(finish: .stop, text: "text", blank: nil) == nil)
    #expect(RescueReason.judging(finish: .other("eos"), text: "text", blank: nil) == nil)
  }

  @Test func peopleAreToldWhichTryAndWhy() {
    #expect([read(nil, at: 0.2)].rescueSummary == nil)
    #expect([read(.loop, at: 0.2), read(nil, at: 0.3)].rescueSummary == "2nd try (loop at 0.2)")
    #expect(
      [read(.loop, at: 0.2), read(.cutOff, at: 0.3), read(nil, at: 0.5)].rescueSummary
        == "3rd try (loop at 0.2, cut off at 0.3)")
    #expect((1...4).map(PageAttempt.ordinal) == ["1st", "2nd", "3rd", "4th"])
    #expect(PageAttempt.ordinal(11) == "11th" && PageAttempt.ordinal(22) == "22nd")
  }
}

/// Reads and confidence survive the journal (and jsonl) and a damaged file costs only them.
@Suite struct RescueRecordTests {
  @Test func readsAndConfidenceRoundTripThroughAStatsRecord() throws {
    var stats = PageStats.unmeasured(.stream)
    stats.attempts = [
      PageAttempt(reason: .loop, temperature: 0.2, characters: 900, outputTokens: 310),
      PageAttempt(reason: nil, temperature: 0.3, characters: 420, outputTokens: 140),
    ]
    stats.confidence = TokenConfidence(
      tokens: 140, meanLogprob: -0.0412, lowShare: 0.0214, lowLines: [3, 7])
    let data = try JSONEncoder().encode(StatsRecord(stats))
    let record = try JSONDecoder().decode(StatsRecord.self, from: data)
    let restored = PageStats(record: record, mode: .stream)
    #expect(restored.attempts == stats.attempts)
    #expect(restored.confidence == stats.confidence)
    // A page read once records no reads.
    stats.attempts.removeFirst()
    #expect(StatsRecord(stats).attempts == nil)
  }

  @Test func damagedReadsOrConfidenceReadBackAsNone() throws {
    let json = Array(
      #"{"deltas":1,"e2e_ms":1,"image_bytes":1,"output_tokens":1,"output_tokens_source":"deltas","render_ms":1,"attempts":"x","confidence":{"tokens":5,"mean_logprob":7,"low_share":2,"low_lines":[1]}}"#
        .utf8)
    let record = try JSONDecoder().decode(StatsRecord.self, from: Data(json))
    #expect(record.attempts == nil && record.confidence == nil)
    let odd = Array(
      #"[{"reason":"gremlins","temperature":1e300,"characters":-4,"output_tokens":"many"}]"#.utf8)
    let attempts = try JSONDecoder().decode([PageAttempt].self, from: Data(odd))
    #expect(attempts == [PageAttempt(reason: nil, temperature: 0, characters: 0, outputTokens: 0)])
  }
}

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

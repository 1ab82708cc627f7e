import Foundation
import OCRKitDoubles
import Testing

@testable import OCRKit

/// Pages whose read loops, is cut off or comes back empty, read again warmer by a run.
@Suite struct RescueRunTests {
  static let row = "| 0.42 | stream |\n"
  /// A read the loop guard stops: a heading, then one table row for ever.
  static let looping: ScriptedEngine.Script = .text(
    ["# Results\n\n"] + Array(repeating: row, count: 200))
  static let keptOfTheLoop = "# Results\n\n" + row

  func run(_ engine: ScriptedEngine, _ plan: RunPlan, journal: JournalWriter? = nil) async throws
    -> [RunEvent]
  {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample-scan.png"))
    var events: [RunEvent] = []
    for await event in RunRecipe(document: document, engine: engine, plan: plan, journal: journal)
      .start().events
    {
      events.append(event)
    }
    return events
  }

  func finished(_ events: [RunEvent]) -> (text: String, stats: PageStats)? {
    for case .pageFinished(1, let text, let stats) in events { return (text, stats) }
    return nil
  }

  @Test func aLoopIsReadAgainWarmerAtOnceAndTheCleanReadKept() async throws {
    let engine = ScriptedEngine(temperature: 0.2) { _, read in
      read == 1 ? Self.looping : .text(["# Results\n\n", "| 0.42 | stream |\n| 0.43 | batch |\n"])
    }
    let events = try await run(engine, RunPlan(pages: [1], mode: .stream))
    let page = try #require(finished(events))
    #expect(page.text == "# Results\n\n| 0.42 | stream |\n| 0.43 | batch |\n")
    #expect(page.stats.finishReason == .stop && page.stats.warning == nil)
    #expect(page.stats.attempts.map(\.reason) == [.loop, nil])
    #expect(page.stats.attempts.map(\.temperature) == [0.2, 0.3])
    #expect(page.stats.attempts[0].characters == Self.keptOfTheLoop.count)
    // The first read with the engine's own temperature, the rescue at the next rung.
    #expect(engine.temperatures(page: 1) == [nil, 0.3])
    // Rescued the moment the guard fired: no retry wait, no failure in between.
    let rescue = events.firstIndex {
      if case .pageRescuing(1, let attempt, Self.keptOfTheLoop, 0.3) = $0 {
        attempt.reason == .loop
      } else {
        false
      }
    }
    #expect(rescue != nil)
    #expect(!events.contains { if case .pageRetrying = $0 { true } else { false } })
    #expect(events[rescue! + 1] == .pageStarted(page: 1, mode: .stream))
  }

  @Test func everyReadCutOffKeepsTheLongestAndSaysItWasCut() async throws {
    let engine = ScriptedEngine { _, read in
      .ending(.length, [String(repeating: "word ", count: [3, 9, 5][read - 1])])
    }
    let events = try await run(engine, RunPlan(pages: [1], mode: .stream))
    let page = try #require(finished(events))
    #expect(page.text == String(repeating: "word ", count: 9))
    #expect(page.stats.finishReason == .length)
    #expect(page.stats.attempts.map(\.reason) == [.cutOff, .cutOff, .cutOff])
    #expect(engine.temperatures(page: 1) == [nil, 0.3, 0.5])
    #expect(page.stats.attempts.rescueSummary == "3rd try (cut off at 0.2, cut off at 0.3)")
  }

  @Test func rescueOneReadsEachPageOnceAsBefore() async throws {
    let engine = ScriptedEngine { _ in Self.looping }
    var plan = RunPlan(pages: [1], mode: .stream)
    plan.rescue = .off
    let events = try await run(engine, plan)
    let page = try #require(finished(events))
    #expect(page.text == Self.keptOfTheLoop && page.stats.finishReason == .loop)
    #expect(engine.pagesCalled == [1])
    #expect(!events.contains { if case .pageRescuing = $0 { true } else { false } })
  }

  @Test func theBuiltInEngineIsNeverRescued() async throws {
    let engine = ScriptedEngine(kind: .builtIn, temperature: nil) { _ in Self.looping }
    let events = try await run(engine, RunPlan(pages: [1], mode: .stream))
    #expect(finished(events)?.stats.finishReason == .loop)
    #expect(engine.pagesCalled == [1])
  }

  @Test func aTransportFailureIsRetriedAtTheSameTemperatureAndCountedApart() async throws {
    let engine = ScriptedEngine { _, read in
      switch read {
      case 1: Self.looping
      case 2: .fail(.transfer(detail: "reset"), after: ["# Res"])
      default: .text(["clean"])
      }
    }
    var plan = RunPlan(pages: [1], mode: .stream)
    plan.retry = RetryPolicy(retries: 2, delay: .milliseconds(1))
    let events = try await run(engine, plan)
    let page = try #require(finished(events))
    #expect(page.text == "clean")
    // The failed request is no read: two reads, the retry at the rescue's temperature.
    #expect(page.stats.attempts.map(\.reason) == [.loop, nil])
    #expect(engine.temperatures(page: 1) == [nil, 0.3, 0.3])
  }

  /// An interrupted run journals each read that ended; the next run goes on up the ladder
  /// from there, never repeating a read, and keeps the best of all of them.
  @Test func aResumedRunGoesOnUpTheLadderFromTheJournal() async throws {
    let scratch = TestFiles.scratchDirectory()
    let store = JournalStore(directory: scratch + "/journal")
    let path = TestFiles.asset("sample-scan.png")
    let (_, writer) = try store.open(document: path, pageCount: 1, identity: "r", fresh: false)
    let first = ScriptedEngine { _, read in read == 1 ? Self.looping : .hang(after: ["# Re"]) }
    let document = try await OpenedDocument.open(path: path)
    let running = RunRecipe(
      document: document, engine: first, plan: RunPlan(pages: [1], mode: .stream), journal: writer
    ).start()
    var sawRescue = false
    for await event in running.events {
      if case .pageRescuing = event { sawRescue = true }
      if sawRescue, case .delta = event { running.cancel() }
    }
    await writer.flush()

    let (snapshot, _) = try store.open(document: path, pageCount: 1, identity: "r", fresh: false)
    let restored = try #require(snapshot.pages[1])
    #expect(!restored.isFinished)
    #expect(restored.reads.map(\.attempt.reason) == [.loop])
    #expect(restored.reads.map(\.text) == [Self.keptOfTheLoop])

    // Cut off at 0.3 and shorter than the loop's text: the journal's read is kept.
    let second = ScriptedEngine { _ in .ending(.length, ["# R"]) }
    var plan = RunPlan(pages: [1], mode: .stream)
    plan.restored = snapshot.restoring([1])
    plan.rescue = RescuePolicy(reads: 2)
    let events = try await run(second, plan)
    #expect(second.temperatures(page: 1) == [0.3])
    let page = try #require(finished(events))
    #expect(page.text == Self.keptOfTheLoop)
    #expect(page.stats.finishReason == .loop)
    #expect(page.stats.attempts.map(\.reason) == [.loop, .cutOff])
    #expect(page.stats.attempts.map(\.temperature) == [0.2, 0.3])

    // Every read spent already: the page ends with the best, without a request.
    let third = ScriptedEngine { _ in .text(["never"]) }
    plan.rescue = .off
    let ended = try await run(third, plan)
    #expect(third.pagesCalled.isEmpty)
    #expect(finished(ended)?.text == Self.keptOfTheLoop)
  }
}

extension RescueRunTests {
  /// The server breaks down during a rescue: the page keeps its best read, with its warning,
  /// rather than failing.
  @Test func aRescueThatCannotBeReadLeavesThePageItsBestRead() async throws {
    let engine = ScriptedEngine { _, read in
      read == 1 ? Self.looping : .fail(.http(status: 400, message: "bad request"), after: [])
    }
    let events = try await run(engine, RunPlan(pages: [1], mode: .stream))
    let page = try #require(finished(events))
    #expect(page.text == Self.keptOfTheLoop && page.stats.finishReason == .loop)
    #expect(page.stats.attempts.map(\.reason) == [.loop])
  }
}

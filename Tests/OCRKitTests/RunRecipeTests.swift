import Foundation
import OCRKitDoubles
import OCRTestSupport
import Testing

@testable import OCRKit

@Suite struct RunRecipeTests {
  func collect(_ run: RunControl) async -> [RunEvent] {
    var events: [RunEvent] = []
    for await event in run.events { events.append(event) }
    return events
  }

  @Test func reportsEveryPageInOrderWithItsText() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    let engine = ScriptedEngine { .text(["page ", "\($0)"]) }
    let events = await collect(
      RunRecipe(
        document: document, engine: engine, plan: RunPlan(pages: [1, 2, 3], mode: .stream)
      ).start())
    let finished = events.compactMap { event -> (Int, String)? in
      if case .pageFinished(let page, let text, _) = event { return (page, text) }
      return nil
    }
    #expect(finished.map(\.0) == [1, 2, 3])
    #expect(finished.map(\.1) == ["page 1", "page 2", "page 3"])
    guard case .documentFinished(let stats) = events.last else {
      Issue.record("the last event must be documentFinished")
      return
    }
    #expect(stats.pagesDone == 3 && stats.pagesFailed == 0)
    #expect(stats.timeToFirstText != nil)
  }

  @Test func theFirstRequestLeavesAfterPageOneAloneIsRendered() async throws {
    for pageCount in [1, 50] {
      let path = TestFiles.scratchDirectory() + "/long.pdf"
      TestFiles.makePDF(pages: pageCount, at: path)
      let document = try await OpenedDocument.open(path: path)
      #expect(document.pageCount == pageCount)
      let engine = ScriptedEngine { .text(["p\($0)"]) }
      let events = await collect(
        RunRecipe(
          document: document, engine: engine,
          plan: RunPlan(pages: Array(1...pageCount), mode: .stream)
        ).start())
      let beforeFirstRequest = events.prefix { $0 != .pageStarted(page: 1, mode: .stream) }
      #expect(beforeFirstRequest == [.pageRendering(page: 1)])
      // Never more than one page rendered ahead of the page in flight.
      var rendered = 0
      var finished = 0
      for event in events {
        if case .pageRendering = event { rendered += 1 }
        if case .pageFinished = event { finished += 1 }
        #expect(rendered - finished <= 2)
      }
      #expect(finished == pageCount)
    }
  }

  @Test func severalPagesRunAtOnceWithConcurrency() async throws {
    let path = TestFiles.scratchDirectory() + "/six.pdf"
    TestFiles.makePDF(pages: 6, at: path)
    let document = try await OpenedDocument.open(path: path)
    let engine = ScriptedEngine { page in
      page <= 3 ? .hang(after: ["p\(page)"]) : .text(["p\(page)"])
    }
    let run = RunRecipe(
      document: document, engine: engine,
      plan: RunPlan(pages: Array(1...6), mode: .stream, concurrency: 3)
    ).start()
    var started = Set<Int>()
    var events: [RunEvent] = []
    for await event in run.events {
      events.append(event)
      if case .pageStarted(let page, _) = event { started.insert(page) }
      if started == [1, 2, 3] { run.cancel() }
    }
    #expect(started == [1, 2, 3])
    let cancelled = events.compactMap { event -> Int? in
      if case .pageFailed(let page, .cancelled, _, _) = event { return page }
      return nil
    }
    #expect(Set(cancelled) == [1, 2, 3, 4, 5, 6])
  }

  @Test func cancellingKeepsThePartialTextOfThePageInFlight() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    let engine = ScriptedEngine { _ in .hang(after: ["first ", "words"]) }
    let run = RunRecipe(
      document: document, engine: engine, plan: RunPlan(pages: [1, 2], mode: .stream)
    ).start()
    var deltas = 0
    var failures: [RunEvent] = []
    for await event in run.events {
      if case .delta = event {
        deltas += 1
        if deltas == 2 { run.cancel() }
      }
      if case .pageFailed = event { failures.append(event) }
    }
    #expect(failures.count == 2)
    guard case .pageFailed(1, .cancelled, let partial, let stats) = failures.first else {
      Issue.record("page 1 must fail as cancelled: \(failures)")
      return
    }
    #expect(partial == "first words")
    #expect(stats?.deltaCount == 2)
    #expect(engine.pagesCalled == [1])
  }

  @Test func anUnreachableServerStopsTheRunWithOneReason() async throws {
    let path = TestFiles.scratchDirectory() + "/ten.pdf"
    TestFiles.makePDF(pages: 10, at: path)
    let document = try await OpenedDocument.open(path: path)
    let down = ServerError.unreachable(url: "http://127.0.0.1:9", detail: "refused")
    let engine = ScriptedEngine { _ in .fail(down, after: []) }
    let events = await collect(
      RunRecipe(
        document: document, engine: engine, plan: RunPlan(pages: Array(1...10), mode: .batch)
      ).start())
    let failed = events.filter {
      if case .pageFailed(_, .server(down), _, _) = $0 { true } else { false }
    }
    #expect(failed.count == 10)
    #expect(engine.pagesCalled == [1])
  }

  @Test func aFailedPageKeepsItsPartialTextAndTheRunGoesOn() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    let engine = ScriptedEngine { page in
      page == 2 ? .fail(.cutOff(detail: "reset"), after: ["half"]) : .text(["ok"])
    }
    let events = await collect(
      RunRecipe(
        document: document, engine: engine,
        plan: RunPlan(pages: [1, 2, 3], mode: .stream).noRetries
      ).start())
    let page2 = events.first { if case .pageFailed(2, _, "half", _) = $0 { true } else { false } }
    #expect(page2 != nil)
    #expect(engine.pagesCalled == [1, 2, 3])
  }
}

extension RunPlan {
  var noRetries: RunPlan {
    var plan = self
    plan.retry = RetryPolicy(retries: 0)
    return plan
  }
}

@Suite struct RetryTests {
  func collect(_ run: RunControl) async -> [RunEvent] {
    var events: [RunEvent] = []
    for await event in run.events { events.append(event) }
    return events
  }

  @Test func aBrokenStreamIsRetriedWithBackoffAndThenSucceeds() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample-scan.png"))
    let calls = Counter()
    let engine = ScriptedEngine { _ in
      calls.increment()
      return calls.count <= 2 ? .fail(.cutOff(detail: "reset"), after: ["half"]) : .text(["whole"])
    }
    var plan = RunPlan(pages: [1], mode: .stream)
    plan.retry = RetryPolicy(retries: 2, delay: .milliseconds(10))
    let events = await collect(RunRecipe(document: document, engine: engine, plan: plan).start())
    let retries = events.compactMap { event -> (Int, Duration)? in
      if case .pageRetrying(1, let attempt, .server(.cutOff), let delay) = event {
        return (attempt, delay)
      }
      return nil
    }
    #expect(retries.map(\.0) == [1, 2])
    #expect(retries.map(\.1) == [.milliseconds(10), .milliseconds(20)])
    #expect(events.contains { if case .pageFinished(1, "whole", _) = $0 { true } else { false } })
    #expect(engine.pagesCalled == [1, 1, 1])
  }

  @Test func aServerThatWasUpAndNowRefusesIsWaitedForLikeARestart() async throws {
    let path = TestFiles.scratchDirectory() + "/four.pdf"
    TestFiles.makePDF(pages: 4, at: path)
    let document = try await OpenedDocument.open(path: path)
    let calls = Counter()
    let down = ServerError.unreachable(url: "http://127.0.0.1:8080", detail: "refused")
    let engine = ScriptedEngine { page in
      calls.increment()
      // Page 1 is read; then the server restarts: three refused connections, then it is back.
      return page == 1 || calls.count > 4 ? .text(["page \(page)"]) : .fail(down, after: [])
    }
    var plan = RunPlan(pages: [1, 2, 3, 4], mode: .stream)
    plan.retry = RetryPolicy(retries: 2, delay: .milliseconds(5))
    let events = await collect(RunRecipe(document: document, engine: engine, plan: plan).start())
    let finished = events.filter { if case .pageFinished = $0 { true } else { false } }
    #expect(finished.count == 4)
    #expect(
      events.contains {
        if case .pageRetrying(2, _, .server(.unreachable), .milliseconds(20)) = $0 {
          true
        } else {
          false
        }
      })
  }

  /// A server that answers a page with no text at all (`data: [DONE]` alone) has not read it:
  /// the page is read again, warmer (a rescue, `--rescue`), and fails if it stays empty —
  /// unless the page is blank, judged by its ink as `--check` judges it. (Before rescues it
  /// was retried by the retry policy, at the same temperature.)
  @Test func anEmptyAnswerFailsAPageWithInkAndFinishesABlankOne() async throws {
    let path = TestFiles.scratchDirectory() + "/two.pdf"
    SyntheticPDF.write(pages: 2, to: path, linesPerPage: 40, blankPages: [2])
    let document = try await OpenedDocument.open(path: path)
    let engine = ScriptedEngine { _ in .text([]) }
    var plan = RunPlan(pages: [1, 2], mode: .stream)
    plan.retry = RetryPolicy(retries: 1, delay: .milliseconds(1))
    let events = await collect(RunRecipe(document: document, engine: engine, plan: plan).start())
    let failed = events.compactMap { event -> String? in
      if case .pageFailed(1, let error, "", _) = event { return error.description }
      return nil
    }
    #expect(failed.count == 1)
    #expect(failed.first?.hasPrefix("the server answered with no text") == true, "\(failed)")
    let rescues = events.compactMap { event -> (RescueReason?, Double)? in
      if case .pageRescuing(1, let attempt, "", let next) = event { return (attempt.reason, next) }
      return nil
    }
    #expect(rescues.map(\.0) == [.empty, .empty])
    #expect(rescues.map(\.1) == [0.3, 0.5])
    #expect(events.contains { if case .pageFinished(2, "", _) = $0 { true } else { false } })
    #expect(engine.pagesCalled.sorted() == [1, 1, 1, 2])
  }

  @Test func retriesRunOutAndThePageFailsWithTheLastPartialText() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample-scan.png"))
    let engine = ScriptedEngine { _ in
      .fail(.http(status: 502, message: "bad gateway"), after: ["part"])
    }
    var plan = RunPlan(pages: [1], mode: .stream)
    plan.retry = RetryPolicy(retries: 1, delay: .milliseconds(1))
    let events = await collect(RunRecipe(document: document, engine: engine, plan: plan).start())
    #expect(engine.pagesCalled == [1, 1])
    #expect(
      events.contains {
        if case .pageFailed(1, .server(.http(502, _)), "part", _) = $0 { true } else { false }
      })
  }

  @Test func aPageThatFailsInTheEndKeepsTheMostTextAnyAttemptGot() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample-scan.png"))
    let calls = Counter()
    let engine = ScriptedEngine { _ in
      calls.increment()
      return .fail(
        .cutOff(detail: "reset"), after: calls.count == 1 ? ["a long ", "partial text"] : ["a"])
    }
    var plan = RunPlan(pages: [1], mode: .stream)
    plan.retry = RetryPolicy(retries: 1, delay: .milliseconds(1))
    let events = await collect(RunRecipe(document: document, engine: engine, plan: plan).start())
    #expect(
      events.contains {
        if case .pageFailed(1, _, "a long partial text", _) = $0 { true } else { false }
      })
  }

  @Test func cancellingDuringARetryWaitReportsTheRunAsCancelled() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample-scan.png"))
    let engine = ScriptedEngine { _ in .fail(.cutOff(detail: "reset"), after: ["kept"]) }
    var plan = RunPlan(pages: [1], mode: .stream)
    plan.retry = RetryPolicy(retries: 2, delay: .seconds(30))
    let run = RunRecipe(document: document, engine: engine, plan: plan).start()
    var failure: RunEvent?
    for await event in run.events {
      if case .pageRetrying = event { run.cancel() }
      if case .pageFailed = event { failure = event }
    }
    #expect(
      failure
        == .pageFailed(
          page: 1, error: .cancelled, partial: "kept",
          stats: failure.flatMap {
            if case .pageFailed(_, _, _, let stats) = $0 { stats } else { nil }
          }))
  }

  @Test func whatIsRetriedAndHowLongItWaits() {
    let policy = RetryPolicy(retries: 2, delay: .milliseconds(500), loadingRetries: 3)
    #expect(policy.delay(after: .server(.cutOff(detail: "")), attempt: 1) == .milliseconds(500))
    #expect(policy.delay(after: .server(.incomplete), attempt: 2) == .seconds(1))
    #expect(policy.delay(after: .server(.idleTimeout(seconds: 1)), attempt: 3) == nil)
    #expect(
      policy.delay(after: .server(.http(status: 503, message: "")), attempt: 1)
        == .milliseconds(500))
    #expect(policy.delay(after: .server(.loading(url: "")), attempt: 3) == .seconds(2))
    #expect(policy.delay(after: .server(.loading(url: "")), attempt: 4) == nil)
    #expect(policy.delay(after: .server(.http(status: 400, message: "")), attempt: 1) == nil)
    #expect(policy.delay(after: .server(.unreachable(url: "", detail: "")), attempt: 1) == nil)
    #expect(policy.delay(after: .cancelled, attempt: 1) == nil)
    #expect(policy.delay(after: .document(.empty(path: "")), attempt: 1) == nil)
  }
}

@Suite struct PageCancelTests {
  @Test func oneInFlightAndOneQueuedPageCanBeCancelledWhileTheRestRunOn() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    let engine = ScriptedEngine { page in
      page == 1 ? .hang(after: ["partial"]) : .text(["page \(page)"])
    }
    let run = RunRecipe(
      document: document, engine: engine, plan: RunPlan(pages: [1, 2, 3], mode: .stream)
    ).start()
    run.cancel(page: 3)
    var events: [RunEvent] = []
    for await event in run.events {
      events.append(event)
      if case .delta(1, _) = event { run.cancel(page: 1) }
    }
    #expect(
      events.contains {
        if case .pageFailed(1, .cancelled, "partial", _) = $0 { true } else { false }
      })
    #expect(events.contains { if case .pageFinished(2, "page 2", _) = $0 { true } else { false } })
    #expect(
      events.contains { if case .pageFailed(3, .cancelled, "", _) = $0 { true } else { false } })
    #expect(engine.pagesCalled == [1, 2])
  }
}

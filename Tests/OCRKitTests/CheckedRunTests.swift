import Foundation
import OCRKitDoubles
import OCRTestSupport
import Testing

@testable import OCRKit

/// One checked run for the headless command and the viewer: the run's events, and each page's
/// check in the same stream — checked as the run finishes a page, or when the reader asks.
@Suite(.serialized) struct CheckedRunTests {
  /// A checked run of a one-page PDF of 40 lines, which the engine reads right (in two
  /// deltas); and that right text.
  static func checked(
    _ asking: CheckedRun.Asking, referee: PageReferee?, kind: EngineKind = .server
  ) async throws -> (CheckedRun, String) {
    let path = TestFiles.scratchDirectory() + "/lines.pdf"
    SyntheticPDF.write(pages: 1, to: path, linesPerPage: 40)
    let document = try await OpenedDocument.open(path: path)
    let text = (["# Page 1"] + SyntheticPDF.lines(page: 1, count: 40)).joined(separator: "\n\n")
    let half = text.index(text.startIndex, offsetBy: text.count / 2)
    let engine = ScriptedEngine(kind: kind) { _ in
      .text([String(text[..<half]), String(text[half...])])
    }
    let run = RunRecipe(
      document: document, engine: engine, plan: RunPlan(pages: [1], mode: .stream))
    let checked = CheckedRun(
      starting: run, referee: { referee }, grounded: false, asking: asking)
    return (checked, text)
  }

  /// The referee `--check` makes: its reader at idle priority until the run ends.
  static func referee() throws -> PageReferee {
    try PageReferee.start(languages: "eng")
  }

  /// Items as short lines: the run's events by kind and page, checks by their verdict.
  static func lines(_ checked: CheckedRun, askingAtTheEnd text: String? = nil) async -> [String] {
    var lines: [String] = []
    for await item in checked.items {
      switch item {
      case .run(.pageRendering(let page)): lines.append("rendering \(page)")
      case .run(.pageStarted(let page, _)): lines.append("started \(page)")
      case .run(.delta(let page, _)): lines.append("delta \(page)")
      case .run(.pageFinished(let page, _, _)): lines.append("finished \(page)")
      case .run(.documentFinished):
        lines.append("document finished")
        if let text {
          checked.check(page: 1, text: text)
          checked.endAsking()
        }
      case .run(let other): lines.append("\(other)")
      case .checked(let page, .success(let check)):
        lines.append("checked \(page): \(check.flag?.rawValue ?? "not flagged")")
      case .checked(let page, .failure(let failure)):
        lines.append("not checked \(page): \(failure)")
      }
    }
    return lines
  }

  static let events = [
    "rendering 1", "started 1", "delta 1", "delta 1", "finished 1", "document finished",
  ]

  @Test func withNothingToCheckTheItemsAreTheRunsEvents() async throws {
    let (unrefereed, _) = try await Self.checked(.everyFinishedPage, referee: nil)
    #expect(await Self.lines(unrefereed) == Self.events)
  }

  @Test func aBuiltInRunOffersNothingAndChecksNothing() async throws {
    let referee = try Self.referee()
    let (builtIn, _) = try await Self.checked(.everyFinishedPage, referee: referee, kind: .builtIn)
    #expect(await Self.lines(builtIn) == Self.events)
    // Asked for anyway (the viewer, after `e`): the page comes back saying why.
    let (asked, text) = try await Self.checked(.whenAsked, referee: referee, kind: .builtIn)
    #expect(
      await Self.lines(asked, askingAtTheEnd: text)
        == Self.events + [
          "not checked 1: --check compares a server's text with the built-in engine; "
            + "nothing to check"
        ])
    await referee.shutdown()
  }

  /// However busy the machine, the check comes: the run's end hurries it (before: on a loaded
  /// machine the stream waited minutes for its idle reader).
  @Test func everyFinishedPageIsCheckedAndTheStreamEndsAfterItsCheck() async throws {
    let referee = try Self.referee()
    let (checked, _) = try await Self.checked(.everyFinishedPage, referee: referee)
    let lines = await Self.lines(checked)
    // The check comes when tesseract is done: after the page, before or after the run's end.
    #expect(lines.filter { !$0.hasPrefix("checked") } == Self.events)
    #expect(lines.filter { $0.hasPrefix("checked") } == ["checked 1: not flagged"])
    await referee.shutdown()
  }

  @Test func theViewerAsksForAPageAfterItsRunEndedAndTheCheckComesInTheSameStream() async throws {
    let referee = try Self.referee()
    let (checked, text) = try await Self.checked(.whenAsked, referee: referee)
    // The text asked about is what is compared: half the page is missing text.
    let half = String(text.prefix(text.count / 2))
    #expect(
      await Self.lines(checked, askingAtTheEnd: half) == Self.events + ["checked 1: missing"])
    await referee.shutdown()
  }

  @Test func askedWhileCheckingIsOffAPageComesBackStopped() async throws {
    let (checked, text) = try await Self.checked(.whenAsked, referee: nil)
    #expect(
      await Self.lines(checked, askingAtTheEnd: text)
        == Self.events + ["not checked 1: the check was stopped"])
  }

  @Test func cancellingEndsAStreamThatWaitsForAsks() async throws {
    let (checked, _) = try await Self.checked(.whenAsked, referee: nil)
    var events = 0
    for await item in checked.items {
      if case .run(.documentFinished) = item { checked.cancel() }
      if case .run = item { events += 1 }
    }
    #expect(events == Self.events.count)
  }
}

import Foundation
import OCRKit
import OCRKitDoubles
import OCRTestSupport
import OCRViewUI
import Testing

@testable import ocrview

/// `K` / `--check` through the real runtime: a "server" answers (a) a text page with its text,
/// (b) a blank page with a paragraph, (c) a text page with half its lines; the runtime's
/// referee (the built-in engine at idle priority) checks each page.
@Suite struct CheckRuntimeTests {
  static func document() -> (path: String, answers: [Int: String]) {
    let path = CLI.scratchDirectory() + "/three.pdf"
    SyntheticPDF.write(pages: 3, to: path, linesPerPage: 40, blankPages: [2])
    let sample = try! String(contentsOfFile: CLI.asset("sample.expected.md"), encoding: .utf8)
    return (
      path,
      [
        1: (["# Page 1"] + SyntheticPDF.lines(page: 1, count: 40)).joined(separator: "\n\n"),
        2: FakeResponder.pages(fromTranscript: sample)[0],
        3: (["# Page 3"] + SyntheticPDF.lines(page: 3, count: 20)).joined(separator: "\n\n"),
      ]
    )
  }

  func harness(
    _ answers: [Int: String],
    referee: @escaping @Sendable () -> Result<PageReferee, CheckUnavailable> =
      TestServices.referee
  ) -> RuntimeHarness {
    let engine = ScriptedEngine(label: "scripted server") { page in .text([answers[page] ?? ""]) }
    return RuntimeHarness(
      services: TestServices.make(
        select: { EngineSelection(engine: engine, concurrency: .fixed(1), reason: "server") },
        referee: referee))
  }

  static func checked(_ model: Model) -> Bool {
    model.document?.pages.allSatisfy {
      if case .checked = $0.check { true } else { false }
    } == true
  }

  @Test func withCheckOnEachPageIsCheckedAndTheWrongOnesFlagged() async throws {
    let (path, answers) = Self.document()
    let app = harness(answers)
    app.model.checking = true  // --check
    app.start(opening: path)
    #expect(await app.until(Self.checked), "\(app.model.document?.pages.map { $0.check } ?? [])")
    let checks = app.model.document!.pages.map { page -> PageCheck? in
      if case .checked(let check) = page.check { check } else { nil }
    }
    #expect(checks[0]?.flag == nil)
    #expect(checks[1]?.flag == .invented)
    #expect(checks[2]?.flag == .missing)
    #expect(abs((checks[2]?.agreement ?? 0) - 0.5) < 0.1)
    let frame = render(app.model).lines()
    #expect(frame[0].hasSuffix(" STREAM · checked 3/3 "))
    #expect(frame[2].hasPrefix("✔  1 "))
    #expect(frame[3].hasPrefix("!  2 "))
    #expect(frame[4].hasPrefix("!  3 "))
    app.press(.character("j"))
    #expect(render(app.model).lines()[2].contains("⚠ check: the page looks blank"))
    await app.runtime.shutdown()
  }

  @Test func kChecksPagesAlreadyReadAndKAgainStops() async throws {
    let (path, answers) = Self.document()
    let app = harness(answers)
    app.start(opening: path)
    #expect(await app.until { $0.document?.doneCount == 3 })
    #expect(app.model.document?.pages.allSatisfy { $0.check == nil } == true)
    app.press(.character("K"))
    #expect(app.performed.contains { if case .checkPages = $0 { true } else { false } })
    #expect(await app.until(Self.checked), "\(app.model.document?.pages.map { $0.check } ?? [])")
    app.press(.character("K"))
    #expect(app.performed.last == .stopChecking)
    #expect(!app.model.checking)
    // Re-reading a page while off asks for no check.
    app.press(.character("r"))
    #expect(await app.until { $0.document?.doneCount == 3 })
    #expect(app.model.document?.pages[0].check == nil)
    await app.runtime.shutdown()
  }

  @Test func kWithALanguageNotInstalledSaysSoAndChecksNothing() async throws {
    let (path, answers) = Self.document()
    var setup = EngineSetup(servers: [], workers: 1)
    setup.languages = "xyz"
    let app = harness(answers, referee: { [setup] in setup.referee(for: .server) })
    app.start(opening: path)
    #expect(await app.until { $0.document?.doneCount == 3 })
    app.press(.character("K"))
    #expect(await app.until { !$0.checking })
    #expect(
      app.model.message
        == Model.Message(
          "K is off: tesseract has no data for language 'xyz' — install it: "
            + "sudo apt-get install tesseract-ocr-xyz", isError: true))
    #expect(app.model.document?.pages.allSatisfy { $0.check == nil } == true)
    await app.runtime.shutdown()
  }
}

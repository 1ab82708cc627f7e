import Foundation
import OCRTestSupport
import Testing

/// `ocrview ocr --check` end to end: the fake server answers (a) a text page with its text,
/// (b) a blank page with a paragraph, (c) a text page with half its lines; the built-in engine
/// referees.
@Suite struct CheckTests {
  static let sample = try! String(contentsOfFile: CLI.asset("sample.expected.md"), encoding: .utf8)

  /// A 3-page PDF: 40 lines of text, a blank page (only "Page 2"), 40 lines again; and the
  /// model's answers for it.
  static func document() -> (path: String, answers: [String]) {
    let path = CLI.scratchDirectory() + "/three.pdf"
    SyntheticPDF.write(pages: 3, to: path, linesPerPage: 40, blankPages: [2])
    let right = (["# Page 1"] + SyntheticPDF.lines(page: 1, count: 40)).joined(separator: "\n\n")
    let paragraph = FakeResponder.pages(fromTranscript: sample)[0]
    let half = (["# Page 3"] + SyntheticPDF.lines(page: 3, count: 20)).joined(separator: "\n\n")
    return (path, [right, paragraph, half])
  }

  static func lines(_ jsonl: String) throws -> [[String: Any]] {
    try jsonl.split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
  }

  @Test func jsonlCarriesEachPagesCheckAndTheRunEndsWithTheFlaggedPages() async throws {
    let (path, answers) = Self.document()
    let server = try FakeOCRServer(responder: FakeResponder.transcript(answers, wordsPerDelta: 5))
    let result = try await CLI.run([
      "ocr", path, "--check", "--format", "jsonl", "--concurrency", "1", "--server",
      server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let pages = try Self.lines(result.stdout)
    #expect(pages.map { $0["page"] as? Int } == [1, 2, 3])
    let checks = pages.map { $0["check"] as? [String: Any] ?? [:] }
    #expect(checks[0]["flag"] == nil)
    #expect((checks[0]["agreement"] as? Double ?? 0) > 0.9)
    #expect((checks[0]["tesseract_words"] as? Int ?? 0) > 300)
    #expect(checks[1]["flag"] as? String == "invented")
    #expect(checks[2]["flag"] as? String == "missing")
    #expect(abs((checks[2]["agreement"] as? Double ?? 0) - 0.5) < 0.1)
    #expect((checks[2]["reason"] as? String)?.hasSuffix("lines may be missing") == true)
    // The text is the model's, untouched.
    #expect(pages.map { $0["text"] as? String } == answers)
    // Each page's verdict, with the check's reasons in words.
    #expect(pages.map { $0["verdict"] as? String } == ["ok", "flagged", "flagged"])
    #expect((pages[1]["reasons"] as? [String])?.first?.contains("invented") == true)
    #expect((pages[2]["reasons"] as? [String])?.first?.contains("missing") == true)
    let stderr = result.stderr.split(separator: "\n")
    #expect(
      stderr.suffix(2) == [
        "ocrview: 2 pages flagged: 2, 3 — their check in the jsonl says why",
        "ocrview: 3 pages: 1 ok, 2 flagged (invented text on 2, text missing on 3)",
      ], "\(result.stderr)")
    #expect(stderr.contains { $0.hasPrefix("ocrview: page 2: the page looks blank") })
  }

  @Test func markdownIsUnchangedAndTheSummarySaysWhereTheDetailsAre() async throws {
    let (path, answers) = Self.document()
    let server = try FakeOCRServer(responder: FakeResponder.transcript(answers, wordsPerDelta: 5))
    let plain = try await CLI.run([
      "ocr", path, "--concurrency", "1", "--server", server.baseURL,
    ])
    let checked = try await CLI.run([
      "ocr", path, "--check", "--fresh", "--concurrency", "1", "--server", server.baseURL,
    ])
    #expect(checked.status == 0, "\(checked.stderr)")
    #expect(checked.stdout == plain.stdout)
    #expect(
      checked.stderr.split(separator: "\n").suffix(2) == [
        "ocrview: 2 pages flagged: 2, 3 — run with --format jsonl for details",
        "ocrview: 3 pages: 1 ok, 2 flagged (invented text on 2, text missing on 3)",
      ], "\(checked.stderr)")
    // Without --check nothing is known against the pages: the run ends quietly.
    #expect(!plain.stderr.contains("flagged"), "\(plain.stderr)")
  }

  @Test func theRightTextIsCheckedAndNotFlagged() async throws {
    let pages = FakeResponder.pages(fromTranscript: Self.sample)
    let server = try FakeOCRServer(responder: FakeResponder.transcript(pages))
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--pages", "1-2", "--check", "--concurrency", "1",
      "--server", server.baseURL,
    ])
    #expect(result.status == 0)
    #expect(result.stderr == "ocrview: 2 pages checked, none flagged\n")
  }

  @Test func theBuiltInEngineHasNothingToCheckAndRunsOn() async throws {
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--pages", "1", "--engine", "tesseract", "--check",
    ])
    #expect(result.status == 0)
    #expect(
      result.stderr
        == "ocrview: --check compares a server's text with the built-in engine; nothing to check\n"
    )
    #expect(result.stdout.contains("ocrview sample document"))
  }

  @Test func aMissingLanguageTurnsTheCheckOffInOneLine() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["Hello."]))
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--check", "--lang", "xyz", "--server", server.baseURL,
    ])
    #expect(result.status == 0)
    #expect(
      result.stderr
        == "ocrview: --check is off: tesseract has no data for language 'xyz' — install it: "
        + "sudo apt-get install tesseract-ocr-xyz\n")
    #expect(result.stdout == "<!-- page 1 -->\n\nHello.\n\n")
  }
}

import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// The referee of `--check` reading real page images with the built-in engine.
@Suite(.serialized) struct PageRefereeTests {
  /// The sample's expected Markdown for one page.
  static func expected(page: Int) throws -> String {
    let text = try String(contentsOfFile: TestFiles.asset("sample.expected.md"), encoding: .utf8)
    let pages = text.components(separatedBy: "<!-- page ").dropFirst()
    return String(pages.first { $0.hasPrefix("\(page) -->") }!.drop { $0 != "\n" })
  }

  /// Markdown is stripped by the viewer's parsers in the app; here the words alone matter.
  static func referee(maxHeldImages: Int = 2) throws -> PageReferee {
    PageReferee(
      engine: try TesseractEngine(languages: "eng", workers: 1, priority: .idle),
      plainText: { text, _ in text }, maxHeldImages: maxHeldImages)
  }

  @Test func theRightTextOfASamplePageIsNotFlagged() async throws {
    let referee = try Self.referee()
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    let right = try Self.expected(page: 1)
    let good = try await referee.check(
      page: 1, of: document, modelText: right, maxSide: 1540
    ).get()
    #expect(good.flag == nil)
    #expect(good.agreement > 0.9)
    #expect(good.tesseractWords > 100)
    await referee.shutdown()
  }

  @Test func halfTheLinesOfATextPageAreFlaggedMissing() async throws {
    let referee = try Self.referee()
    let path = TestFiles.scratchDirectory() + "/lines.pdf"
    SyntheticPDF.write(pages: 1, to: path, linesPerPage: 40)
    let document = try await OpenedDocument.open(path: path)
    let lines = ["# Page 1"] + SyntheticPDF.lines(page: 1, count: 40)
    let whole = try await referee.check(
      page: 1, of: document, modelText: lines.joined(separator: "\n"), maxSide: 1540
    ).get()
    #expect(whole.flag == nil)
    // The first half of the lines, as a model that stopped early gives them.
    let half = lines.prefix(lines.count / 2).joined(separator: "\n")
    let cut = try await referee.check(page: 1, of: document, modelText: half, maxSide: 1540).get()
    #expect(cut.flag == .missing)
    #expect(abs(cut.agreement - 0.5) < 0.1)
    #expect(cut.precision > 0.9)
    #expect(cut.reason?.hasSuffix("lines may be missing") == true)
    await referee.shutdown()
  }

  @Test func aParagraphForABlankPageIsFlaggedInvented() async throws {
    let referee = try Self.referee()
    let path = TestFiles.scratchDirectory() + "/blank.pdf"
    SyntheticPDF.write(pages: 1, to: path)  // only "Page 1" on it
    let document = try await OpenedDocument.open(path: path)
    let paragraph = try Self.expected(page: 1)
    let check = try await referee.check(
      page: 1, of: document, modelText: paragraph, maxSide: 1540
    ).get()
    #expect(check.flag == .invented)
    #expect(check.ink < 0.005)
    #expect(check.reason?.contains("looks blank") == true)
    await referee.shutdown()
  }

  @Test func anOfferedImageIsReadOnIdleThreadsAndChecksUseIt() async throws {
    let engine = try TesseractEngine(languages: "eng", workers: 1, priority: .idle)
    let referee = PageReferee(engine: engine, plainText: { text, _ in text })
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    let image = try await document.render(page: 2, maxSide: 1540)
    referee.offer(image, of: document)
    let check = try await referee.check(
      page: 2, of: document, modelText: try Self.expected(page: 2), maxSide: 1540
    ).get()
    #expect(check.flag == nil)
    // The worker thread runs under SCHED_IDLE (policy 5), as the kernel reports it.
    for id in engine.workerThreadIDs {
      let sched = try String(contentsOfFile: "/proc/self/task/\(id)/sched", encoding: .utf8)
      let policy = sched.split(separator: "\n").first { $0.hasPrefix("policy") }
      #expect(policy?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) == "5")
    }
    #expect(!engine.workerThreadIDs.isEmpty)
    await referee.shutdown()
    // Its thread ends (it has released tesseract when shutdown returns, then exits).
    for id in engine.workerThreadIDs {
      var polls = 0
      while FileManager.default.fileExists(atPath: "/proc/self/task/\(id)"), polls < 200 {
        try await Task.sleep(for: .milliseconds(10))
        polls += 1
      }
      #expect(!FileManager.default.fileExists(atPath: "/proc/self/task/\(id)"))
    }
  }

  @Test func shutdownEndsChecksStillWaiting() async throws {
    let referee = try Self.referee(maxHeldImages: 0)
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    async let first = referee.check(page: 1, of: document, modelText: "x", maxSide: 1540)
    async let second = referee.check(page: 2, of: document, modelText: "x", maxSide: 1540)
    try await Task.sleep(for: .milliseconds(50))
    await referee.shutdown()
    let results = await [first, second]
    // Whatever was read before the stop is scored; the rest ends unchecked, and nothing hangs.
    #expect(results.count == 2)
  }
}

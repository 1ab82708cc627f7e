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
  /// The scoring tests check `urgent`ly (as a run that has ended asks): an idle reader may wait
  /// minutes for CPU while the suite fills both cores.
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
      page: 1, of: document, modelText: right, maxSide: 1540, urgent: true
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
      page: 1, of: document, modelText: lines.joined(separator: "\n"), maxSide: 1540, urgent: true
    ).get()
    #expect(whole.flag == nil)
    // The first half of the lines, as a model that stopped early gives them.
    let half = lines.prefix(lines.count / 2).joined(separator: "\n")
    let cut = try await referee.check(
      page: 1, of: document, modelText: half, maxSide: 1540, urgent: true
    ).get()
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
      page: 1, of: document, modelText: paragraph, maxSide: 1540, urgent: true
    ).get()
    #expect(check.flag == .invented)
    #expect(check.ink < 0.005)
    #expect(check.reason?.contains("looks blank") == true)
    await referee.shutdown()
  }

  /// The scheduling policy of a kernel thread of this process (`SCHED_IDLE` is 5, normal 0).
  static func policy(ofThread id: Int32) throws -> String? {
    let sched = try String(contentsOfFile: "/proc/self/task/\(id)/sched", encoding: .utf8)
    let policy = sched.split(separator: "\n").first { $0.hasPrefix("policy") }
    return policy?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces)
  }

  /// An offered page goes to an idle-priority worker at once; when its run ends (`hurry`) on a
  /// machine busy with CPU hogs, where that worker gets almost no CPU, the page is read again
  /// at normal priority and the check comes in (before: it waited for minutes).
  @Test func anOfferedImageIsReadAtIdlePriorityAndAgainAtNormalOnceHurried() async throws {
    let engine = try TesseractEngine(languages: "eng", workers: 1, priority: .idle)
    let referee = PageReferee(engine: engine, plainText: { text, _ in text })
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    let image = try await document.render(page: 2, maxSide: 1540)
    let hogs = CPUHogs()
    defer { hogs.stop() }
    referee.offer(image, of: document)
    while await !referee.isReading(page: 2, of: document) || engine.workerThreadIDs.isEmpty {
      await Task.yield()
    }
    for id in engine.workerThreadIDs { #expect(try Self.policy(ofThread: id) == "5") }
    await referee.hurry(document)
    // The limit is far beyond a hurried read (seconds, beside the hogs): it only ends a failure.
    let check = await finishing(within: .seconds(300)) {
      await referee.check(
        page: 2, of: document, modelText: try! Self.expected(page: 2), maxSide: 1540)
    }
    hogs.stop()
    #expect(try #require(check, "not checked within the limit").get().flag == nil)
    let urgent = await referee.urgentWorkerThreadIDs
    #expect(!urgent.isEmpty)
    for id in urgent { #expect(try Self.policy(ofThread: id) == "0") }
    // Shutting down does not wait for the idle worker, which may still be starved in the
    // middle of the page (it ends once it gets the CPU); the normal-priority threads end.
    let shutDown: Void? = await finishing(within: .seconds(300)) { await referee.shutdown() }
    #expect(shutDown != nil)
    #expect(await Self.ended(urgent))
  }

  /// Whether these threads of this process have exited, waiting for them as long as it takes
  /// (up to a limit that only ends a failure).
  static func ended(_ threads: [Int32]) async -> Bool {
    let gone: @Sendable () -> Bool = {
      threads.allSatisfy { !FileManager.default.fileExists(atPath: "/proc/self/task/\($0)") }
    }
    let waited: Void? = await finishing(within: .seconds(300)) {
      while !gone() { try? await Task.sleep(for: .milliseconds(10)) }
    }
    return waited != nil
  }

  /// A referee that keeps readings (`--check` with `--pdf`) reads a page once: the check's
  /// reading, with its layout, is the text layer's; taken, it is read again if asked again.
  @Test func aKeptReadingServesTheCheckAndTheTextLayerFromOnePass() async throws {
    let engine = try TesseractEngine(languages: "eng", workers: 1, priority: .idle)
    let referee = PageReferee(engine: engine, plainText: { text, _ in text }, keepsReadings: true)
    let path = TestFiles.scratchDirectory() + "/lines.pdf"
    SyntheticPDF.write(pages: 1, to: path, linesPerPage: 10)
    let document = try await OpenedDocument.open(path: path)
    let text = (["Page 1"] + SyntheticPDF.lines(page: 1, count: 10)).joined(separator: "\n")
    _ = try await referee.check(page: 1, of: document, modelText: text, maxSide: 1000, urgent: true)
      .get()
    let once = engine.wordsRead
    let reading = try await referee.reading(page: 1, of: document, maxSide: 1000, urgent: true)
      .get()
    #expect(engine.wordsRead == once)
    #expect(reading.layout.words.count == reading.words.count && reading.words.count > 100)
    #expect(reading.layout.imageWidth == 773 && reading.layout.imageHeight == 1000)
    _ = try await referee.reading(page: 1, of: document, maxSide: 1000, urgent: true).get()
    #expect(engine.wordsRead == 2 * once)
    await referee.shutdown()
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

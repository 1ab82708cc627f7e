import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// Stream mode against batch mode on pages laid out like the real documents that broke the
/// old block-by-block stream mode (two columns, a ruled table, Korean, a skewed scan), drawn
/// at test time. Stream mode must hand out batch mode's text, early and in pieces. Timing is
/// not asserted here (wall clock is noise on a shared machine): `bench-tesseract` measures it.
@Suite(.serialized) struct TesseractStreamTests {
  static let english = try! TesseractEngine(languages: "eng", workers: 1)

  func words(_ text: String) -> [Substring] { TesseractCommandLine.words(text) }

  /// The deltas of one page.
  func read(_ engine: TesseractEngine, _ image: PageImage, mode: OCRMode) async throws -> [String] {
    var deltas: [String] = []
    for try await output in engine.recognize(image, mode: mode) {
      if case .delta(let text) = output { deltas.append(text) }
    }
    return deltas
  }

  /// Reads page 1 of `path` both ways; checks stream against batch, and batch against the
  /// page's own text (so the fixture is one tesseract really reads, in reading order).
  func check(
    _ path: String, truth: String, engine: TesseractEngine = english,
    readsTruthAtLeast minimum: Double
  ) async throws {
    let document = try await OpenedDocument.open(path: path)
    let image = try await document.render(page: 1, maxSide: 1540)
    let deltas = try await read(engine, image, mode: .stream)
    let stream = deltas.joined()
    let batch = try await read(engine, image, mode: .batch).joined()
    #expect(TesseractCommandLine.similarity(stream, batch) >= 0.98)
    #expect(words(stream).count <= words(batch).count)
    // One recognition, one text formatter: the same bytes, not just similar words.
    #expect(stream == batch)
    // Handed out line by line: the first piece is a small part of the page.
    #expect(deltas.count >= 5, "\(deltas.count) deltas")
    #expect(words(deltas.first ?? "").count * 4 <= words(batch).count)
    let truthSimilarity = TesseractCommandLine.similarity(batch, truth)
    #expect(truthSimilarity >= minimum, "batch read \(truthSimilarity) of the page's text")
  }

  @Test func twoColumnPage() async throws {
    let path = TestFiles.scratchDirectory() + "/columns.pdf"
    let truth = SyntheticPages.writeTwoColumns(to: path)
    try await check(path, truth: truth, readsTruthAtLeast: 0.95)
  }

  @Test func pageWithARuledTable() async throws {
    let path = TestFiles.scratchDirectory() + "/table.pdf"
    let truth = SyntheticPages.writeTable(to: path)
    try await check(path, truth: truth, readsTruthAtLeast: 0.9)
  }

  @Test func koreanPage() async throws {
    let path = TestFiles.scratchDirectory() + "/korean.pdf"
    let truth = try #require(
      SyntheticPages.writeKorean(from: TestFiles.asset("sample.pdf"), page: 3, to: path))
    let engine = try TesseractEngine(languages: "kor+eng", workers: 1)
    defer { engine.shutdown() }
    try await check(path, truth: truth, engine: engine, readsTruthAtLeast: 0.9)
  }

  @Test func skewedScan() async throws {
    let path = TestFiles.scratchDirectory() + "/scan.png"
    let truth = SyntheticPages.writeRotatedScan(to: path)
    try await check(path, truth: truth, readsTruthAtLeast: 0.95)
  }
}

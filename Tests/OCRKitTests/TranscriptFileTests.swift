import Foundation
import Testing

@testable import OCRKit

@Suite struct TranscriptFileTests {
  @Test func savesBesideTheDocumentAndNeverOverwrites() throws {
    let directory = TestFiles.scratchDirectory()
    let document = directory + "/report.pdf"
    let first = try TranscriptFile.save("one", for: document)
    #expect(first == directory + "/report.ocr.md")
    let second = try TranscriptFile.save("two", for: document)
    #expect(second == directory + "/report.ocr-2.md")
    #expect(try String(contentsOfFile: first, encoding: .utf8) == "one")
    #expect(try String(contentsOfFile: second, encoding: .utf8) == "two")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
      $0.contains(".tmp-")
    }
    #expect(leftovers.isEmpty)
  }

  @Test func savesInAnOutputDirectoryWhenGiven() throws {
    let out = TestFiles.scratchDirectory()
    #expect(
      try TranscriptFile.save("x", for: "/elsewhere/scan.png", in: out) == out + "/scan.ocr.md")
  }

  @Test func picksTheFirstFreeName() {
    let taken: Set = ["/d/a.ocr.md", "/d/a.ocr-2.md"]
    #expect(TranscriptFile.path(for: "/d/a.pdf") { taken.contains($0) } == "/d/a.ocr-3.md")
  }
}

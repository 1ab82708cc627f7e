import Foundation
import OCRTestSupport
import Synchronization
import Testing

/// Issue 22's benchmark: the fake server injects faults into real pages' true text (the
/// sample's expected transcript) — a repetition loop halfway down the page, or a cut at 60 %
/// with `finish_reason: length` — on the first read(s) of every page, then answers cleanly.
/// Each page must end with its full true text in at most two extra reads.
@Suite struct RescueBenchmarkTests {
  static let pages = FakeResponder.pages(
    fromTranscript: try! String(contentsOfFile: CLI.asset("sample.expected.md"), encoding: .utf8))

  typealias Fault = FakeFault

  /// Which page each image is (in order of first sight) and how many reads it had.
  final class Reads: Sendable {
    let seen = Mutex([String: (page: Int, reads: Int)]())
  }

  /// Runs the sample with `faults[k]` on read k+1 of every page (clean after them); returns
  /// each page's final text and the reads it took.
  func run(_ faults: [Fault]) async throws -> (texts: [String], reads: [Int]) {
    let counts = Reads()
    let server = try FakeOCRServer { request in
      let key = request.imageDataURL ?? ""
      let (page, read) = counts.seen.withLock { seen in
        let page = seen[key]?.page ?? seen.count
        seen[key] = (page, (seen[key]?.reads ?? 0) + 1)
        return (page, seen[key]!.reads)
      }
      let text = Self.pages[page % Self.pages.count]
      return read <= faults.count
        ? faults[read - 1].response(for: text)
        : .chatStream(deltas: FakeResponse.tokens(of: text, wordsPerDelta: 2))
    }
    let out = CLI.scratchDirectory() + "/out.jsonl"
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--format", "jsonl", "-o", out, "--concurrency", "1",
      "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let records = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    let reads = counts.seen.withLock { seen in seen.values.sorted { $0.page < $1.page }.map(\.reads)
    }
    return (records.map { $0["text"] as? String ?? "" }, reads)
  }

  @Test(arguments: [[Fault.loop], [.cut], [.loop, .cut], [.cut, .loop]])
  func everyFaultedPageIsRescuedToItsFullText(_ faults: [Fault]) async throws {
    let (texts, reads) = try await run(faults)
    let whole = zip(texts, Self.pages).filter { $0 == $1 }.count
    print("rescue benchmark \(faults): \(whole)/\(Self.pages.count) pages whole, reads \(reads)")
    #expect(texts == Self.pages)
    #expect(reads == Array(repeating: faults.count + 1, count: Self.pages.count))
    #expect(reads.allSatisfy { $0 - 1 <= 2 })
  }
}

import Foundation
import OCRKit
import Testing

@testable import OCRTestSupport

/// 500 pages, 8 streams at once, a quarter of the pages hit by a fault on their first try:
/// every page must end with exactly the text the server sent for its image, and the client's
/// memory must stay flat.
@Suite struct SoakTests {
  static let pageCount = 500
  static let maxSide = 160

  /// The text the server sends for an image: unique to it, with Hangul so UTF-8 sequences are
  /// split across writes.
  static func text(for key: UInt64) -> String {
    let words = (1...24).map { "w\(key % 9973)-\($0)" + ($0 % 6 == 0 ? "\n" : "") }
    return "페이지 \(key % 100_000) 한국어\n" + words.joined(separator: " ")
  }

  /// The first attempt at every fourth image fails in one of six ways; retries succeed.
  static func respond(_ key: UInt64, attempt: Int, text: String) -> FakeResponse {
    let deltas = FakeResponse.tokens(of: text, wordsPerDelta: 2)
    let head = deltas.prefix(deltas.count / 2).map { FakeEvent.delta($0) }
    let full: [FakeEvent] = [.role] + deltas.map { .delta($0) } + [.finish("stop"), .done]
    guard attempt == 1, key % 4 == 0 else {
      // Clean, but cut into 5-byte writes for a third of the pages: events and Hangul split.
      return .stream(
        full, firstByteDelay: .milliseconds(20), between: .milliseconds(1),
        splitWritesEvery: key % 3 == 0 ? 5 : nil)
    }
    switch (key / 4) % 6 {
    case 0: return .stream([.role] + head + [.drop])  // connection dropped mid-stream
    case 1: return .stream([.role] + head + [.reset])  // connection reset
    case 2: return .httpError(status: 500, message: "CUDA error", type: "server_error")
    case 3: return .stream([.role] + head + [.pause(.seconds(8))])  // stalls past the idle timeout
    case 4: return .stream([.role] + head)  // ends cleanly, without finish or [DONE]
    default:  // a malformed chunk is skipped; the page still completes
      return .stream([.role] + head + [.malformed("{oops")] + Array(full.dropFirst(1 + head.count)))
    }
  }

  static func imageKey(_ bytes: [UInt8]) -> UInt64 { FakeResponder.fnv1a(bytes) }

  static func rss(_ pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return nil }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
  }

  @Test(.timeLimit(.minutes(5))) func eightStreamsOver500PagesWithFaults() async throws {
    let folder = CLI.scratchDirectory()
    let pdf = folder + "/soak.pdf"
    SyntheticPDF.write(pages: Self.pageCount, to: pdf, linesPerPage: 3)

    let attempts = Locked([UInt64: Int]())
    let server = try FakeOCRServer(slots: 8) { request in
      let payload = request.imageDataURL?.split(separator: ",").last.map(String.init) ?? ""
      let key = Self.imageKey(Array(Data(base64Encoded: payload) ?? Data()))
      let attempt = attempts.withLock { seen in
        seen[key, default: 0] += 1
        return seen[key]!
      }
      return Self.respond(key, attempt: attempt, text: Self.text(for: key))
    }
    let out = folder + "/out.jsonl"
    let child = try CLI.Child([
      "ocr", pdf, "--engine", "server", "--server", server.baseURL, "--concurrency", "8",
      // Retries and an idle timeout that outlast the test process starved for seconds among the
      // whole suite's children (2 s idle, 3 retries once failed a clean page), below a stall.
      "--max-side", "\(Self.maxSide)", "--retries", "5", "--retry-delay", "0.01",
      "--idle-timeout", "4", "--format", "jsonl", "-o", out,
    ])
    // Resident memory once 100 pages are done, and its peak over the rest of the run.
    let pid = child.process.processIdentifier
    var early: Int?
    var late = 0
    var done = 0
    var reader: FileHandle?
    while child.process.isRunning {
      // Only the lines added since the last look: re-reading the whole file every 20 ms kept
      // a thread of the test's two-thread pool busy and starved other tests.
      reader = reader ?? FileHandle(forReadingAtPath: out)
      if let added = try? reader?.readToEnd() { done += added.filter { $0 == 0x0A }.count }
      if let rss = Self.rss(pid) {
        if early == nil, done >= 100 { early = rss }
        if done >= 100 { late = max(late, rss) }
      }
      try? await Task.sleep(for: .milliseconds(20))
    }
    let result = await child.finish()
    // What went wrong, without the hundred retry lines and the skipped malformed events of a
    // good run.
    let unexpected = result.stderr.split(separator: "\n").filter {
      !$0.contains(" — retry ") && !$0.contains("malformed event skipped")
    }
    #expect(result.status == 0, "\(unexpected.suffix(20).joined(separator: "\n"))")

    // Every page's text equals what the server sent for that page's image.
    struct Line: Decodable {
      var page: Int
      var status: String
      var text: String
    }
    let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
      try JSONDecoder().decode(Line.self, from: Data($0.utf8))
    }
    #expect(lines.map(\.page) == Array(1...Self.pageCount))
    #expect(lines.allSatisfy { $0.status == "done" })
    let document = try await OpenedDocument.open(path: pdf)
    var mismatches: [Int] = []
    for line in lines {
      let image = try await document.render(page: line.page, maxSide: Self.maxSide)
      if line.text != Self.text(for: Self.imageKey(image.bytes)) { mismatches.append(line.page) }
    }
    #expect(mismatches.isEmpty, "pages whose text differs: \(mismatches.prefix(20))")

    // The faults happened, and were retried; 8 streams ran at once.
    let retried = attempts.withLock { $0.values.filter { $0 > 1 }.count }
    #expect(retried >= Self.pageCount / 6, "\(retried) pages retried")  // 5 of 6 fault kinds
    #expect(server.peakConcurrentChats == 8)
    #expect(result.stderr.contains("retry 1"))

    // Flat memory: from 100 pages done to the end, resident memory grows by under 15 %.
    let start = try #require(early)
    print(
      "soak: \(Self.pageCount) pages, \(retried) retried; RSS \(start / 1024) MB at 100 pages, peak \(late / 1024) MB after"
    )
    #expect(
      Double(late) <= Double(start) * 1.15, "RSS \(start) kB at 100 pages, peak \(late) kB after")
  }
}

import Foundation
import Testing

@testable import OCRKit

/// Numbers from a server or a journal that once trapped (`Int.max` tokens, a `ttft_ms` of
/// 1e16): kept in range at decoding, so every figure made from them is printable, and a
/// journal holding them still lists, shows and restores.
@Suite struct PlausibleNumbersTests {
  static let page = PageImage(
    number: 1, bytes: Array("png".utf8), mimeType: "image/png", width: 10, height: 10)

  static func info(_ json: String) throws -> CompletionInfo {
    var parser = ChatStreamParser()
    let deltas = try parser.feed(Array("data: \(json)\n\ndata: [DONE]\n\n".utf8))
    #expect(deltas == ["text"], "a chunk with absurd numbers keeps its text")
    return parser.info
  }

  @Test(arguments: [
    "9223372036854775807", "9223372036854775808", "1e300", "18446744073709551616",
  ])
  func anAbsurdTokenCountIsClampedAndEveryFigureOfItPrints(count: String) throws {
    let info = try Self.info(
      #"{"choices":[{"delta":{"content":"text"},"finish_reason":"stop"}],"#
        + #""usage":{"completion_tokens":\#(count)},"timings":{"predicted_n":\#(count),"#
        + #""predicted_ms":1e308,"predicted_per_second":1e308,"prompt_ms":-1}}"#)
    #expect(info.usage?.completionTokens == Plausible.maxCount)
    #expect(info.timings?.predictedN == Plausible.maxCount)
    #expect(info.timings?.predictedMs == Plausible.maxMilliseconds)
    #expect(info.timings?.predictedPerSecond == Plausible.maxRate)
    #expect(info.timings?.promptMs == nil)

    // One nanosecond end to end: the rate of a billion tokens in it is clamped too.
    let sent = ContinuousClock.now
    var timer = PageTimer(mode: .stream, sentAt: sent)
    timer.recordDelta(at: sent)
    let stats = timer.stats(endedAt: sent + .nanoseconds(1), info: info, image: Self.page)
    #expect(stats.outputTokens == Plausible.maxCount)
    #expect(stats.outputTokensPerSecond == Plausible.maxRate)
    #expect(StatsText.page(1, stats).contains("1000000000 tokens"))
    #expect(StatsText.speed(stats) == "1000000000.0 tok/s")
    let end = PageEnd(text: "t", status: .done, error: nil, stats: stats)
    #expect(
      JSONLine.page(file: "a.pdf", page: 1, end: end).contains(#""output_tokens":1000000000"#))
  }

  @Test func negativeCountsAndTimesSayNothing() throws {
    let info = try Self.info(
      #"{"choices":[{"delta":{"content":"text"}}],"usage":{"completion_tokens":-3},"#
        + #""timings":{"predicted_n":-1,"predicted_per_second":-2.5}}"#)
    #expect(info.usage?.completionTokens == nil)
    #expect(info.timings?.predictedN == nil)
    #expect(info.timings?.predictedPerSecond == nil)
  }

  /// A journal's `done` line as a damaged or hostile file may hold it.
  static func journal(stats: String) -> [UInt8] {
    JournalTests.lines([JournalRecord(.document, name: "a.pdf", pages: 1, identity: "x")])
      + Array(#"{"t":"start","page":1,"mode":"stream"}"#.utf8) + [0x0A]
      + Array(#"{"t":"done","page":1,"text":"kept","mode":"stream","stats":\#(stats)}"#.utf8)
      + [0x0A]
  }

  @Test(arguments: ["1e16", "9.3e15", "1e308", "-5"])
  func aJournalWithAnAbsurdTimeRestoresThePageWithItClamped(ms: String) throws {
    let bytes = Self.journal(
      stats: #"{"ttft_ms":\#(ms),"e2e_ms":\#(ms),"itl_ms":\#(ms),"render_ms":\#(ms),"#
        + #""output_tokens":1e30,"output_tokens_source":"usage","deltas":9223372036854775807,"#
        + #""image_bytes":-1,"output_tokens_per_second":1e300,"#
        + #""decode_tokens_per_second":1e300,"max_tokens":1e30}"#)
    let snapshot = JournalSnapshot(replaying: bytes)
    let stats = try #require(snapshot.pages[1]?.stats)
    #expect(snapshot.pages[1]?.text == "kept")
    #expect(stats.outputTokens == Plausible.maxCount)
    #expect(stats.deltaCount == Plausible.maxCount)
    #expect(stats.maxTokens == Plausible.maxCount)
    #expect(stats.decodeTokensPerSecond == Plausible.maxRate)
    #expect(stats.imageBytes == 0)
    let negative = ms.hasPrefix("-")
    #expect(stats.ttft == (negative ? nil : .milliseconds(10_000_000_000)))
    // Every figure of it prints.
    #expect(StatsText.page(1, stats).hasPrefix("page 1  stream  TTFT "))
    #expect(snapshot.markdown(filePath: "a.pdf").contains("kept"))
  }

  @Test func oneDamagedJournalDoesNotStopTheOthersFromBeingListed() throws {
    let directory = TestFiles.scratchDirectory() + "/journal"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let store = JournalStore(directory: directory)
    let bad = Self.journal(
      stats: #"{"ttft_ms":1e16,"e2e_ms":1e16,"output_tokens":1,"#
        + #""output_tokens_source":"deltas","deltas":1,"render_ms":0,"image_bytes":0}"#)
    let good = JournalTests.lines([JournalRecord(.document, name: "b.pdf", pages: 2, identity: "y")]
    )
    FileManager.default.createFile(atPath: directory + "/bad.jsonl", contents: Data(bad))
    FileManager.default.createFile(atPath: directory + "/good.jsonl", contents: Data(good))
    let names = Set(store.entries().map(\.documentName))
    #expect(names == ["a.pdf", "b.pdf"])
  }

  @Test(arguments: [
    (Double.nan, 0), (.infinity, Int.max), (-.infinity, Int.min), (9.3e18, Int.max),
    (-9.3e18, Int.min), (0x1p63, Int.max), (-0x1p63, Int.min), (1e15, 1_000_000_000_000_000),
    (-2.7, -2), (2.7, 2),
  ])
  func aDoubleBecomesAnIntWithoutATrap(value: Double, expected: Int) {
    #expect(Int(saturating: value) == expected)
  }

  @Test func formattedFiguresOfAnyDoublePrint() {
    #expect(String(format1: .infinity) == "922337203685477580.7")
    #expect(String(format2: .nan) == "0.00")
    #expect(StatsText.duration(.seconds(Int64.max)).hasSuffix(" s"))
    #expect(StatsText.rate(1e300).hasSuffix(" tok/s"))
  }
}

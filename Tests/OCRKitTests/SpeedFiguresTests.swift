import Foundation
import Testing

@testable import OCRKit

/// The figures a person compares with the server's own: decode speed as llama-server counts it
/// (`predicted_per_second`: tokens after the first over the time after the first), the
/// end-to-end rate named as such, and the page's token cap.
@Suite struct SpeedFiguresTests {
  static let start = ContinuousClock.now
  static let image = PageImage(
    number: 1, bytes: [1, 2, 3], mimeType: "image/png", width: 1089, height: 1540)

  /// A stream page: first delta at 0.4 s, then `deltas − 1` more until 3.2 s, ended at 3.3 s.
  static func streamed(deltas: Int = 100, info: CompletionInfo?) -> PageStats {
    var timer = PageTimer(mode: .stream, sentAt: start)
    for index in 0..<deltas {
      let at = 400 + 2800 * index / max(1, deltas - 1)
      timer.recordDelta(at: start + .milliseconds(at))
    }
    return timer.stats(endedAt: start + .milliseconds(3300), info: info, image: image)
  }

  /// 62.8 tok/s end to end while llama-server said 83.3: the server's figure is the one shown.
  @Test func theServersOwnDecodeSpeedIsShown() throws {
    var info = CompletionInfo()
    var timings = ServerTimings(predictedN: 207, predictedMs: 2485)
    timings.predictedPerSecond = 83.3
    info.timings = timings
    let stats = Self.streamed(info: info)
    #expect(stats.decodeTokensPerSecond == 83.3)
    #expect(abs(try #require(stats.outputTokensPerSecond) - 207 / 3.3) < 0.01)
    #expect(StatsText.speed(stats) == "83.3 tok/s")
  }

  @Test func withoutServerTimingsAStreamIsTimedFromItsFirstTokenToItsLast() throws {
    var info = CompletionInfo()
    info.usage = Usage(promptTokens: 10, completionTokens: 100)
    let stats = Self.streamed(info: info)
    // 99 tokens after the first, in the 2.8 s after it.
    #expect(abs(try #require(stats.decodeTokensPerSecond) - 99 / 2.8) < 0.01)
    // A server figure that is no figure (0, infinite) is not believed.
    var timings = ServerTimings(predictedN: 100)
    timings.predictedPerSecond = .infinity
    info.timings = timings
    #expect(abs(try #require(Self.streamed(info: info).decodeTokensPerSecond) - 99 / 2.8) < 0.01)
  }

  @Test func aBatchPageWithoutTimingsHasOnlyItsEndToEndRateAndSaysSo() {
    var timer = PageTimer(mode: .batch, sentAt: Self.start)
    timer.recordDelta(at: Self.start + .seconds(2))
    var info = CompletionInfo()
    info.usage = Usage(promptTokens: 10, completionTokens: 100)
    let stats = timer.stats(endedAt: Self.start + .seconds(2), info: info, image: Self.image)
    #expect(stats.decodeTokensPerSecond == nil)
    #expect(StatsText.speed(stats) == "50.0 tok/s E2E")
  }

  @Test func statsLinesNameEachRateAndTheTokenCap() {
    var info = CompletionInfo()
    info.usage = Usage(promptTokens: 10, completionTokens: 100)
    info.maxTokens = 5516
    info.finishReason = "stop"
    let stats = Self.streamed(info: info)
    #expect(
      StatsText.page(3, stats)
        == "page 3  stream  TTFT 400 ms  E2E 3.30 s  100/5516 tokens  decode 35.4 tok/s  "
        + "E2E rate 30.3 tok/s  ITL 28.3 ms  verdict ok")
    info.finishReason = "length"
    #expect(
      StatsText.page(3, Self.streamed(info: info)).hasSuffix(
        "ITL 28.3 ms  finish: length — CUT OFF at 5516 max_tokens  verdict flagged"))
  }

  @Test func theInFlightCountSaysHowManyPagesWereSentAhead() {
    var usage = ConcurrencyStats(initial: 8)
    usage.changed(to: 16)
    usage.changed(to: 12)
    #expect(StatsText.inFlight(usage) == "in flight 8→12 (peak 16, mean 12.0)")
    usage.sentAhead = 80
    #expect(
      StatsText.inFlight(usage)
        == "in flight 8→12 (peak 16, mean 12.0), 80 sent ahead of a slot's end")
  }

  @Test func jsonLinesAndTheJournalKeepBothRatesAndTheCap() throws {
    var info = CompletionInfo()
    info.usage = Usage(promptTokens: 10, completionTokens: 100)
    info.maxTokens = 5516
    let stats = Self.streamed(info: info)
    let json = String(decoding: try JSONEncoder().encode(StatsRecord(stats)), as: UTF8.self)
    #expect(json.contains(#""decode_tokens_per_second":35.36"#), "\(json)")
    #expect(json.contains(#""max_tokens":5516"#))
    #expect(json.contains(#""output_tokens_per_second":30.3"#))
    let restored = PageStats(record: StatsRecord(stats), mode: .stream)
    #expect(restored.decodeTokensPerSecond == 35.36 && restored.maxTokens == 5516)
    // A journal written before the decode speed was kept: the server's figure, when it sent one.
    var old = StatsRecord(stats)
    old.decodeTokensPerSecond = nil
    var timings = ServerTimings(predictedN: 100)
    timings.predictedPerSecond = 83.3
    old.serverTimings = timings
    #expect(PageStats(record: old, mode: .stream).decodeTokensPerSecond == 83.3)
  }
}

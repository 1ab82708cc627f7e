import Testing

@testable import OCRKit

@Suite struct TranscriptStreamerTests {
  func stats(_ mode: OCRMode = .stream) -> PageStats {
    PageTimer(mode: mode, sentAt: .now).stats(
      endedAt: .now, info: nil,
      image: PageImage(number: 1, bytes: [], mimeType: "image/png", width: 1, height: 1))
  }

  @Test func markdownStreamsTheHeadPageLiveWithStableMarkers() {
    var streamer = TranscriptStreamer(format: .md, pages: [1, 2], filePath: "a.pdf")
    var out: [String] = []
    out.append(streamer.consume(.pageStarted(page: 1, mode: .stream)))
    out.append(streamer.consume(.delta(page: 1, text: "Hello")))
    out.append(streamer.consume(.delta(page: 1, text: " world")))
    out.append(streamer.consume(.pageFinished(page: 1, text: "Hello world", stats: stats())))
    out.append(streamer.consume(.delta(page: 2, text: "Two")))
    out.append(streamer.consume(.pageFinished(page: 2, text: "Two", stats: stats())))
    #expect(
      out == ["", "<!-- page 1 -->\n\nHello", " world", "\n\n", "<!-- page 2 -->\n\nTwo", "\n\n"])
    #expect(out.joined() == "<!-- page 1 -->\n\nHello world\n\n<!-- page 2 -->\n\nTwo\n\n")
  }

  @Test func laterPagesWaitForEarlierOnesWhenSeveralAreInFlight() {
    var streamer = TranscriptStreamer(format: .md, pages: [1, 2, 3], filePath: "a.pdf")
    #expect(streamer.consume(.delta(page: 2, text: "B")) == "")
    #expect(streamer.consume(.delta(page: 3, text: "C")) == "")
    #expect(streamer.consume(.pageFinished(page: 3, text: "C", stats: stats())) == "")
    #expect(streamer.consume(.delta(page: 1, text: "A")) == "<!-- page 1 -->\n\nA")
    let rest = streamer.consume(.pageFinished(page: 1, text: "A", stats: stats()))
    #expect(rest == "\n\n<!-- page 2 -->\n\nB")
    let end = streamer.consume(.pageFinished(page: 2, text: "B", stats: stats()))
    #expect(end == "\n\n<!-- page 3 -->\n\nC\n\n")
  }

  @Test func aFailedPageKeepsItsPartialTextAndIsMarked() {
    var streamer = TranscriptStreamer(format: .md, pages: [4], filePath: "a.pdf")
    var out = streamer.consume(.delta(page: 4, text: "partial"))
    out += streamer.consume(
      .pageFailed(page: 4, error: .server(.incomplete), partial: "partial", stats: nil))
    #expect(out == "<!-- page 4 -->\n\npartial\n\n<!-- page 4: failed -->\n\n")
  }

  @Test func plainTextSeparatesPagesWithFormFeeds() {
    var streamer = TranscriptStreamer(format: .txt, pages: [1, 2], filePath: "a.pdf")
    var out = streamer.consume(.delta(page: 1, text: "one"))
    out += streamer.consume(.pageFinished(page: 1, text: "one", stats: stats()))
    out += streamer.consume(.delta(page: 2, text: "two\n"))
    out += streamer.consume(.pageFinished(page: 2, text: "two\n", stats: stats()))
    #expect(out == "one\n\u{0C}two\n")
  }

  @Test func jsonLinesGiveOneRecordPerPageWithStats() {
    var streamer = TranscriptStreamer(format: .jsonl, pages: [1], filePath: "a.pdf")
    #expect(streamer.consume(.delta(page: 1, text: "x")) == "")
    let line = streamer.consume(.pageFinished(page: 1, text: "x", stats: stats(.batch)))
    #expect(line.hasSuffix("}\n"))
    #expect(line.contains(#""page":1"#))
    #expect(line.contains(#""status":"done""#))
    #expect(line.contains(#""mode":"batch""#))
    #expect(line.contains(#""text":"x""#))
    #expect(line.contains(#""e2e_ms":"#))
  }
}

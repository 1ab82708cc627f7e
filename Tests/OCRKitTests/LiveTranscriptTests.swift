import Testing

@testable import OCRKit

/// A transcript file during the run (every piece of text as it arrives) and at its end (each
/// page once, in order, its final attempt).
@Suite struct LiveTranscriptTests {
  static let stats = PageStats.unmeasured(.stream)

  static func run(_ events: [RunEvent], format: TranscriptFormat, pages: [Int]) -> (
    live: String, final: String, stream: String
  ) {
    var live = LiveTranscript(format: format, filePath: "a.pdf")
    var final = FinalTranscript(format: format, pages: pages, filePath: "a.pdf")
    var stream = TranscriptStreamer(format: format, pages: pages, filePath: "a.pdf")
    var text = (live: "", stream: "")
    for event in events {
      text.live += live.consume(event)
      final.consume(event)
      text.stream += stream.consume(event)
    }
    return (text.live, final.text, text.stream)
  }

  @Test func pagesOneAtATimeReadTheSameLiveAndFinished() {
    for format in [TranscriptFormat.md, .txt] {
      let result = Self.run(
        [
          .delta(page: 1, text: "One"), .pageFinished(page: 1, text: "One", stats: Self.stats),
          .delta(page: 2, text: "Two\n"),
          .pageFailed(page: 2, error: .engine("x"), partial: "Two\n", stats: nil),
        ], format: format, pages: [1, 2])
      #expect(result.live == result.final)
      #expect(result.final == result.stream)
    }
  }

  @Test func pagesInFlightReachTheFileAtOnceAndTheFinishedFileInOrder() {
    let events: [RunEvent] = [
      .delta(page: 1, text: "One "), .delta(page: 2, text: "Two "), .delta(page: 1, text: "more"),
      .delta(page: 2, text: "more"), .pageFinished(page: 2, text: "Two more", stats: Self.stats),
      .pageFinished(page: 1, text: "One more", stats: Self.stats),
    ]
    let md = Self.run(events, format: .md, pages: [1, 2])
    #expect(
      md.live
        == "<!-- page 1 -->\n\nOne \n\n<!-- page 2 -->\n\nTwo \n\n<!-- page 1, continued -->\n\n"
        + "more\n\n<!-- page 2, continued -->\n\nmore\n\n<!-- page 1, continued -->\n\n\n\n")
    #expect(md.final == "<!-- page 1 -->\n\nOne more\n\n<!-- page 2 -->\n\nTwo more\n\n")
    #expect(md.final == md.stream)
    let txt = Self.run(events, format: .txt, pages: [1, 2])
    #expect(txt.live.contains("One ") && txt.live.contains("\u{0C}Two "))
    #expect(txt.final == "One more\n\u{0C}Two more\n")
  }

  @Test func aRetriedPageIsInTheFinishedTranscriptOnceWithItsFinalText() {
    let events: [RunEvent] = [
      .delta(page: 1, text: "first try"),
      .pageRetrying(page: 1, attempt: 1, error: .engine("cut"), after: .zero),
      .delta(page: 1, text: "the page"),
      .pageFinished(page: 1, text: "the page", stats: Self.stats),
    ]
    let md = Self.run(events, format: .md, pages: [1])
    #expect(md.live == "<!-- page 1 -->\n\nfirst try\n\n<!-- page 1: retry 1 -->\n\nthe page\n\n")
    #expect(md.final == "<!-- page 1 -->\n\nthe page\n\n")
    #expect(Self.run(events, format: .txt, pages: [1]).final == "the page\n")
  }

  @Test func jsonLinesGoToTheFileAsPagesEndAndInOrderAtTheEnd() {
    let events: [RunEvent] = [
      .pageFinished(page: 2, text: "Two", stats: Self.stats),
      .pageFinished(page: 1, text: "One", stats: Self.stats),
    ]
    let result = Self.run(events, format: .jsonl, pages: [1, 2])
    let live = result.live.split(separator: "\n")
    let final = result.final.split(separator: "\n")
    #expect(live.count == 2 && live[0].contains(#""page":2"#))
    #expect(final == [live[1], live[0]])
  }

  @Test func theJournalShowsAsMarkdown() {
    var snapshot = JournalSnapshot()
    snapshot.pages[2] = .init(text: "cut sh", stats: nil)
    snapshot.pages[1] = .init(text: "Whole.", stats: Self.stats)
    #expect(
      snapshot.markdown(filePath: "a.pdf")
        == "<!-- page 1 -->\n\nWhole.\n\n<!-- page 2 -->\n\ncut sh\n\n<!-- page 2: cancelled -->\n\n"
    )
  }
}

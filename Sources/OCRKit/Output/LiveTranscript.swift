/// What a transcript *file* holds while its run goes on: every piece of text the moment it
/// arrives, whichever page it is for, so a `kill -9` with several pages in flight loses none
/// of it. Pages run one at a time read exactly as the finished transcript does; when pages in
/// flight take turns, a page's text resumes after `<!-- page N, continued -->`, and a retried
/// page's next attempt follows `<!-- page N: retry K -->`. At the end the file is replaced by
/// the finished transcript (`FinalTranscript`). Pure: no I/O.
public struct LiveTranscript: Sendable {
  public let format: TranscriptFormat
  private let filePath: String
  /// Each page's own streamer: the page is always its head, so its text comes out at once.
  private var streamers: [Int: TranscriptStreamer] = [:]
  private var seen: Set<Int> = []
  /// The page the file's last text belongs to, while that page is still going.
  private var current: Int?
  private var written = false
  private var endsInNewline = true

  /// Grounded pages (`--grounding`): their box markup left out, `--drop` honoured.
  private let grounding: GroundingOutput?

  public init(format: TranscriptFormat, filePath: String, grounding: GroundingOutput? = nil) {
    self.grounding = grounding
    self.format = format
    self.filePath = filePath
  }

  /// The text to append for this event (often empty).
  public mutating func consume(_ event: RunEvent) -> String {
    guard let page = event.page else { return "" }
    var streamer =
      streamers[page]
      ?? TranscriptStreamer(format: format, pages: [page], filePath: filePath, grounding: grounding)
    let text = streamer.consume(event)
    streamers[page] = event.endsPage ? nil : streamer
    guard !text.isEmpty else { return "" }
    var out = ""
    if format != .jsonl, page != current {
      if current != nil { out += endsInNewline ? "\n" : "\n\n" }
      if seen.contains(page) {
        out += "<!-- page \(page), continued -->\n\n"
      } else if format == .txt, written {
        out += "\u{0C}"
      }
    }
    out += text
    seen.insert(page)
    current = event.endsPage ? nil : page
    written = true
    endsInNewline = out.hasSuffix("\n")
    return out
  }
}

/// The finished transcript: each page once, in page order, with its final text — what a run
/// without retries or pages in flight would have streamed. Built from how pages end, so a
/// retried page's earlier attempts are not in it. Pure: no I/O.
public struct FinalTranscript: Sendable {
  private var streamer: TranscriptStreamer
  /// Everything so far.
  public private(set) var text = ""

  public init(
    format: TranscriptFormat, pages: [Int], filePath: String, grounding: GroundingOutput? = nil
  ) {
    streamer = TranscriptStreamer(
      format: format, pages: pages, filePath: filePath, grounding: grounding)
  }

  public mutating func consume(_ event: RunEvent) {
    switch event {
    case .pageFinished(_, _, let stats) where stats.restored:
      text += streamer.consume(event)  // its text comes whole with it
    case .pageFinished(let page, let whole, _), .pageFailed(let page, _, let whole, _):
      if !whole.isEmpty { text += streamer.consume(.delta(page: page, text: whole)) }
      text += streamer.consume(event)
    default:
      break
    }
  }
}

extension RunEvent {
  /// The page the event is about, if any.
  public var page: Int? {
    switch self {
    case .pageRendering(let page), .pageStarted(let page, _), .delta(let page, _),
      .pageFinished(let page, _, _), .pageRetrying(let page, _, _, _),
      .pageRescuing(let page, _, _, _),
      .pagePartialRestored(let page, _), .pageFailed(let page, _, _, _):
      page
    case .documentFinished, .concurrencyChanged, .serverLoad: nil
    }
  }

  /// Whether the event ends its page.
  public var endsPage: Bool {
    switch self {
    case .pageFinished, .pageFailed: true
    default: false
    }
  }
}

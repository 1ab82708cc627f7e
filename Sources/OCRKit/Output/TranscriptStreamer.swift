/// Turns run events into transcript text in page order, ready to append the moment it comes.
///
/// The page at the head of the plan streams straight through; text of later pages in flight
/// (concurrency > 1) waits until every page before them is complete. Pure: no I/O.
public struct TranscriptStreamer: Sendable {
  public let format: TranscriptFormat
  /// Grounding pages: md and txt get their text without box markup (`GroundedText`), jsonl
  /// their blocks.
  public let grounding: GroundingOutput?
  private let pages: [Int]
  private let filePath: String
  private var head = 0
  private var headStarted = false
  /// Text of pages behind the head, as it will be written.
  private var pending: [Int: String] = [:]
  private var grounded: [Int: GroundedText] = [:]
  private var ended: [Int: PageEnd] = [:]
  private var pagesWritten = 0

  /// - Parameters:
  ///   - pages: the run's pages, in plan order.
  ///   - filePath: the document, named in jsonl records.
  public init(
    format: TranscriptFormat, pages: [Int], filePath: String, grounding: GroundingOutput? = nil
  ) {
    self.format = format
    self.grounding = grounding
    self.pages = pages
    self.filePath = filePath
  }

  /// The text to append for this event (often empty).
  public mutating func consume(_ event: RunEvent) -> String {
    switch event {
    case .delta(let page, let text):
      guard format != .jsonl else { return "" }
      let text = visible(page, text)
      if head < pages.count, page == pages[head] { return openHead() + text }
      pending[page, default: ""] += text
      return ""
    case .pageFinished(let page, let text, let stats):
      // A page restored from the journal had no deltas this run: its text goes out whole.
      if stats.restored { pending[page] = visible(page, text) }
      endVisible(page)
      ended[page] = PageEnd(text: text, status: .done, error: nil, stats: stats)
      return advance()
    case .pageFailed(let page, let error, let partial, let stats):
      endVisible(page)
      ended[page] = PageEnd(
        text: partial, status: error == .cancelled ? .cancelled : .failed, error: error,
        stats: stats)
      return advance()
    case .pageRetrying(let page, let attempt, _, _):
      return supersede(page, marker: "retry \(attempt)")
    case .pageRescuing(let page, let attempt, _, let next):
      return supersede(
        page,
        marker: "\(attempt.summary), reading it again at \(String(format1: next))")
    case .pageRendering, .pageStarted, .pagePartialRestored, .documentFinished,
      .concurrencyChanged, .serverLoad:
      // A restored partial page is read again; its new text is what the transcript gets
      // (the journal keeps the old).
      return ""
    }
  }

  /// A page is read again: text already received stays (nothing is lost, and a stream cannot
  /// take it back); the next read's follows a marker. The finished transcript (`-o`) holds the
  /// kept read alone.
  private mutating func supersede(_ page: Int, marker note: String) -> String {
    guard format != .jsonl else { return "" }
    let marker = format == .md ? "\n\n<!-- page \(page): \(note) -->\n\n" : "\n"
    // What the attempt held back goes out before the marker; the next starts afresh.
    let rest =
      grounded.removeValue(forKey: page).map {
        var text = $0
        return text.finish()
      } ?? ""
    if head < pages.count, page == pages[head] {
      return rest.isEmpty ? (headStarted ? marker : "") : openHead() + rest + marker
    }
    if pending[page] != nil || !rest.isEmpty { pending[page, default: ""] += rest + marker }
    return ""
  }

  /// Writes out every ended page at the head, then the buffered text of the next one.
  private mutating func advance() -> String {
    var out = ""
    while head < pages.count, let end = ended[pages[head]] {
      let page = pages[head]
      if format == .jsonl {
        out += JSONLine.page(file: filePath, page: page, end: end, grounding: grounding) + "\n"
      } else {
        out += openHead() + (pending.removeValue(forKey: page) ?? "")
        let written = grounding.map { GroundedText.plain(end.text, drop: $0.drop) } ?? end.text
        out += closePage(page, text: written, status: end.status)
        if format == .md, end.stats?.finishReason == .loop {
          out += "<!-- page \(page): repetition loop stopped -->\n\n"
        }
        if format == .md, let rescued = end.stats?.attempts.rescueSummary {
          out += "<!-- page \(page): \(rescued) -->\n\n"
        }
      }
      ended[page] = nil
      head += 1
      headStarted = false
      pagesWritten += 1
    }
    if format != .jsonl, head < pages.count, let text = pending.removeValue(forKey: pages[head]) {
      out += openHead() + text
    }
    return out
  }

  /// A delta as the transcript writes it: as is, or without box markup.
  private mutating func visible(_ page: Int, _ text: String) -> String {
    guard let grounding else { return text }
    return grounded[page, default: GroundedText(drop: grounding.drop)].feed(text)
  }

  /// At a page's end, what its grounding text held back joins its pending text.
  private mutating func endVisible(_ page: Int) {
    guard var text = grounded.removeValue(forKey: page) else { return }
    let rest = text.finish()
    if !rest.isEmpty { pending[page, default: ""] += rest }
  }

  private mutating func openHead() -> String {
    guard !headStarted else { return "" }
    headStarted = true
    switch format {
    case .md: return TranscriptFormat.pageMarker(pages[head]) + "\n\n"
    case .txt: return pagesWritten > 0 ? "\u{0C}" : ""
    case .jsonl, .hocr: return ""  // hOCR is not streamed (`TranscriptFormat.streams`)
    }
  }

  private func closePage(_ page: Int, text: String, status: PageStatus) -> String {
    var out = text.isEmpty || text.hasSuffix("\n") ? "" : "\n"
    if format == .md {
      if status != .done {
        out += (text.isEmpty ? "" : "\n") + "<!-- page \(page): \(status.rawValue) -->\n"
      }
      out += "\n"
    }
    return out
  }
}

/// How a page ended, as transcripts and the TUI name it.
public enum PageStatus: String, Sendable, Codable {
  case done, failed, cancelled
}

/// How a page ended, as a transcript records it.
struct PageEnd: Sendable {
  var text: String
  var status: PageStatus
  var error: OCRError?
  var stats: PageStats?
}

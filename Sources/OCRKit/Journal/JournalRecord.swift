import Foundation

/// One line of a journal: JSON on a single line (JSON escapes newlines inside strings), so a
/// crash can tear at most the last line, and a torn line is simply not read back.
struct JournalRecord: Codable, Equatable, Sendable {
  enum Kind: String, Codable, Sendable {
    /// The first line: what document and settings the journal is for (`journal list`).
    case document
    /// A page's request was sent: its text starts again from nothing.
    case start
    /// Text received for a page.
    case delta
    /// The page finished; `text` is all of it (as the run kept it, after the loop guard).
    case done
    /// The page failed; its text so far stays, to be shown while it is read again.
    case failed
    /// `--fresh` or `R`: what the journal held for `list` pages no longer counts.
    case forget
    /// A read of the page ended badly and the page is read again (`attempt`, with its `text`):
    /// a resumed run goes on up the rescue ladder from there and never repeats the read.
    case attempt
  }

  var kind: Kind
  /// The writer (one per run), so runs writing the same journal at once never mix their
  /// deltas: a page's text is rebuilt per writer.
  var writer: UInt32?
  var page: Int?
  var text: String?
  var mode: OCRMode?
  var stats: StatsRecord?
  var name: String?
  var pages: Int?
  var identity: String?
  var list: [Int]?
  var attempt: PageAttempt?

  enum CodingKeys: String, CodingKey {
    case kind = "t"
    case writer = "w"
    case page, text, mode, stats, name, pages, identity, list, attempt
  }

  init(
    _ kind: Kind, writer: UInt32? = nil, page: Int? = nil, text: String? = nil,
    mode: OCRMode? = nil, stats: StatsRecord? = nil, name: String? = nil, pages: Int? = nil,
    identity: String? = nil, list: [Int]? = nil, attempt: PageAttempt? = nil
  ) {
    self.kind = kind
    self.writer = writer
    self.page = page
    self.text = text
    self.mode = mode
    self.stats = stats
    self.name = name
    self.pages = pages
    self.identity = identity
    self.list = list
    self.attempt = attempt
  }

  /// The record for a run event, if it changes what the journal knows.
  init?(_ event: RunEvent, writer: UInt32) {
    switch event {
    case .pageStarted(let page, let mode): self.init(.start, writer: writer, page: page, mode: mode)
    case .delta(let page, let text): self.init(.delta, writer: writer, page: page, text: text)
    case .pageFinished(let page, let text, let stats) where !stats.restored:
      self.init(
        .done, writer: writer, page: page, text: text, mode: stats.mode, stats: StatsRecord(stats))
    case .pageFailed(let page, _, _, _): self.init(.failed, writer: writer, page: page)
    case .pageRescuing(let page, let attempt, let text, _):
      self.init(.attempt, writer: writer, page: page, text: text, attempt: attempt)
    default: return nil
    }
  }

  /// The line to append, newline included.
  var line: [UInt8] { line(using: Self.encoder()) }

  /// The line, with an encoder the caller keeps (a writer encodes every delta: one encoder).
  func line(using encoder: JSONEncoder) -> [UInt8] {
    Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
  }

  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return encoder
  }
}

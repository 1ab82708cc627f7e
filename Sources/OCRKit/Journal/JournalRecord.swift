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
    /// The page finished; its text is every delta since its last `start`.
    case done
    /// The page failed; its text so far stays, to be shown while it is read again.
    case failed
  }

  var kind: Kind
  var page: Int?
  var text: String?
  var mode: OCRMode?
  var stats: StatsRecord?
  var name: String?
  var pages: Int?
  var identity: String?

  enum CodingKeys: String, CodingKey {
    case kind = "t"
    case page, text, mode, stats, name, pages, identity
  }

  init(
    _ kind: Kind, page: Int? = nil, text: String? = nil, mode: OCRMode? = nil,
    stats: StatsRecord? = nil, name: String? = nil, pages: Int? = nil, identity: String? = nil
  ) {
    self.kind = kind
    self.page = page
    self.text = text
    self.mode = mode
    self.stats = stats
    self.name = name
    self.pages = pages
    self.identity = identity
  }

  /// The record for a run event, if it changes what the journal knows.
  init?(_ event: RunEvent) {
    switch event {
    case .pageStarted(let page, let mode): self.init(.start, page: page, mode: mode)
    case .delta(let page, let text): self.init(.delta, page: page, text: text)
    case .pageFinished(let page, _, let stats) where !stats.restored:
      self.init(.done, page: page, mode: stats.mode, stats: StatsRecord(stats))
    case .pageFailed(let page, _, _, _): self.init(.failed, page: page)
    default: return nil
    }
  }

  /// The line to append, newline included.
  var line: [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
  }
}

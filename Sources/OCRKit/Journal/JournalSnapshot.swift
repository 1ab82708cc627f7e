import Foundation

/// What a journal holds, read back: finished pages with their stats, and the partial text of
/// pages that were interrupted.
public struct JournalSnapshot: Sendable, Equatable {
  public struct Page: Sendable, Equatable {
    /// The finished text, or the most text any attempt got.
    public var text: String
    /// Set when the page finished: its original measurements, marked restored.
    public var stats: PageStats?
    /// Reads of an unfinished page that ended badly and were followed by a rescue, in order:
    /// a resumed run goes on up the ladder after them.
    public var reads: [Read] = []
    public var isFinished: Bool { stats != nil }

    public init(text: String, stats: PageStats?, reads: [Read] = []) {
      self.text = text
      self.stats = stats
      self.reads = reads
    }
  }

  /// A read the journal recorded (`JournalRecord.Kind.attempt`): how it went, and its text.
  public struct Read: Sendable, Equatable {
    public var attempt: PageAttempt
    public var text: String

    public init(attempt: PageAttempt, text: String) {
      self.attempt = attempt
      self.text = text
    }
  }

  /// The file name the journal was started for, and its page count.
  public var name: String?
  public var pageCount: Int?
  public var pages: [Int: Page] = [:]
  /// Lines that could not be read (a torn last line after a crash, or damage).
  public var unreadableLines = 0

  public init() {}

  /// Replays a journal's bytes. Only complete lines count: a last line without its newline
  /// was torn by a crash and is ignored, as is any line that is not a record.
  public init(replaying bytes: [UInt8]) {
    /// Text of the attempt in progress, per writer and page.
    struct Attempt: Hashable {
      var writer: UInt32
      var page: Int
    }
    var current: [Attempt: String] = [:]
    var best: [Int: String] = [:]
    var finished: [Int: (String, PageStats)] = [:]
    var reads: [Int: [Read]] = [:]
    func settle(_ attempt: Attempt) {
      // The most text any attempt got, compared once per attempt (not per delta).
      if let text = current.removeValue(forKey: attempt),
        text.utf8.count > (best[attempt.page] ?? "").utf8.count
      {
        best[attempt.page] = text
      }
    }
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    if let last = lines.last, !last.isEmpty { unreadableLines += 1 }
    lines.removeLast()  // empty after a final newline, torn otherwise
    let decoder = JSONDecoder()
    for line in lines where !line.isEmpty {
      guard let record = try? decoder.decode(JournalRecord.self, from: Data(line)) else {
        unreadableLines += 1
        continue
      }
      switch record.kind {
      case .document:
        name = record.name
        // Numbers from a file are checked at the edge (the journal fuzzer found `-2`).
        pageCount = record.pages.flatMap { $0 > 0 ? $0 : nil }
      case .forget:
        for page in record.list ?? [] {
          finished[page] = nil
          best[page] = nil
          reads[page] = nil
          for attempt in current.keys where attempt.page == page { current[attempt] = nil }
        }
      case .start, .delta, .done, .failed, .attempt:
        guard let page = record.page, page > 0 else { continue }
        let attempt = Attempt(writer: record.writer ?? 0, page: page)
        switch record.kind {
        case .start:
          // A page read again starts over; its last finished reading stands until a new one
          // finishes.
          settle(attempt)
          current[attempt] = ""
        case .delta:
          // Only within an attempt whose start was read: a late delta of a run whose page was
          // voided (R) would rebuild the page from its middle.
          current[attempt]? += record.text ?? ""
        case .done:
          let text = record.text ?? current[attempt] ?? ""
          current[attempt] = nil
          if let stats = record.stats {
            finished[page] = (text, PageStats(record: stats, mode: record.mode))
          }
        case .attempt:
          if let attempt = record.attempt {
            reads[page, default: []].append(Read(attempt: attempt, text: record.text ?? ""))
          }
        default:
          settle(attempt)
        }
      }
    }
    for attempt in Array(current.keys) { settle(attempt) }
    for (page, text) in best where !text.isEmpty { pages[page] = Page(text: text, stats: nil) }
    for (page, list) in reads {
      pages[page, default: Page(text: "", stats: nil)].reads = list
    }
    for (page, (text, stats)) in finished { pages[page] = Page(text: text, stats: stats) }
  }

  /// The pages to restore for a run of `selected` pages.
  public func restoring(_ selected: [Int]) -> [Int: Page] {
    pages.filter { selected.contains($0.key) }
  }
}

extension PageStats {
  /// Stats read back from a journal, marked restored.
  init(record: StatsRecord, mode: OCRMode?) {
    func duration(_ milliseconds: Double?) -> Duration? {
      milliseconds.map { .microseconds(Int(saturating: ($0 * 1000).rounded())) }
    }
    self.init(
      mode: mode ?? .stream, ttft: duration(record.ttftMs), e2e: duration(record.e2eMs) ?? .zero,
      outputTokens: record.outputTokens, outputTokensSource: record.outputTokensSource,
      outputTokensPerSecond: record.outputTokensPerSecond,
      // Journals written before the decode speed was kept: the server's own, when it sent it.
      decodeTokensPerSecond: record.decodeTokensPerSecond
        ?? record.serverTimings?.predictedPerSecond.flatMap { $0.isFinite && $0 > 0 ? $0 : nil },
      maxTokens: record.maxTokens, itl: duration(record.itlMs),
      deltaCount: record.deltas,
      finishReason: record.finishReason.map(FinishReason.init(rawValue:)),
      serverTimings: record.serverTimings, renderTime: duration(record.renderMs) ?? .zero,
      imageBytes: record.imageBytes, restored: true, malformedChunks: record.malformedEvents ?? 0)
    imageWidth = record.imageWidth ?? 0
    imageHeight = record.imageHeight ?? 0
    attempts = record.attempts ?? []
    confidence = record.confidence
  }
}

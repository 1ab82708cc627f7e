/// What a document run reports, in order per page; the TUI and the headless command
/// consume the same stream.
public enum RunEvent: Sendable, Equatable {
  /// The page is being rendered (possibly ahead, while another page is in flight).
  case pageRendering(page: Int)
  /// The page's request was sent.
  case pageStarted(page: Int, mode: OCRMode)
  /// New text for the page (never empty).
  case delta(page: Int, text: String)
  /// The page is complete; `text` is all of it. Pages restored from the journal come as this
  /// too, first, with `stats.restored` set.
  case pageFinished(page: Int, text: String, stats: PageStats)
  /// The page's request failed and will be sent again after `after`; the text it had sent
  /// so far is superseded by the next attempt's.
  case pageRetrying(page: Int, attempt: Int, error: OCRError, after: Duration)
  /// A read of the page ended badly (`attempt.reason`: a loop, the token limit, no text) and
  /// the page is read again at once, at `nextTemperature`; `text` is that read's text (up to
  /// the loop), which the next read's text supersedes unless it turns out worse.
  case pageRescuing(page: Int, attempt: PageAttempt, text: String, nextTemperature: Double)
  /// An earlier, interrupted run got this much of the page (from the journal); the page is
  /// read again and its new text replaces this.
  case pagePartialRestored(page: Int, text: String)
  /// The page failed; `partial` is every bit of text received before the failure.
  case pageFailed(page: Int, error: OCRError, partial: String, stats: PageStats?)
  /// How many pages may be in flight now: at the start of a run with an adaptive limit, and
  /// whenever the limit moves.
  case concurrencyChanged(limit: Int)
  /// What the server says of its load (every client's requests), when it changed; polled
  /// while pages wait to be sent, from servers that report it.
  case serverLoad(ServerLoad)
  /// The run is over (also after cancellation).
  case documentFinished(DocumentStats)
}

/// Per-document measurements.
public struct DocumentStats: Sendable, Equatable {
  public var pagesDone = 0
  public var pagesFailed = 0
  /// Run start → first delta of any page.
  public var timeToFirstText: Duration?
  public var total: Duration = .zero
  /// How an adaptive in-flight limit went (nil for a fixed one).
  public var concurrency: ConcurrencyStats?

  public init() {}
}

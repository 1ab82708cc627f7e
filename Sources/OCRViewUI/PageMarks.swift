/// The mark before each page in the page list: how far the page has come and, once done, its
/// verdict (`PageVerdict`: flagged, worth a look), else where its text came from and what the
/// check (`K`) made of it. The help's legend lists them from here, so the two cannot differ.
enum PageMark: CaseIterable {
  case queued, rendering, waiting, streaming
  /// Read in this session, not checked.
  case done
  /// Read in an earlier session: restored from the journal, not sent again.
  case restored
  case checkPending, checkPassed
  /// The check could not read the page again, so it has no verdict.
  case notJudged
  /// The verdict: worth a look (retried, the model unsure, weak agreement).
  case review
  /// The verdict: not to be trusted (cut off, looping, text missing or invented).
  case flagged
  case failed, cancelled

  init(_ page: PageState) {
    switch page.progress {
    case .queued: self = .queued
    case .rendering: self = .rendering
    case .waiting: self = .waiting
    case .streaming: self = .streaming
    case .failed: self = .failed
    case .cancelled: self = .cancelled
    case .done where page.verdict?.level == .flagged: self = .flagged
    case .done where page.verdict?.level == .review: self = .review
    case .done:
      switch page.check {
      case .pending?: self = .checkPending
      case .checked?: self = .checkPassed
      case .unchecked?: self = .notJudged
      case nil: self = page.stats?.restored == true ? .restored : .done
      }
    }
  }

  var symbol: String {
    switch self {
    case .queued: "·"
    case .rendering: "◌"
    case .waiting: "…"
    case .streaming: "▸"
    case .done: "✓"
    case .restored: "↺"
    case .checkPending: "◔"
    case .checkPassed: "✔"
    case .notJudged: "?"
    case .review: "~"
    case .flagged: "!"
    case .failed: "✗"
    case .cancelled: "⊘"
    }
  }

  /// What the mark says, for the help's legend.
  var meaning: String {
    switch self {
    case .queued: "not started"
    case .rendering: "rendering the page image"
    case .waiting: "sent, waiting for the first text"
    case .streaming: "text coming in"
    case .done: "done"
    case .restored: "done in an earlier session (from the journal)"
    case .checkPending: "done, the check still reading it"
    case .checkPassed: "done, the check agrees"
    case .notJudged: "done, the check could not read it"
    case .review: "done, worth a look (why: above its text; ! next)"
    case .flagged: "done, not to be trusted (why: above its text)"
    case .failed: "failed (why: below its text)"
    case .cancelled: "cancelled"
    }
  }
}

extension Theme {
  func style(_ mark: PageMark) -> Style {
    switch mark {
    case .queued, .rendering, .cancelled, .checkPending: dim
    case .waiting, .streaming, .review, .notJudged: warning
    case .flagged: error
    case .done, .restored, .checkPassed: ok
    case .failed: error
    }
  }
}

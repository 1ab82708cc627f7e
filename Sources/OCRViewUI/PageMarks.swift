/// The mark before each page in the page list: how far the page has come and, once done, where
/// its text came from and what the check (`K`) made of it. The help's legend lists them from
/// here, so the two cannot differ.
enum PageMark: CaseIterable {
  case queued, rendering, waiting, streaming
  /// Read in this session, not checked.
  case done
  /// Read in an earlier session: restored from the journal, not sent again.
  case restored
  case checkPending, checkPassed
  /// The check could not read the page again, so it has no verdict.
  case notJudged
  case flagged, failed, cancelled

  init(_ page: PageState) {
    switch page.progress {
    case .queued: self = .queued
    case .rendering: self = .rendering
    case .waiting: self = .waiting
    case .streaming: self = .streaming
    case .failed: self = .failed
    case .cancelled: self = .cancelled
    case .done:
      switch page.check {
      case .pending?: self = .checkPending
      case .checked(let check)?: self = check.reason == nil ? .checkPassed : .flagged
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
    case .flagged: "done, the check flagged it (why: above its text)"
    case .failed: "failed (why: below its text)"
    case .cancelled: "cancelled"
    }
  }
}

extension Theme {
  func style(_ mark: PageMark) -> Style {
    switch mark {
    case .queued, .rendering, .cancelled, .checkPending: dim
    case .waiting, .streaming, .flagged, .notJudged: warning
    case .done, .restored, .checkPassed: ok
    case .failed: error
    }
  }
}

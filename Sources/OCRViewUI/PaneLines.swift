import OCRKit

/// One line of the text pane and what it is, so drawing picks its style from a value.
struct PaneLine: Sendable, Equatable {
  enum Kind: Sendable, Equatable { case text, heading, warning, error }
  var text: String
  var kind: Kind
  /// Rendered Markdown's own styles for the line's text (nil: the kind's style throughout).
  var spans: [Span]?
  /// Part of a line where the model's low-probability tokens cluster
  /// (`TokenConfidence.lowLines`): shaded, so the eye goes where the model was unsure.
  var doubtful = false

  init(text: String, kind: Kind, spans: [Span]? = nil, doubtful: Bool = false) {
    self.text = text
    self.kind = kind
    self.spans = spans
    self.doubtful = doubtful
  }
}

/// How the text pane shows a page's text: as the model wrote it, or rendered (`M`).
struct PaneFormat: Sendable, Equatable {
  var width: Int
  var rendered = false
  var monochrome = false
}

extension Model {
  /// The text pane's format for this model's view and toggles. With the page image alone the
  /// text is hidden: it is measured (searched, scrolled) as the text view lays it out.
  var paneFormat: PaneFormat {
    PaneFormat(
      width: Layout(size, view: view == .page ? .text : view).textColumns, rendered: rendered,
      monochrome: monochrome)
  }
}

/// The text pane's lines for `page`: why the check flagged it (`K`), if it did, above its
/// text — wrapped by display width (the model's doubtful lines marked), or rendered from
/// Markdown — then, once the page has ended, its note, and its error. Scrolling (`update`),
/// search and drawing (`render`) all count these, so `G` reaches the last error line.
///
/// `tail`: only the last `tail` lines. Following a growing raw page only its end is on screen,
/// so a frame wraps just that much, costing the same on a 1 KB page and a 100 KB one (rendered
/// pages are cheap to redo while they grow: MarkdownView re-parses only the last block).
func paneLines(_ page: PageState, _ format: PaneFormat, tail: Int? = nil) -> [PaneLine] {
  let width = format.width
  var lines: [PaneLine] = []
  var above: [String] = []
  if let reason = page.check?.flagReason { above.append("⚠ check: " + reason) }
  // The verdict's other reasons; a cut-off or a loop is the note's, below the text.
  let others = page.verdict?.reasons.filter(\.isSaidAboveTheText) ?? []
  if !others.isEmpty, let level = page.verdict?.level {
    above.append("⚠ \(level.rawValue): " + others.map(\.words).joined(separator: "; "))
  }
  if !above.isEmpty {
    for line in above {
      lines += TextWrap.wrap(line, width: width).map { PaneLine(text: $0, kind: .warning) }
    }
    lines.append(PaneLine(text: "", kind: .text))
  }
  if format.rendered {
    lines += MarkdownView.lines(
      page.text, width: width, monochrome: format.monochrome, live: page.progress.isRunning
    ).map {
      PaneLine(text: $0.map(\.text).joined(), kind: .text, spans: $0)
    }
  } else {
    // Doubtful lines are named by number: find their rows in the whole page's wrap. Such a
    // page has ended (its confidence is measured then), so the memo has it after one frame.
    let doubtful = page.stats?.confidence?.lowLines ?? []
    let wrapped =
      tail.flatMap { tail in
        doubtful.isEmpty
          ? WrappedText(lines: TextWrap.wrapTail(page.text, width: width, lines: tail), starts: [])
          : nil
      } ?? TextWrap.paragraphs(of: page.text, width: width)
    let shaded = Set(doubtful.flatMap { wrapped.rows(ofLine: $0) })
    lines.reserveCapacity(wrapped.lines.count + 4)
    var inCode = false
    for (row, line) in wrapped.lines.enumerated() {
      if line.hasPrefix("```") { inCode.toggle() }
      lines.append(
        PaneLine(
          text: line, kind: !inCode && line.hasPrefix("#") ? .heading : .text,
          doubtful: shaded.contains(row)))
    }
  }
  if let note = page.note, !page.progress.isRunning {
    lines.append(PaneLine(text: "", kind: .text))
    lines += TextWrap.wrap("⚠ " + note, width: width).map { PaneLine(text: $0, kind: .warning) }
  }
  if let error = page.error {
    let mark = page.progress == .cancelled ? "⊘ " : "✗ "
    lines.append(PaneLine(text: "", kind: .text))
    lines += TextWrap.wrap(mark + error, width: width).map { PaneLine(text: $0, kind: .error) }
  }
  return tail.map { Array(lines.suffix($0)) } ?? lines
}

extension PageVerdict.Reason {
  /// Said in the line above the page's text; the check's flags have their own line there, and
  /// a cut-off, a loop, its reads or lost events are the note below the text
  /// (`PageStats.warning`).
  var isSaidAboveTheText: Bool {
    switch self {
    case .lowConfidence, .weakAgreement: true
    case .cutOff, .loop, .retried, .missingText, .inventedText, .malformedEvents: false
    }
  }
}

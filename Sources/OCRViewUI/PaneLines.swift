/// One line of the text pane and what it is, so drawing picks its style from a value.
struct PaneLine: Sendable, Equatable {
  enum Kind: Sendable, Equatable { case text, heading, warning, error }
  var text: String
  var kind: Kind
}

/// The text pane's lines for `page` at `width` columns: its text wrapped by display width,
/// then — once the page has ended — its note, and its error. Scrolling (`update`) and
/// drawing (`render`) both count these, so `G` reaches the last error line.
///
/// `tail`: only the last `tail` lines. Following a growing page only its end is on screen, so
/// a frame wraps just that much, costing the same on a 1 KB page and a 100 KB one.
func paneLines(_ page: PageState, width: Int, tail: Int? = nil) -> [PaneLine] {
  let wrapped =
    tail.map { TextWrap.wrapTail(page.text, width: width, lines: $0) }
    ?? TextWrap.wrap(page.text, width: width)
  var lines: [PaneLine] = []
  lines.reserveCapacity(wrapped.count + 4)
  var inCode = false
  for line in wrapped {
    if line.hasPrefix("```") { inCode.toggle() }
    lines.append(PaneLine(text: line, kind: !inCode && line.hasPrefix("#") ? .heading : .text))
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

import OCRKit

/// One row per page: status mark, number, mode, TTFT and E2E (live while running).
func drawPageList(
  _ canvas: inout Canvas, _ model: Model, _ document: DocumentState, _ rect: Rect, _ theme: Theme
) {
  let columns = PageListColumns(width: rect.width - 1)
  canvas.write(
    TextWrap.truncate(columns.header, width: rect.width), x: rect.x, y: rect.y, style: theme.dim)
  let rows = max(0, rect.height - 1)
  guard rows > 0 else { return }
  // Keep the selected page in view.
  let first = max(0, min(document.selected - rows, document.pages.count - rows))
  for (offset, page) in document.pages.dropFirst(first).prefix(rows).enumerated() {
    let y = rect.y + 1 + offset
    let isSelected = page.number == document.selected
    let rowStyle =
      isSelected ? (model.focus == .pages ? theme.selected : theme.selectedUnfocused) : theme.plain
    canvas.fill(
      Rect(x: rect.x, y: y, width: rect.width, height: 1),
      with: Cell(grapheme: " ", style: rowStyle))
    let mark = PageMark(page)
    canvas.write(mark.symbol, x: rect.x, y: y, style: isSelected ? rowStyle : theme.style(mark))
    canvas.write(
      columns.row(page, now: model.now), x: rect.x + 1, y: y, style: rowStyle,
      maxWidth: rect.width - 1)
  }
}

/// The page list's columns for its width (after the mark): number and mode always; TTFT and
/// E2E only where a time fits whole. A time wider than its column is shown short ("12.3s",
/// "2.00s…" while it counts up): beside the page image the list is 14 columns, where `353 ms`
/// was cut to `35`, and at 80 columns the E2E column is 6, where a live `2.00 s…` lost its `…`.
struct PageListColumns {
  /// Number (3) and mode (6) with a space after each.
  static let lead = 11
  /// The TTFT column with its gap: its full form ("12.34 s") fits.
  static let ttftWidth = 10
  /// Columns the TTFT (nil: none) and E2E (0: none) values may take.
  let ttft: Int?
  let e2e: Int

  init(width: Int) {
    let rest = width - Self.lead
    // The short forms ("0.42s", "12.3s…") are the least a column needs.
    ttft = rest >= 5 ? min(rest, Self.ttftWidth - 1) : nil
    let e2eRoom = rest - Self.ttftWidth
    e2e = e2eRoom >= 6 ? e2eRoom : 0
  }

  var header: String {
    var text = " pg  mode"
    if ttft != nil { text += "   TTFT" }
    if e2e > 0 { text += "      E2E" }
    return text
  }

  /// "  3 stream  0.41 s   3.20 s" — times once known; the E2E counts up while running.
  func row(_ page: PageState, now: ContinuousClock.Instant) -> String {
    let number = String(page.number)
    var row = String(repeating: " ", count: max(0, 3 - number.count)) + number + " "
    // A page read more than once (`--rescue`) says which read: while it runs, in place of
    // its TTFT until its first text; once done, in place of its mode.
    let rescued = page.read > 1 ? PageAttempt.ordinal(page.read) : nil
    let done = page.progress == .done ? rescued : nil
    row += (done ?? page.mode?.rawValue ?? "").padding(6)
    guard let ttftWidth = ttft else { return row }
    var ttftText: String?
    var e2eText: String?
    // A failed page's figures (1 ms to a refused connection) are no reading's: it says failed.
    if let stats = page.stats, page.progress == .done {
      let times = Figures.fitting(stats.ttft, width: ttftWidth, stats.e2e, width: e2e)
      ttftText = stats.ttft == nil ? "–" : times.first ?? "–"
      e2eText = times.second
    } else if page.progress.isRunning, let sentAt = page.sentAt {
      let waiting = rescued.map { "\($0) try" }.flatMap { $0.count <= ttftWidth ? $0 : nil } ?? "…"
      let times = Figures.fitting(
        page.firstTextAt.map { $0 - sentAt }, width: ttftWidth, now - sentAt, suffix: "…",
        width: e2e)
      ttftText = page.firstTextAt == nil ? waiting : times.first ?? ""
      e2eText = times.second
    } else if page.progress == .failed || page.progress == .cancelled {
      // Said in words where they fit; the mark says it anyway.
      e2eText = DisplayWidth.of(page.progress.rawValue) <= e2e ? page.progress.rawValue : nil
    }
    row += " " + (ttftText ?? "").padding(ttftWidth)
    guard e2e > 0 else { return row }
    return row + " " + (e2eText ?? "")
  }
}

extension String {
  /// Pads with spaces to `width` display columns.
  func padding(_ width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - DisplayWidth.of(self)))
  }
}

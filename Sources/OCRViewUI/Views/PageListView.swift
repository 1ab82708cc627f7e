import OCRKit

/// One row per page: status mark, number, mode, TTFT and E2E (live while running).
func drawPageList(
  _ canvas: inout Canvas, _ model: Model, _ document: DocumentState, _ rect: Rect, _ theme: Theme
) {
  canvas.write(
    TextWrap.truncate(" pg  mode   TTFT      E2E", width: rect.width), x: rect.x, y: rect.y,
    style: theme.dim)
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
      pageRow(page, now: model.now), x: rect.x + 1, y: y, style: rowStyle, maxWidth: rect.width - 1)
  }
}

/// "  3 stream  0.41 s   3.20 s" — times once known; the E2E counts up while running.
func pageRow(_ page: PageState, now: ContinuousClock.Instant) -> String {
  let number = String(page.number)
  var row = String(repeating: " ", count: max(0, 3 - number.count)) + number + " "
  row += (page.mode?.rawValue ?? "").padding(6) + " "
  let ttft: String
  let e2e: String
  if let stats = page.stats, !page.progress.isRunning {
    ttft = seconds(stats.ttft)
    e2e = seconds(stats.e2e)
  } else if page.progress.isRunning, let sentAt = page.sentAt {
    ttft = page.firstTextAt.map { seconds($0 - sentAt) } ?? "…"
    e2e = seconds(now - sentAt) + "…"
  } else {
    ttft = ""
    e2e = page.progress == .failed || page.progress == .cancelled ? page.progress.rawValue : ""
  }
  return row + ttft.padding(9) + " " + e2e
}

extension String {
  /// Pads with spaces to `width` display columns.
  func padding(_ width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - DisplayWidth.of(self)))
  }
}

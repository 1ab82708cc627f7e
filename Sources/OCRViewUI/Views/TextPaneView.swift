import OCRKit

/// The selected page's text, wrapped by display width, following its growing end.
func drawTextPane(
  _ canvas: inout Canvas, _ model: Model, _ document: DocumentState, _ layout: Layout,
  _ theme: Theme
) {
  let rect = layout.textPane
  let page = document.selectedPage
  var title = "Page \(page.number) — \(page.progress.rawValue)"
  if let mode = page.mode { title += " (\(mode.rawValue))" }
  if let note = page.note, page.progress.isRunning { title += " — " + note }
  let titleStyle = model.focus == .text ? theme.selected : theme.title

  let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: layout.textRows)
  if page.text.isEmpty, page.progress.isComing {
    canvas.write(
      TextWrap.truncate(title, width: rect.width), x: rect.x, y: rect.y, style: titleStyle)
    drawWaiting(&canvas, model, page, body, theme)
    return
  }
  // While a match is shown its line number counts from the page's top: lay out all of it.
  let following = document.isFollowing
  let tail = following && model.search?.current == nil ? body.height : nil
  let lines = paneLines(page, model.paneFormat, tail: tail)
  let bottom = max(0, lines.count - body.height)
  let top = following ? bottom : min(document.scroll, bottom)
  let position = textPosition(
    following: following, running: page.progress.isRunning, top: top, rows: body.height,
    total: lines.count)
  drawTitle(
    &canvas, title, position, Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), titleStyle)
  for (index, line) in lines.enumerated().dropFirst(top).prefix(body.height) {
    let style =
      switch line.kind {
      case .text where line.doubtful, .heading where line.doubtful: theme.doubtful
      case .text: theme.plain
      case .heading: theme.heading
      case .warning: theme.warning
      case .error: theme.error
      }
    if let spans = line.spans {
      var x = body.x
      for span in spans {
        x += canvas.write(span.text, x: x, y: body.y + index - top, style: span.style)
      }
    } else {
      canvas.write(line.text, x: body.x, y: body.y + index - top, style: style)
    }
    if let search = model.search, !search.query.isEmpty, line.kind == .text || line.kind == .heading
    {
      highlight(
        &canvas, search, in: line.text, line: index, page: page.number,
        at: (body.x, body.y + index - top), theme)
    }
  }
  // The growing end of a streaming page.
  if page.progress == .streaming, page.error == nil, let last = lines.last?.text,
    lines.count - 1 >= top, lines.count - 1 < top + body.height
  {
    let column = min(DisplayWidth.of(last), body.width - 1)
    canvas.write("▌", x: body.x + column, y: body.y + lines.count - 1 - top, style: theme.warning)
  }
}

/// Where the text pane is, for its title, longest first (the first that fits is shown):
/// "following" a page's growing end; "lines 12–31 of 40" when the page is longer than the pane
/// (less shows as much), or "12–31/40"; "f follows" after scrolling away from a page still
/// coming in.
func textPosition(following: Bool, running: Bool, top: Int, rows: Int, total: Int) -> [String] {
  if following { return running ? ["following"] : [] }
  let (first, last) = (top + 1, min(total, top + rows))
  let lines = total > rows ? "lines \(first)–\(last) of \(total)" : nil
  if running { return [lines.map { $0 + " · f follows" }, "f follows"].compactMap { $0 } }
  return lines.map { [$0, "\(first)–\(last)/\(total)"] } ?? []
}

/// The pane's title on the left and where it is on the right; the position gives way when the
/// title would be cut short for it.
private func drawTitle(
  _ canvas: inout Canvas, _ title: String, _ positions: [String], _ row: Rect, _ style: Style
) {
  let fits = { (position: String) in
    row.width - DisplayWidth.of(position) - 2 >= min(DisplayWidth.of(title), 20)
  }
  guard let position = positions.first(where: fits) else {
    canvas.write(TextWrap.truncate(title, width: row.width), x: row.x, y: row.y, style: style)
    return
  }
  let right = DisplayWidth.of(position)
  canvas.write(
    TextWrap.truncate(title, width: row.width - right - 2), x: row.x, y: row.y, style: style)
  canvas.write(position, x: row.x + row.width - right, y: row.y, style: style)
}

/// Before any text: what the page is waiting for, with a live timer (batch mode's long wait
/// is the point of the comparison, so it is shown plainly).
private func drawWaiting(
  _ canvas: inout Canvas, _ model: Model, _ page: PageState, _ body: Rect, _ theme: Theme
) {
  let elapsed = page.sentAt.map { seconds(model.now - $0) } ?? ""
  let text: String
  switch (page.progress, page.mode) {
  case (.queued, _): text = "queued"
  case (.rendering, _): text = "rendering the page…"
  case (_, .batch): text = "waiting for the whole page… \(elapsed)"
  default: text = "waiting for the first token… \(elapsed)"
  }
  canvas.write(
    TextWrap.truncate(text, width: body.width), x: body.x, y: body.y + body.height / 2,
    style: theme.warning)
}

/// Marks the query's matches on a drawn line; the match `n`/`N` went to stands out.
private func highlight(
  _ canvas: inout Canvas, _ search: SearchState, in text: String, line: Int, page: Int,
  at origin: (x: Int, y: Int), _ theme: Theme
) {
  let characters = Array(text)
  let length = search.query.count
  for (occurrence, offset) in TextSearch.offsets(of: search.query, in: text).enumerated() {
    let x = origin.x + DisplayWidth.of(String(characters[..<offset]))
    let width = DisplayWidth.of(String(characters[offset..<min(characters.count, offset + length)]))
    let isCurrent =
      search.current == SearchMatch(page: page, line: line, occurrence: occurrence)
    canvas.setStyle(
      isCurrent ? theme.currentMatch : theme.match,
      in: Rect(x: x, y: origin.y, width: width, height: 1))
  }
}

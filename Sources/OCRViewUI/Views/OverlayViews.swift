import OCRKit

/// Every key, on `?`, from `KeyTable`: a title saying how to move when the screen is too short
/// for all of them, then the rows from `helpScroll` on.
func drawHelp(_ canvas: inout Canvas, _ model: Model, _ theme: Theme) {
  let body = KeyTable.helpLines
  let rows = helpRows(model.size)
  let top = min(model.helpScroll, max(0, body.count - rows))
  let title =
    body.count > rows
    ? "Every key — \(top + 1)–\(min(body.count, top + rows)) of \(body.count): j k PgDn PgUp "
      + "scroll, any other key closes"
    : "Every key — any key closes"
  // As wide as the widest row, so the box keeps its size while it scrolls.
  let width = body.map { DisplayWidth.of($0) }.max() ?? 0
  drawBox(
    &canvas, model.size, lines: [title.padding(width), ""] + body.dropFirst(top).prefix(rows),
    theme)
}

/// Rows of keys the help shows at once: the screen less the box's borders, title and gap.
func helpRows(_ size: Size) -> Int { max(1, size.height - 6) }

/// TTFT and E2E per page measured in both modes, and the totals: the difference as numbers.
func drawCompare(_ canvas: inout Canvas, _ model: Model, _ theme: Theme) {
  drawBox(&canvas, model.size, lines: compareLines(model.document), theme)
}

func compareLines(_ document: DocumentState?) -> [String] {
  var lines = ["Stream vs. batch", "", "page   stream TTFT   stream E2E   batch TTFT   batch E2E"]
  var totals: [OCRMode: (ttft: Duration, e2e: Duration)] = [:]
  var compared = 0
  for page in document?.pages ?? [] {
    guard let stream = page.measured[.stream], let batch = page.measured[.batch] else { continue }
    compared += 1
    lines.append(
      String(page.number).padding(6) + seconds(stream.ttft).padding(14)
        + seconds(stream.e2e).padding(13)
        + seconds(batch.ttft).padding(13) + seconds(batch.e2e))
    for (mode, stats) in [(OCRMode.stream, stream), (.batch, batch)] {
      let sum = totals[mode] ?? (.zero, .zero)
      totals[mode] = (sum.ttft + (stats.ttft ?? stats.e2e), sum.e2e + stats.e2e)
    }
  }
  if compared == 0 {
    lines += [
      "", "No page has been measured in both modes yet:",
      "press m, then r to re-run a page in the other mode.",
    ]
  } else if let stream = totals[.stream], let batch = totals[.batch] {
    lines.append(
      "total " + seconds(stream.ttft).padding(14) + seconds(stream.e2e).padding(13)
        + seconds(batch.ttft).padding(13) + seconds(batch.e2e))
    let ratio = stream.ttft > .zero ? batch.ttft / stream.ttft : 0
    lines += ["", "first text comes \(StatsText.ratio(ratio)) sooner in stream mode"]
  }
  return lines + ["", "any key closes this"]
}

/// A question before a key loses work: what it would do, then `y` or any other key.
func drawConfirm(
  _ canvas: inout Canvas, _ model: Model, _ confirmation: Confirmation, _ theme: Theme
) {
  drawBox(&canvas, model.size, lines: confirmLines(confirmation, model.document), theme)
}

func confirmLines(_ confirmation: Confirmation, _ document: DocumentState?) -> [String] {
  let pages = document?.pages ?? []
  let name = { (path: String) in path.split(separator: "/").last.map(String.init) ?? path }
  switch confirmation {
  case .quit:
    let running = document?.inFlightCount ?? 0
    return [
      "Quit?", "", "\(running) page\(running == 1 ? " is" : "s are") still running.",
      "y: quit   any other key: stay",
    ]
  case .open(let path):
    let running = pages.filter { $0.progress.isRunning }.count
    let waiting = pages.filter { $0.progress == .queued }.count
    let what = [
      running > 0 ? "\(running) page\(running == 1 ? "" : "s") running" : nil,
      waiting > 0 ? "\(waiting) not started" : nil,
    ].compactMap { $0 }.joined(separator: ", ")
    return [
      "Open \(name(path))?", "",
      "\(document.map { name($0.path) } ?? "") is still being read: \(what).",
      "Opening another file cancels \(running + waiting == 1 ? "it" : "them") "
        + "(what is read stays in the journal).", "",
      "y: open \(name(path))   any other key: stay",
    ]
  case .readAllAgain:
    let read = pages.filter { $0.progress == .done }.count
    let running = pages.filter { $0.progress.isRunning }.count
    let plural = { (count: Int) in "\(count) page\(count == 1 ? "" : "s")" }
    var lines = [
      "Read all \(plural(pages.count)) again?", "",
      "Every page is read again from the start, and what the",
      "journal kept of the \(plural(read)) read so far is void.",
    ]
    if running > 0 {
      lines.append(
        running == 1 ? "The page running now stops." : "The \(running) running now stop.")
    }
    return lines + ["", "y: read all again   any other key: keep them (r: this page only)"]
  }
}

/// The password prompt for an encrypted PDF; what is typed shows as dots.
func drawPasswordPrompt(
  _ canvas: inout Canvas, _ prompt: Model.PasswordPrompt, _ size: Size, _ theme: Theme
) {
  let name = prompt.path.split(separator: "/").last.map(String.init) ?? prompt.path
  drawBox(
    &canvas, size,
    lines: [
      "Password", "",
      prompt.wrong ? "Wrong password for \(name) — try again." : "\(name) is an encrypted PDF.",
      "", "password: " + String(repeating: "•", count: prompt.typed.count) + "▏", "",
      "Enter: open   Esc: cancel",
    ],
    theme)
}

/// A centred, bordered box of lines (clipped to the screen).
private func drawBox(_ canvas: inout Canvas, _ size: Size, lines: [String], _ theme: Theme) {
  let inner = min(size.width - 4, (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 2)
  let height = min(size.height - 2, lines.count + 2)
  let x = (size.width - inner - 2) / 2
  let y = (size.height - height) / 2
  canvas.fill(Rect(x: x, y: y, width: inner + 2, height: height))
  canvas.write("┌" + String(repeating: "─", count: inner) + "┐", x: x, y: y, style: theme.dim)
  canvas.write(
    "└" + String(repeating: "─", count: inner) + "┘", x: x, y: y + height - 1, style: theme.dim)
  for row in 1..<max(1, height - 1) {
    canvas.write("│", x: x, y: y + row, style: theme.dim)
    canvas.write("│", x: x + inner + 1, y: y + row, style: theme.dim)
    let line = lines[row - 1]
    canvas.write(
      TextWrap.truncate(line, width: inner - 2), x: x + 2, y: y + row,
      style: row == 1 ? theme.title : theme.plain)
  }
}

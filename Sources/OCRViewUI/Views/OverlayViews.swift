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

/// TTFT and E2E per page measured in both modes with their medians, then each mode's medians
/// over every page it measured: the difference as numbers.
func drawCompare(_ canvas: inout Canvas, _ model: Model, _ theme: Theme) {
  drawBox(&canvas, model.size, lines: compareLines(model.document), theme)
}

/// Medians, not sums: a sum of TTFTs is no time anyone waited, and one slow page would
/// outweigh the rest. Pages measured in one mode only still count in that mode's medians, so a
/// run that switched modes half-way (`m`) compares its two halves.
func compareLines(_ document: DocumentState?) -> [String] {
  var lines = ["Stream vs. batch", "", "page   stream TTFT   stream E2E   batch TTFT   batch E2E"]
  let pages = document?.pages ?? []
  let both = pages.filter { $0.measured[.stream] != nil && $0.measured[.batch] != nil }
  func row(_ label: String, _ figures: [Duration?]) -> String {
    zip(figures, [14, 13, 13, 0]).reduce(label.padding(7)) { line, cell in
      line + (cell.1 == 0 ? seconds(cell.0) : seconds(cell.0).padding(cell.1))
    }
  }
  func median(_ values: [Duration]) -> Duration? {
    percentiles(values.map(\.millisecondsValue)).map { .milliseconds($0.p50) }
  }
  for page in both {
    let (stream, batch) = (page.measured[.stream]!, page.measured[.batch]!)
    lines.append(row(String(page.number), [stream.ttft, stream.e2e, batch.ttft, batch.e2e]))
  }
  if both.count > 1 {
    lines.append(
      row(
        "median",
        [OCRMode.stream, .batch].flatMap { mode in
          [
            median(both.map { $0.measured[mode]!.ttft ?? $0.measured[mode]!.e2e }),
            median(both.map { $0.measured[mode]!.e2e }),
          ]
        }))
  }
  if both.isEmpty { lines += ["(no page measured in both modes yet: m, then r re-reads one)"] }
  // Every page each mode measured.
  var medians: [OCRMode: Duration] = [:]
  lines += [""]
  for mode in [OCRMode.stream, .batch] {
    let measured = pages.compactMap { $0.measured[mode] }
    guard let ttft = median(measured.map { $0.ttft ?? $0.e2e }),
      let e2e = median(measured.map(\.e2e))
    else {
      lines.append("\(mode.rawValue.padding(7))no page read in this mode yet")
      continue
    }
    medians[mode] = ttft
    let count = "\(measured.count) page\(measured.count == 1 ? "" : "s")"
    lines.append(
      "\(mode.rawValue.padding(7))\(count.padding(10))median TTFT \(seconds(ttft).padding(9))"
        + "median E2E \(seconds(e2e))")
  }
  if let stream = medians[.stream], let batch = medians[.batch], stream > .zero {
    lines += ["", "first text comes \(StatsText.ratio(batch / stream)) sooner in stream mode"]
  }
  return lines + ["", "any key closes this"]
}

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

import OCRKit

/// Every key, on `?`.
let helpLines = [
  "Keys", "",
  "Tab Shift-Tab     focus: pages → text → page image",
  "j k ↑ ↓  g G      move pages / scroll the text; first / last",
  "PgUp PgDn Space f scroll a screen; follow the growing text",
  "Enter  Esc        open / focus the text; back to the picker",
  "m                 STREAM / BATCH for every page not yet sent",
  "r  R              re-run this page / the whole document",
  "F                 read the failed pages again (what is done stays)",
  "c  s  t           cancel running pages; save; compare timings",
  "e                 switch engine (server / built-in)",
  "K                 check pages against the built-in engine (on / off)",
  "v                 page image beside the text, alone, or off",
  "+ -  h l          zoom the page image; pan it (j k on the image)",
  "M                 render Markdown (tables, math) / raw text",
  "/  n N            search every page; next / previous match",
  "y  Y              copy the page / the transcript",
  "/  .  a           picker: filter, hidden files, all files",
  "q  Ctrl-C         quit",
  "", "any key closes this",
]

func drawHelp(_ canvas: inout Canvas, _ model: Model, _ theme: Theme) {
  drawBox(&canvas, model.size, lines: helpLines, theme)
}

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

func drawConfirmQuit(_ canvas: inout Canvas, _ model: Model, _ theme: Theme) {
  let running = model.document?.inFlightCount ?? 0
  drawBox(
    &canvas, model.size,
    lines: [
      "Quit?", "", "\(running) page\(running == 1 ? " is" : "s are") still running.",
      "y: quit   any other key: stay",
    ],
    theme)
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

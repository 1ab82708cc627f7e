import OCRKit

/// Draws the whole screen for a model. Pure: the same model always gives the same canvas.
public func render(_ model: Model) -> Canvas {
  var canvas = Canvas(size: model.size)
  let layout = Layout(model.size, view: model.view)
  let theme = Theme(monochrome: model.monochrome)
  if layout.isTooSmall {
    drawTooSmall(&canvas, model.size)
    return canvas
  }
  switch model.screen {
  case .picker: drawPicker(&canvas, model, layout, theme)
  case .document: drawDocument(&canvas, model, layout, theme)
  }
  switch model.overlay {
  case .help: drawHelp(&canvas, model, theme)
  case .compare: drawCompare(&canvas, model, theme)
  case .confirm(let confirmation): drawConfirm(&canvas, model, confirmation, theme)
  case .password(let prompt): drawPasswordPrompt(&canvas, prompt, model.size, theme)
  case nil: break
  }
  return canvas
}

private func drawTooSmall(_ canvas: inout Canvas, _ size: Size) {
  let minimum = Model.minimumSize
  let lines = [
    "terminal too small", "\(size.width)×\(size.height), need \(minimum.width)×\(minimum.height)",
  ]
  for (index, line) in lines.enumerated() {
    let row = size.height / 2 - 1 + index
    let text = TextWrap.truncate(line, width: size.width)
    canvas.write(
      text, x: max(0, (size.width - DisplayWidth.of(text)) / 2), y: row,
      style: Style(bold: index == 0))
  }
}

/// The document screen: header, page list, text pane, stats bar and key hints.
private func drawDocument(_ canvas: inout Canvas, _ model: Model, _ layout: Layout, _ theme: Theme)
{
  guard let document = model.document else { return }
  drawHeader(
    &canvas, model,
    title: "\(document.name) — \(document.pages.count) page\(document.pages.count == 1 ? "" : "s")",
    layout, theme)
  if layout.pageList.width > 0 { drawPageList(&canvas, model, document, layout.pageList, theme) }
  for row in 0..<layout.separator.height where layout.separator.width > 0 {
    canvas.write("│", x: layout.separator.x, y: layout.separator.y + row, style: theme.dim)
  }
  drawImagePane(&canvas, model, document, layout, theme)
  if layout.textPane.width > 0 { drawTextPane(&canvas, model, document, layout, theme) }
  drawStatsBar(&canvas, model, document, layout.statsBar, theme)
  drawHints(&canvas, model, layout.hintBar, theme, hints: documentHints)
}

let documentHints =
  "?:help m:mode v:page M:render /:find y:copy r:re-run s:save t:compare e:engine K:check q:quit"
let pickerHints = "Enter:open Backspace:up /:filter .:hidden a:all files ?:help q:quit"

/// Title on the left; the engine in use (and why), then the mode badge, on the right.
func drawHeader(
  _ canvas: inout Canvas, _ model: Model, title: String, _ layout: Layout, _ theme: Theme
) {
  // Checking (`K`) is on: said beside the mode, with how far it has come, as long as it lasts.
  let badge = " \(model.mode.rawValue.uppercased())\(checkProgress(model)) "
  let width = layout.header.width
  var used = canvas.write(" ocrview ", x: 0, y: 0, style: theme.title)
  used += canvas.write(
    TextWrap.truncate(title, width: max(0, width - used - badge.count - 1)), x: used, y: 0)
  // The adaptive in-flight limit is never cut off: the engine text gives way.
  let inFlight = inFlightText(model)
  let engineRoom = width - badge.count - 2 - (used + 2) - DisplayWidth.of(inFlight)
  if engineRoom > 8 {
    let shown = TextWrap.truncate(engineText(model.engine), width: engineRoom) + inFlight
    let failed = if case .failed = model.engine.status { true } else { false }
    canvas.write(
      shown, x: width - badge.count - 2 - DisplayWidth.of(shown), y: 0,
      style: failed ? theme.error : theme.dim)
  }
  canvas.write(badge, x: width - badge.count, y: 0, style: theme.badge)
}

/// While checking (`K`): how many pages the check has judged of those it will judge (every
/// page read or still to read), " · checked 40/137"; " · CHECK" with no document open.
func checkProgress(_ model: Model) -> String {
  guard model.checking else { return "" }
  guard let pages = model.document?.pages else { return " · CHECK" }
  let judged = pages.filter { page in
    switch page.check {
    case .checked?, .unchecked?: true
    case .pending?, nil: false
    }
  }
  let due = pages.filter { $0.progress == .done || $0.progress.isComing }
  return " · checked \(judged.count)/\(due.count)"
}

/// The engine as the header names it: while probing, the one in use, or why there is none.
func engineText(_ engine: EngineState) -> String {
  switch engine.status {
  case .probing:
    return "probing…"
  case .switching(let kind):
    return kind == .server ? "switching to the server…" : "switching to the built-in engine…"
  case .failed(let reason):
    return "no engine: \(reason)"
  case .ready:
    guard let info = engine.info else { return "" }
    // The built-in engine's reason names it ("no server at … — using built-in Tesseract"),
    // and a loading server's says so.
    if info.kind == .builtIn || info.serverLoading { return info.reason }
    // Skipped certificate checks are shown, never silent.
    return info.label + (info.profile.map { " · " + $0 } ?? "")
      + (info.insecure ? " · TLS NOT VERIFIED (--insecure)" : "")
  }
}

/// The adaptive in-flight limit of the open document's run, after the engine: " · ×12" (pages
/// in flight now, for a server without `/props` slots).
func inFlightText(_ model: Model) -> String {
  guard model.engine.status == .ready, let limit = model.document?.inFlightLimit else {
    return ""
  }
  return " · ×\(limit)"
}

/// The bottom line: the latest message, else the key hints.
func drawHints(_ canvas: inout Canvas, _ model: Model, _ rect: Rect, _ theme: Theme, hints: String)
{
  if let search = model.search, search.isTyping, model.screen == .document {
    canvas.write(
      TextWrap.truncate("/" + search.query + "▏  Enter: find · Esc: cancel", width: rect.width),
      x: rect.x, y: rect.y, style: theme.title)
  } else if let message = model.message {
    canvas.write(
      TextWrap.truncate(message.text, width: rect.width), x: rect.x, y: rect.y,
      style: message.isError ? theme.error : theme.title)
  } else {
    canvas.write(
      TextWrap.truncate(hints, width: rect.width), x: rect.x, y: rect.y, style: theme.dim)
  }
}

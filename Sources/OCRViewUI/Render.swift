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
    &canvas, model, title: document.name,
    detail: " — \(document.pages.count) page\(document.pages.count == 1 ? "" : "s")", layout, theme)
  if layout.pageList.width > 0 { drawPageList(&canvas, model, document, layout.pageList, theme) }
  for row in 0..<layout.separator.height where layout.separator.width > 0 {
    canvas.write("│", x: layout.separator.x, y: layout.separator.y + row, style: theme.dim)
  }
  drawImagePane(&canvas, model, document, layout, theme)
  if layout.textPane.width > 0 { drawTextPane(&canvas, model, document, layout, theme) }
  drawStatsBar(&canvas, model, document, layout.statsBar, theme)
  drawHints(&canvas, model, layout.hintBar, theme, hints: KeyTable.documentHints)
}

/// Title on the left; the engine in use (and why), then the mode badge, on the right. Too
/// narrow for all of it, the least important parts give way whole (`HeaderPart.rank`): the
/// image size, grounding and the page count (the stats bar says "page 1/3") first, then the
/// server's address, before the model's name, which is never cut; the document's name is cut
/// last.
func drawHeader(
  _ canvas: inout Canvas, _ model: Model, title: String, detail: String = "", _ layout: Layout,
  _ theme: Theme
) {
  // Checking (`K`) is on: said beside the mode, with how far it has come, as long as it lasts.
  let badge = " \(model.mode.rawValue.uppercased())\(checkProgress(model)) "
  let width = layout.header.width
  let used = canvas.write(" ocrview ", x: 0, y: 0, style: theme.title)
  var (title, engine) = fitHeader(
    title: [HeaderPart(title, rank: .max)] + (detail.isEmpty ? [] : [HeaderPart(detail, rank: 2)]),
    engine: engineParts(model),
    room: max(0, width - used - badge.count - 2))
  title = TextWrap.truncate(title, width: max(0, width - used - badge.count - 1))
  canvas.write(title, x: used, y: 0)
  if !engine.isEmpty {
    let failed =
      if case .failed = model.engine.status { true } else { model.engine.outage != nil }
    canvas.write(
      engine, x: width - badge.count - 2 - DisplayWidth.of(engine), y: 0,
      style: failed ? theme.error : theme.dim)
  }
  canvas.write(badge, x: width - badge.count, y: 0, style: theme.badge)
}

/// A piece of the header: the higher its rank the longer it stays; a `cuttable` one (a
/// sentence, no figure in it) is cut to fit rather than left out while 9 columns are left.
struct HeaderPart: Equatable {
  var text: String
  var rank: Int
  var cuttable = false

  init(_ text: String, rank: Int, cuttable: Bool = false) {
    self.text = text
    self.rank = rank
    self.cuttable = cuttable
  }
}

/// The title and the engine text that fit `room` columns together (two apart): the lowest
/// ranked parts go first, the later of equal ones first.
func fitHeader(title: [HeaderPart], engine: [HeaderPart], room: Int) -> (String, String) {
  var title = title
  var engine = engine
  func text(_ parts: [HeaderPart], _ separator: String) -> String {
    parts.map(\.text).joined(separator: separator)
  }
  func total() -> Int {
    let engineWidth = DisplayWidth.of(text(engine, " · "))
    return DisplayWidth.of(text(title, "")) + (engine.isEmpty ? 0 : 2 + engineWidth)
  }
  while total() > room {
    let candidates =
      title.indices.filter { title[$0].rank < .max }.map { (0, $0, title[$0]) }
      + engine.indices.map { (1, $0, engine[$0]) }
    // The lowest rank; of equal ones, the later.
    guard let (group, index, part) = candidates.reversed().min(by: { $0.2.rank < $1.2.rank })
    else { break }
    let left = room - (total() - DisplayWidth.of(part.text))
    if part.cuttable, left >= 9 {
      engine[index].text = TextWrap.truncate(part.text, width: left)
      break
    }
    if group == 0 { title.remove(at: index) } else { engine.remove(at: index) }
  }
  return (text(title, ""), text(engine, " · "))
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
  engineParts(engine).map(\.text).joined(separator: " · ")
}

/// The engine's parts for the header, with the adaptive in-flight limit of the open
/// document's run (" · ×12": pages in flight now, for a server without `/props` slots) and
/// what the server reports of its load (" · server 12/12 busy, 0 waiting"; a pool's added up,
/// then each server's: " · servers 12/14 busy, 2 waiting · each 6/6+2 · 6/8").
func engineParts(_ model: Model) -> [HeaderPart] {
  var parts = engineParts(model.engine)
  if model.engine.status == .ready, let limit = model.document?.inFlightLimit {
    parts.append(HeaderPart("×\(limit)", rank: 3))
  }
  if model.engine.status == .ready, let load = model.document?.serverLoad {
    // Dropped before the engine's name when the header is short; the note first.
    parts.append(HeaderPart("server\(load.servers.isEmpty ? "" : "s") \(load.summary())", rank: 2))
    // A pool's servers one by one: the first thing left out of a short header.
    if let each = load.perServer { parts.append(HeaderPart("each " + each, rank: 0)) }
    // A page's time to first token then counts its wait in the server's queue.
    if (load.waiting ?? 0) > 0 { parts.append(HeaderPart("TTFT includes queueing", rank: 1)) }
  }
  return parts
}

/// The engine's parts: a sentence while probing, switching, failed, loading or built in (cut
/// to fit); a server's address, model name, image size and grounding, each left out whole.
func engineParts(_ engine: EngineState) -> [HeaderPart] {
  let sentence = { (text: String) in [HeaderPart(text, rank: 1, cuttable: true)] }
  switch engine.status {
  case .probing:
    return sentence(
      engine.loadingServer.map { "waiting for the model to load at \($0)…" } ?? "probing…")
  case .switching(let kind):
    return sentence(
      kind == .server ? "switching to the server…" : "switching to the built-in engine…")
  case .failed(let reason):
    return sentence("no engine: \(reason)")
  case .ready:
    guard let info = engine.info else { return [] }
    // A server in trouble says so first: every screen shows the header.
    if let outage = engine.outage, info.kind == .server { return sentence("⚠ " + outage) }
    // The built-in engine's reason names it ("no server at … — using built-in Tesseract"),
    // and a loading server's says so.
    if info.kind == .builtIn || info.serverLoading { return sentence(info.reason) }
    // The profile: the model's name first, then the image size and grounding.
    let profile = (info.profile ?? "").split(separator: " · ").map(String.init)
    // Which server, before the page count: with an unknown model it is all that names it.
    var parts = [HeaderPart(info.label, rank: 3)]
    for (index, part) in profile.enumerated() {
      parts.append(HeaderPart(part, rank: index == 0 ? 4 : part.hasSuffix(" px") ? 0 : 2))
    }
    // Skipped certificate checks are shown, never silent.
    if info.insecure { parts.append(HeaderPart("TLS NOT VERIFIED (--insecure)", rank: 5)) }
    return parts
  }
}

/// The bottom line: the latest message, else the key hints.
func drawHints(
  _ canvas: inout Canvas, _ model: Model, _ rect: Rect, _ theme: Theme, hints: [KeyHint]
) {
  if let search = model.search, search.isTyping, model.screen == .document {
    canvas.write(
      TextWrap.truncate("/" + search.query + "▏  Enter: find · Esc: cancel", width: rect.width),
      x: rect.x, y: rect.y, style: theme.title)
  } else if let message = model.message {
    canvas.write(
      TextWrap.truncate(message.text, width: rect.width), x: rect.x, y: rect.y,
      style: message.isError ? theme.error : theme.title)
  } else {
    canvas.write(hintLine(hints, width: rect.width), x: rect.x, y: rect.y, style: theme.dim)
  }
}

/// The key hints, then `?`: where the line is too narrow for all of them the lowest ranked
/// give way to "… ?:all keys", so it always ends saying where the rest are.
func hintLine(_ hints: [KeyHint], width: Int) -> String {
  let all = (hints.map(\.text) + ["?:help"]).joined(separator: " ")
  guard DisplayWidth.of(all) > width else { return all }
  var kept = hints
  let more = "… ?:all keys"
  func line() -> String { (kept.map(\.text) + [more]).joined(separator: " ") }
  while DisplayWidth.of(line()) > width,
    let lowest = kept.indices.reversed().min(by: { kept[$0].rank < kept[$1].rank })
  {
    kept.remove(at: lowest)
  }
  return TextWrap.truncate(line(), width: width)
}

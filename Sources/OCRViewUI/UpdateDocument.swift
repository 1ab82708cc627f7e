import OCRKit

/// Keys of the document screen: the commands first (any pane), then the keys of the pane that
/// has the focus — the page list selects pages, the text pane scrolls, a zoomed page image pans.
func documentKey(_ model: inout Model, _ key: Key) -> [Effect] {
  guard model.document != nil else { return [] }
  if let effects = commandKey(&model, key) { return effects }
  if pageImageKey(&model, key) { return [] }
  let pane = TextPaneSize(model)
  let screen = Layout(model.size, view: model.view).textRows
  switch model.focus {
  case .pages: pagesKey(&model, key, pane, screen: screen)
  case .text: textKey(&model, key, pane, screen: screen)
  case .image where model.isPanning: panKey(&model, key, pane, screen: screen)
  case .image: pagesKey(&model, key, pane, screen: screen)  // unzoomed, j and k turn pages
  }
  return []
}

extension Model {
  /// On a zoomed page image, the arrows and hjkl move over the page.
  var isPanning: Bool { view != .text && pagePane.zoom > 1 }
}

/// The page list: j k g G choose the page, Enter goes into its text (or image).
private func pagesKey(_ model: inout Model, _ key: Key, _ pane: TextPaneSize, screen: Int) {
  guard let selected = model.document?.selected else { return }
  switch key {
  case .enter: model.focus = model.view == .page ? .image : .text
  case .down, .character("j"): model.document?.select(selected + 1)
  case .up, .character("k"): model.document?.select(selected - 1)
  case .character("g"): model.document?.select(1)
  case .character("G"): model.document?.select(Int.max)
  default: readingKey(&model, key, pane, screen: screen)
  }
}

/// The text pane: j k move a line, g G to the first and last.
private func textKey(_ model: inout Model, _ key: Key, _ pane: TextPaneSize, screen: Int) {
  switch key {
  case .down, .character("j"): model.document?.scroll(by: 1, pane)
  case .up, .character("k"): model.document?.scroll(by: -1, pane)
  case .character("g"): model.document?.scroll(to: 0, pane)
  case .character("G"): model.document?.scrollToEnd(pane)
  default: readingKey(&model, key, pane, screen: screen)
  }
}

/// A zoomed page image: up and down (j k) pan it; left and right are `pageImageKey`'s.
private func panKey(_ model: inout Model, _ key: Key, _ pane: TextPaneSize, screen: Int) {
  switch key {
  case .down, .character("j"): model.pagePane.pan(y: 1)
  case .up, .character("k"): model.pagePane.pan(y: -1)
  case .character("g"), .character("G"): textKey(&model, key, pane, screen: screen)
  default: readingKey(&model, key, pane, screen: screen)
  }
}

/// Keys that read the text in any pane, as less and vim have them: a screen, half a screen,
/// the first and last lines, `f` to follow the growing end.
private func readingKey(_ model: inout Model, _ key: Key, _ pane: TextPaneSize, screen: Int) {
  let half = max(1, screen / 2)
  switch key {
  case .pageDown, .character(" "), .control("f"): model.document?.scroll(by: screen, pane)
  case .pageUp, .character("b"), .control("b"): model.document?.scroll(by: -screen, pane)
  case .control("d"): model.document?.scroll(by: half, pane)
  case .control("u"): model.document?.scroll(by: -half, pane)
  case .home: model.document?.scroll(to: 0, pane)
  case .end, .character("f"): model.document?.scrollToEnd(pane)
  default: break
  }
}

/// The page image's zoom (+ -) in any pane, and left/right panning once zoomed; false for any
/// other key.
private func pageImageKey(_ model: inout Model, _ key: Key) -> Bool {
  switch key {
  case .character("+"), .character("="): model.pagePane.zoom(by: 1)
  case .character("-"): model.pagePane.zoom(by: -1)
  case .left, .character("h"), .right, .character("l"):
    if model.isPanning { model.pagePane.pan(x: key == .left || key == .character("h") ? -1 : 1) }
  default: return false
  }
  return true
}

/// The document screen's commands, the same in every pane; nil for a key that is not one.
private func commandKey(_ model: inout Model, _ key: Key) -> [Effect]? {
  switch key {
  case .tab, .backTab:
    let order = focusOrder(model.view)
    let index = order.firstIndex(of: model.focus) ?? 0
    model.focus = order[(index + (key == .tab ? 1 : order.count - 1)) % order.count]
  case .character("v"):
    model.view = model.view.next
    if !focusOrder(model.view).contains(model.focus) { model.focus = .pages }
  case .character("M"): toggleRendered(&model)
  case .character("["), .character("]"): selectBlock(&model, by: key == .character("]") ? 1 : -1)
  case .escape where model.search != nil: model.search = nil
  case .escape:
    model.screen = .picker
    pointPickerAtDocument(&model)
  case .character("/"): model.search = SearchState()
  case .character("n") where model.search != nil, .character("N") where model.search != nil:
    jumpToMatch(&model, forward: key == .character("n"))
  case .character("t"): model.overlay = .compare
  case .character("?"): openHelp(&model)
  case .character("R"): model.overlay = .confirm(.readAllAgain)
  case .character("!"): nextToReview(&model)
  default: return runKey(&model, key)
  }
  return []
}

/// Commands that start, stop or change runs, or hand text out; nil for a key that is not one.
private func runKey(_ model: inout Model, _ key: Key) -> [Effect]? {
  guard let document = model.document else { return nil }
  switch key {
  case .character("m"): return toggleMode(&model)
  case .character("r"): return startRun(&model, pages: [document.selected], journal: .readAgain)
  case .character("F"): return readFailedAgain(&model)
  case .character("c"): return cancelRest(&model)
  case .character("s"): return save(&model)
  case .character("P"): return saveSearchablePDF(&model)
  case .character("y"), .character("Y"): return copy(&model, whole: key == .character("Y"))
  case .character("e"): return switchEngine(&model)
  case .character("B"): return toggleGrounding(&model)
  case .character("K"): return toggleChecking(&model)
  case .character("q"): return quit(&model, confirm: true)
  default: return nil
  }
}

/// `!`: the next page after the selected one whose verdict is `review` or `flagged`, from the
/// first again after the last.
private func nextToReview(_ model: inout Model) {
  guard let document = model.document else { return }
  let count = document.pages.count
  let next = (1...count).lazy.map { (document.selected - 1 + $0) % count }
    .first { (document.pages[$0].verdict?.level ?? .ok) != .ok }
  guard let next else {
    model.message = Model.Message("no page needs a look: every page read is ok")
    return
  }
  model.document?.select(next + 1)
  let verdict = document.pages[next].verdict!
  model.message = Model.Message(
    "page \(next + 1): \(verdict.level.rawValue) — \(verdict.reasons.first?.label ?? "")")
}

/// `M`: the text rendered (tables, math) or raw.
private func toggleRendered(_ model: inout Model) {
  model.rendered.toggle()
  model.message = Model.Message(
    model.rendered
      ? "rendered Markdown (tables, math) — M shows the raw text; saving keeps the raw text"
      : "raw text, as the model wrote it — M renders it")
}

/// `m`: stream or batch for the pages not yet sent.
private func toggleMode(_ model: inout Model) -> [Effect] {
  model.mode = model.mode == .stream ? .batch : .stream
  model.message = Model.Message(
    "mode: \(model.mode.rawValue.uppercased()) — pages not yet sent go in \(model.mode.rawValue) mode (r re-reads this one)"
  )
  return [.setMode(model.mode)]
}

/// `F`: the failed pages only; what is done stays done (and in the journal).
private func readFailedAgain(_ model: inout Model) -> [Effect] {
  let failed = model.document?.pages.filter { $0.progress == .failed }.map(\.number) ?? []
  guard !failed.isEmpty else {
    model.message = Model.Message("no failed pages to read again")
    return []
  }
  let effects = startRun(&model, pages: failed, journal: .readAgain)
  model.message = Model.Message(
    "reading \(failed.count) failed page\(failed.count == 1 ? "" : "s") again")
  return effects
}

/// `y` (the page) and `Y` (the transcript) to the clipboard, within what OSC 52 carries.
private func copy(_ model: inout Model, whole: Bool) -> [Effect] {
  guard let document = model.document else { return [] }
  let text =
    whole
    ? transcript(of: document, grounding: model.engine.info?.grounding ?? false)
    : document.selectedPage.text
  guard !text.isEmpty else {
    model.message = Model.Message("nothing to copy yet", isError: true)
    return []
  }
  let what = whole ? "the transcript" : "page \(document.selected)"
  guard text.utf8.count <= clipboardLimit else {
    model.message = Model.Message(
      "\(what) is over \(byteCount(Int64(clipboardLimit))), too big for the clipboard "
        + "(OSC 52): s saves it to a file",
      isError: true)
    return []
  }
  model.message = Model.Message("copied \(text.count) characters (\(what)) to the clipboard")
  return [.copyToClipboard(text)]
}

/// `e`: the other engine for runs started from now on. A start that found no engine (the
/// built-in one failed to start) tries the servers.
private func switchEngine(_ model: inout Model) -> [Effect] {
  let target: EngineKind
  switch model.engine.status {
  case .probing, .switching:
    model.message = Model.Message("still choosing the engine — a moment")
    return []
  case .failed:
    target = .server
  case .ready:
    target = model.engine.info?.kind == .server ? .builtIn : .server
  }
  model.engine.status = .switching(to: target)
  return [.switchEngine(to: target)]
}

/// `B`: grounding mode on or off for runs started from now on, where the served model has one
/// (LightOnOCR-3): the server engine is made again with or without it.
private func toggleGrounding(_ model: inout Model) -> [Effect] {
  guard model.engine.status == .ready, let info = model.engine.info else {
    model.message = Model.Message("still choosing the engine — a moment")
    return []
  }
  guard info.kind == .server, info.groundingAvailable else {
    model.message = Model.Message(
      "grounding needs a model that has it (LightOnOCR-3); this engine has none", isError: true)
    return []
  }
  model.engine.status = .switching(to: .server)
  model.message = Model.Message(
    "grounding \(info.grounding ? "off" : "on") for pages read from now on (r, R)")
  return [.switchEngine(to: .server, grounding: !info.grounding)]
}

/// `K`: check every page a server reads against the built-in engine, in the background —
/// pages already finished too — or stop checking.
private func toggleChecking(_ model: inout Model) -> [Effect] {
  guard !model.checking else {
    model.checking = false
    model.message = Model.Message("checking stopped — K checks again")
    model.document?.dropPendingChecks()
    return [.stopChecking]
  }
  if let kind = model.engine.info?.kind, let refusal = CheckUnavailable.refusal(for: kind) {
    model.message = Model.Message(refusal.said(by: "K"), isError: true)
    return []
  }
  model.checking = true
  model.message = Model.Message(
    "checking pages against the built-in engine in the background — K stops")
  return checkFinishedPages(&model)
}

/// Asks for the check of every finished page not checked yet, when checking (which is never
/// on with the built-in engine: `K` and `.engineSelected` see to it; a page the built-in
/// engine read comes back unchecked, saying why).
func checkFinishedPages(_ model: inout Model, only: Int? = nil) -> [Effect] {
  guard model.checking, var document = model.document else { return [] }
  var requests: [CheckRequest] = []
  for index in document.pages.indices {
    let page = document.pages[index]
    let unchecked =
      switch page.check {
      case nil, .unchecked?: true
      case .pending?, .checked?: false
      }
    guard only.map({ $0 == page.number }) ?? true, page.progress == .done, unchecked else {
      continue
    }
    document.pages[index].check = .pending
    requests.append(CheckRequest(page: page.number, run: page.run, text: page.text))
  }
  model.document = document
  guard !requests.isEmpty else { return [] }
  return [.checkPages(document: document.id, requests)]
}

/// The panes Tab visits, in order, for a view.
private func focusOrder(_ view: DocumentView) -> [Model.Focus] {
  switch view {
  case .text: [.pages, .text]
  case .pageAndText: [.pages, .text, .image]
  case .page: [.pages, .image]
  }
}

/// The most UTF-8 bytes `y`/`Y` put on the clipboard: 750 KB. OSC 52 carries them as base64
/// (4 bytes for every 3), and tmux drops any escape string of 1 MiB or more
/// (`INPUT_BUF_LIMIT 1048576` in its `input.c`) without a word: 768,000 bytes are 1,024,000
/// of base64, under it with room for the `52;c;` prefix. Larger text is refused with a
/// message that says `s` saves it.
let clipboardLimit = 750 * 1024

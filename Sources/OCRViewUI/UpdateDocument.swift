import OCRKit

/// Keys of the document screen (page list, text pane).
func documentKey(_ model: inout Model, _ key: Key) -> [Effect] {
  guard var document = model.document else { return [] }
  defer { if model.document != nil { model.document = document } }
  let layout = Layout(model.size, view: model.view)
  let pane = TextPaneSize(model)
  // On a zoomed image, the arrows and hjkl move over the page; unzoomed, j and k still turn
  // pages.
  let panning = model.view != .text && model.pagePane.zoom > 1
  let onPages = model.focus == .pages || (model.focus == .image && !panning)
  switch key {
  case .tab, .backTab:
    let order = focusOrder(model.view)
    let index = order.firstIndex(of: model.focus) ?? 0
    model.focus = order[(index + (key == .tab ? 1 : order.count - 1)) % order.count]
  case .enter where onPages:
    model.focus = model.view == .page ? .image : .text
  case .character("M"):
    model.rendered.toggle()
    model.message = Model.Message(
      model.rendered
        ? "rendered Markdown (tables, math) — M shows the raw text; saving keeps the raw text"
        : "raw text, as the model wrote it — M renders it")
  case .character("v"):
    model.view = model.view.next
    if !focusOrder(model.view).contains(model.focus) { model.focus = .pages }
  case .character("["), .character("]"):
    model.document = document
    selectBlock(&model, by: key == .character("]") ? 1 : -1)
    document = model.document!
  case .character("+"), .character("="):
    model.pagePane.zoom(by: 1)
  case .character("-"):
    model.pagePane.zoom(by: -1)
  case .left, .character("h"), .right, .character("l"):
    if panning {
      model.pagePane.pan(x: key == .left || key == .character("h") ? -1 : 1)
    }
  case .down where model.focus == .image && panning,
    .character("j") where model.focus == .image && panning:
    model.pagePane.pan(y: 1)
  case .up where model.focus == .image && panning,
    .character("k") where model.focus == .image && panning:
    model.pagePane.pan(y: -1)
  case .down, .character("j"):
    if onPages {
      select(&document, document.selected + 1)
    } else {
      scroll(&document, by: 1, pane)
    }
  case .up, .character("k"):
    if onPages {
      select(&document, document.selected - 1)
    } else {
      scroll(&document, by: -1, pane)
    }
  case .character("g"):
    if onPages { select(&document, 1) } else { scroll(&document, to: 0, pane) }
  case .character("G"):
    if onPages { select(&document, document.pages.count) } else { scrollToEnd(&document, pane) }
  // less and vim: a screen, half a screen, back.
  case .pageDown, .character(" "), .control("f"):
    scroll(&document, by: layout.textRows, pane)
  case .pageUp, .character("b"), .control("b"):
    scroll(&document, by: -layout.textRows, pane)
  case .control("d"), .control("u"):
    let half = max(1, layout.textRows / 2)
    scroll(&document, by: key == .control("d") ? half : -half, pane)
  case .home:
    scroll(&document, to: 0, pane)
  case .end, .character("f"):
    scrollToEnd(&document, pane)
  case .escape where model.search != nil:
    model.search = nil
  case .escape:
    model.screen = .picker
    pointPickerAtDocument(&model)
  case .character("/"):
    model.search = SearchState()
  case .character("n") where model.search != nil, .character("N") where model.search != nil:
    model.document = document
    jumpToMatch(&model, forward: key == .character("n"))
    document = model.document!
  case .character("m"):
    model.mode = model.mode == .stream ? .batch : .stream
    model.message = Model.Message(
      "mode: \(model.mode.rawValue.uppercased()) — pages not yet sent go in \(model.mode.rawValue) mode (r re-reads this one)"
    )
    return [.setMode(model.mode)]
  case .character("r"):
    model.document = document
    let effects = startRun(&model, pages: [document.selected], journal: .readAgain)
    document = model.document!
    return effects
  case .character("F"):
    // Failed pages only; what is done stays done (and in the journal).
    let failed = document.pages.filter { $0.progress == .failed }.map(\.number)
    guard !failed.isEmpty else {
      model.message = Model.Message("no failed pages to read again")
      return []
    }
    model.document = document
    let effects = startRun(&model, pages: failed, journal: .readAgain)
    document = model.document!
    model.message = Model.Message(
      "reading \(failed.count) failed page\(failed.count == 1 ? "" : "s") again")
    return effects
  case .character("R"):
    model.overlay = .confirm(.readAllAgain)
  case .character("c"):
    model.document = document
    let effects = cancelRest(&model)
    document = model.document!
    return effects
  case .character("s"):
    model.document = document
    let effects = save(&model)
    document = model.document!
    return effects
  case .character("y"), .character("Y"):
    let whole = key == .character("Y")
    let text =
      whole
      ? transcript(of: document, grounding: model.engine.info?.grounding ?? false)
      : document.selectedPage.text
    guard !text.isEmpty else {
      model.message = Model.Message("nothing to copy yet", isError: true)
      return []
    }
    let size = text.utf8.count
    guard size <= clipboardLimit else {
      model.message = Model.Message(
        "\(whole ? "the transcript" : "page \(document.selected)") is over "
          + "\(byteCount(Int64(clipboardLimit))), too big for the clipboard (OSC 52): "
          + "s saves it to a file",
        isError: true)
      return []
    }
    model.message = Model.Message(
      "copied \(text.count) characters (\(whole ? "the transcript" : "page \(document.selected)")) to the clipboard"
    )
    return [.copyToClipboard(text)]
  case .character("t"):
    model.overlay = .compare
  case .character("?"):
    openHelp(&model)
  case .character("e"):
    return switchEngine(&model)
  case .character("B"):
    return toggleGrounding(&model)
  case .character("K"):
    model.document = document
    let effects = toggleChecking(&model)
    document = model.document!
    return effects
  case .character("q"):
    model.document = document
    return quit(&model, confirm: true)
  default:
    break
  }
  return []
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
    for index in model.document?.pages.indices ?? 0..<0
    where model.document?.pages[index].check == .pending {
      model.document?.pages[index].check = nil
    }
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

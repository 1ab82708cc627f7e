import OCRKit

/// The one function that changes the model. Pure: it performs no I/O, it returns effects
/// for the runtime to perform, whose results come back as events.
public func update(_ model: inout Model, _ event: Event) -> [Effect] {
  let effects = apply(event, to: &model)
  model.document?.settleReadingClock(at: model.now)
  // Whatever changed (page, view, size, zoom), the page pane asks for the image it now shows.
  return effects + requestPageImage(&model)
}

private func apply(_ event: Event, to model: inout Model) -> [Effect] {
  switch event {
  case .key(let key):
    if key == .control("c") { return quit(&model, confirm: false) }
    if model.overlay != nil { return overlayKey(&model, key) }
    model.message = nil
    if model.screen == .document, let effects = searchKey(&model, key) { return effects }
    return model.screen == .picker ? pickerKey(&model, key) : documentKey(&model, key)
  case .resize(let size):
    model.size = size
    clampScroll(&model)
    return []
  case .tick(let now):
    model.now = now
    return []
  case .run(let runEvent, let run):
    apply(runEvent, run: run, to: &model)
    // A page a server has just read is checked, when checking.
    guard case .pageFinished(let page, _, _) = runEvent else { return [] }
    return checkFinishedPages(&model, only: page)
  case .pageChecked(let id, let number, let run, let result):
    guard var document = model.document, document.id == id,
      document.pages.indices.contains(number - 1)
    else { return [] }
    let page = document.pages[number - 1]
    // Only the reading it was asked for, still waiting (not re-run, not stopped since).
    guard page.run == run, page.check == .pending, page.progress == .done else { return [] }
    switch result {
    case .success(let check): document.pages[number - 1].check = .checked(check)
    case .failure(let failure): document.pages[number - 1].check = .unchecked(failure.description)
    }
    model.document = document
    return []
  case .checkUnavailable(let message):
    model.checking = false
    model.document?.dropPendingChecks()
    model.message = Model.Message(message, isError: true)
    return []
  case .directoryListed(let path, let entries):
    guard path == model.picker.directory else { return [] }
    model.picker.entries = entries
    model.picker.isLoading = false
    model.picker.error = nil
    let name = model.picker.remembered[path]
    model.picker.cursor = model.picker.visible.firstIndex { $0.name == name } ?? 0
    return []
  case .directoryFailed(let path, let message):
    guard path == model.picker.directory else { return [] }
    model.picker.entries = [PickerEntry(name: "..", kind: .directory)]
    model.picker.isLoading = false
    model.picker.error = message
    return []
  case .documentOpened(let id, let path, let pageCount):
    guard model.opening?.id == id else { return [] }
    model.opening = nil
    model.document = DocumentState(id: id, path: path, pageCount: pageCount, openedAt: model.now)
    model.screen = .document
    model.focus = .pages
    return [.cancelRuns] + startRun(&model, pages: Array(1...max(1, pageCount)), journal: .restore)
  case .documentNeedsPassword(let id, let path, let wrong):
    guard model.opening?.id == id else { return [] }
    model.overlay = .password(Model.PasswordPrompt(path: path, wrong: wrong))
    return []
  case .documentFailed(let id, _, let message):
    guard model.opening?.id == id else { return [] }
    model.opening = nil
    model.message = Model.Message(message, isError: true)
    return []
  case .saved(let path):
    saved(&model, at: path)
    return []
  case .pageImageReady(let key, let image):
    model.pagePane.store(image, for: key)
    return []
  case .pageImageFailed(let key, let message):
    model.pagePane.store(.failed(message), for: key)
    return []
  case .saveFailed(let message):
    saveFailed(&model)
    model.message = Model.Message(message, isError: true)
    return []
  case .searchablePDFSaved(let path, let missing, let kept):
    searchablePDFSaved(&model, at: path, without: missing, kept: kept)
    return []
  case .searchablePDFFailed(let message):
    searchablePDFFailed(&model, message)
    return []
  case .journalUnavailable(let message):
    model.message = Model.Message(message, isError: true)
    return []
  case .serverLoading(let url):
    model.engine.loadingServer = url
    return []
  case .engineSelected(let info):
    model.engine.loadingServer = nil
    model.engine.status = .ready
    model.engine.info = info
    if model.checking, let refusal = CheckUnavailable.refusal(for: info.kind) {
      model.checking = false
      model.message = Model.Message(refusal.description)
    }
    return startPendingRun(&model)
  case .engineFailed(let message):
    model.engine.loadingServer = nil
    if case .switching = model.engine.status, model.engine.info != nil {
      // `e` failed: the engine in use stays.
      model.engine.status = .ready
      model.message = Model.Message(message, isError: true)
    } else {
      model.engine.status = .failed(message)
    }
    return startPendingRun(&model)
  }
}

/// The run the document waited for while the engine was being chosen, now that it is (or
/// that none could be).
private func startPendingRun(_ model: inout Model) -> [Effect] {
  guard let pending = model.document?.pendingRun else { return [] }
  model.document?.pendingRun = nil
  return startRun(&model, pages: pending.pages, journal: pending.journal)
}

/// What to do first: pick the engine, list the directory, and open the file named on the
/// command line (its run waits for the engine). Nothing here waits: the first frame is drawn
/// while the servers are probed.
public func start(_ model: inout Model, opening path: String?) -> [Effect] {
  var effects: [Effect] = [.selectEngine, .listDirectory(model.picker.directory)]
  if let path { effects.append(open(&model, path)) }
  return effects
}

/// Asks for `path` to be opened as the next open id.
func open(_ model: inout Model, _ path: String, password: String? = nil) -> Effect {
  model.lastOpen += 1
  model.opening = Model.Opening(id: model.lastOpen, path: path)
  return .openDocument(id: model.lastOpen, path: path, password: password)
}

/// Starts a run of `pages` in the current mode with the current engine; those pages now
/// belong to it. While the engine is not known yet the pages wait for it; when no engine
/// could be started they fail with the reason.
func startRun(_ model: inout Model, pages: [Int], journal: JournalUse) -> [Effect] {
  guard var document = model.document else { return [] }
  defer { model.document = document }
  switch model.engine.status {
  case .failed(let reason):
    for page in pages {
      document.pages[page - 1].progress = .failed
      document.pages[page - 1].error = "no OCR engine could be started: \(reason)"
    }
    return []
  case .probing, .switching:
    // The latest request waits, unless one for more pages already does.
    if document.pendingRun.map({ $0.pages.count <= pages.count }) ?? true {
      document.pendingRun = DocumentState.PendingRun(pages: pages, journal: journal)
    }
    return []
  case .ready:
    break
  }
  guard let engine = model.engine.info?.kind else { return [] }
  model.lastRun += 1
  document.inFlightLimit = nil  // the new run says its own, if adaptive
  document.serverLoad = nil
  for page in pages {
    document.pages[page - 1] = document.pages[page - 1].queued(by: model.lastRun)
  }
  if pages.count == document.pages.count {
    // The whole document again: its timings start over.
    document.openedAt = model.now
    document.firstTextAt = nil
    document.readingTime = .zero
    document.readingSince = model.now
  }
  return [
    .startRun(
      run: model.lastRun, document: document.id, pages: pages, mode: model.mode, engine: engine,
      journal: journal)
  ]
}

func quit(_ model: inout Model, confirm: Bool) -> [Effect] {
  if confirm, (model.document?.inFlightCount ?? 0) > 0 {
    model.overlay = .confirm(.quit)
    return []
  }
  model.quitting = true
  return [.cancelRuns, .quit]
}

private func overlayKey(_ model: inout Model, _ key: Key) -> [Effect] {
  if case .password(let prompt) = model.overlay { return passwordKey(&model, prompt, key) }
  switch (model.overlay, key) {
  case (.confirm(let confirmation), .character("y")):
    model.overlay = nil
    return confirmed(&model, confirmation)
  case (.confirm(.quit), .character("q")):
    model.overlay = nil
    return quit(&model, confirm: false)
  case (.confirm, _):
    model.overlay = nil
  case (.help, _) where scrollHelp(&model, key):
    break
  case (.compare, .up), (.compare, .down):
    break
  default:
    model.overlay = nil
  }
  return []
}

/// `?`: the help, from its top.
func openHelp(_ model: inout Model) {
  model.overlay = .help
  model.helpScroll = 0
}

/// Moves over the help as the text pane moves (j k, a screen, first / last); false for any
/// other key, which closes it.
private func scrollHelp(_ model: inout Model, _ key: Key) -> Bool {
  let rows = helpRows(model.size)
  let bottom = max(0, KeyTable.helpLines.count - rows)
  let top: Int
  switch key {
  case .down, .character("j"): top = model.helpScroll + 1
  case .up, .character("k"): top = model.helpScroll - 1
  case .pageDown, .character(" "), .control("f"): top = model.helpScroll + rows
  case .pageUp, .character("b"), .control("b"): top = model.helpScroll - rows
  case .home, .character("g"): top = 0
  case .end, .character("G"): top = bottom
  default: return false
  }
  model.helpScroll = min(max(top, 0), bottom)
  return true
}

/// Typing a password: Enter opens with it, Esc gives up on the document.
private func passwordKey(_ model: inout Model, _ prompt: Model.PasswordPrompt, _ key: Key)
  -> [Effect]
{
  var prompt = prompt
  switch key {
  case .character(let character):
    prompt.typed.append(character)
  case .backspace, .delete:
    if !prompt.typed.isEmpty { prompt.typed.removeLast() }
  case .enter:
    model.overlay = nil
    return [open(&model, prompt.path, password: prompt.typed)]
  case .escape:
    model.overlay = nil
    model.opening = nil
    model.message = Model.Message("\(prompt.path): not opened (it needs its password)")
    return []
  default:
    break
  }
  model.overlay = .password(prompt)
  return []
}

/// Applies a run event to the page it concerns, if that page still belongs to the run.
private func apply(_ event: RunEvent, run: Int, to model: inout Model) {
  guard var document = model.document else { return }
  defer { model.document = document }
  if case .concurrencyChanged(let limit) = event {
    if run == model.lastRun { document.inFlightLimit = limit }
    return
  }
  if case .serverLoad(let load) = event {
    if run == model.lastRun { document.serverLoad = load }
    return
  }
  if case .documentFinished = event { return }
  guard let number = event.page, document.pages.indices.contains(number - 1),
    document.pages[number - 1].run == run
  else { return }
  var page = document.pages[number - 1]
  let streamed = page.progress == .streaming
  switch event {
  case .pageRendering:
    page.progress = .rendering
    page.read = 1
  case .pageStarted(_, let mode):
    page.progress = .waiting
    page.mode = mode
    page.sentAt = model.now
    page.firstTextAt = nil
    // A retry keeps the text received so far on screen until the new attempt's text arrives.
    page.replaceOnText = page.note != nil
    if !page.replaceOnText { page.text = "" }
    page.error = nil
    page.stats = nil
  case .delta(_, let text):
    model.engine.outage = nil  // it answers again
    if page.mode == .stream { page.progress = .streaming }
    if page.replaceOnText {
      page.text = ""
      page.replaceOnText = false
    }
    page.text += text
    if page.firstTextAt == nil { page.firstTextAt = model.now }
    if document.firstTextAt == nil { document.firstTextAt = model.now }
  case .pagePartialRestored(_, let text):
    // Shown until the page's new reading sends text (`replaceOnText` follows the note).
    page.text = text
    page.note = "restored partial text from the journal — reading the page again"
  case .pageRetrying(_, let attempt, let error, let delay):
    noteOutage(error, in: &model)
    page.progress = .waiting
    page.sentAt = model.now
    page.note = "retry \(attempt) in \(StatsText.duration(delay)) — \(error.whileRetrying)"
  case .pageRescuing(_, let attempt, _, let next):
    // The read's text stays on screen until the next read's arrives (`pageStarted`).
    page.read += 1
    page.note = RescueText.rescuing(attempt, next: next)
  case .pageFinished(_, let text, let stats):
    if !stats.restored { model.engine.outage = nil }
    page.progress = .done
    page.read = max(1, stats.attempts.count)
    // One line: why the page was read again, then what is still wrong with the kept read.
    let said = [stats.attempts.rescueSummary, stats.warning].compactMap { $0 }
    page.note =
      said.isEmpty
      ? (stats.restored ? "restored from the journal (R reads it again)" : nil)
      : said.joined(separator: "; ")
    if stats.restored { page.mode = stats.mode }
    page.text = text
    page.stats = stats
    if !stats.restored { page.measured[stats.mode] = stats }  // compare shows this session's
  case .pageFailed(_, let error, let partial, let stats):
    page.progress = error == .cancelled ? .cancelled : .failed
    page.note = nil
    page.text = partial
    page.stats = stats
    page.error = failureLine(error)
    noteOutage(error, in: &model)
  case .documentFinished, .concurrencyChanged, .serverLoad:
    break
  }
  document.pages[number - 1] = page
  if event.endsPage, number == document.selected {
    document.selectedPageEnded(arrivedWhole: !streamed, TextPaneSize(model))
  }
}

/// A server in trouble (rather than refusing one page) is an outage the header shows.
private func noteOutage(_ error: OCRError, in model: inout Model) {
  if case .server(let server) = error, server.isOutage { model.engine.outage = server.problem }
}

/// Why a page failed, with what to do in the viewer's keys rather than the command line's
/// flags: `F` reads the failed pages again once the server is back.
func failureLine(_ error: OCRError) -> String {
  guard case .server(let server) = error else { return error.description }
  switch server {
  case .unreachable:
    return server.problem + " — start the server, then F reads the failed pages again "
      + "(e: the built-in engine)"
  case .http(401, _):
    return server.description + "; then F reads the failed pages again"
  default:
    return server.problem + " — F reads the failed pages again"
  }
}

extension PageState {
  /// The page, reset to wait for a new run; its earlier measurements are kept.
  func queued(by run: Int) -> PageState {
    var page = PageState(number: number)
    page.run = run
    page.measured = measured
    page.text = text
    return page
  }
}

import OCRKit

/// Keys that would lose work ask first (`y` does it, any other key keeps things as they are),
/// and those that act at once say what they did. One overlay, `Model.Overlay.confirm`, serves
/// every question; `drawConfirm` words it.
public enum Confirmation: Sendable, Equatable {
  /// `q` while pages are in flight.
  case quit
  /// Opening `path` while the open document still has pages to read: they are cancelled.
  case open(path: String)
  /// `R`: every page read again from the start, voiding what the journal kept.
  case readAllAgain
}

/// What `y` does to a question.
func confirmed(_ model: inout Model, _ confirmation: Confirmation) -> [Effect] {
  switch confirmation {
  case .quit:
    return quit(&model, confirm: false)
  case .open(let path):
    return [open(&model, path)]
  case .readAllAgain:
    guard let document = model.document else { return [] }
    model.message = Model.Message(
      "reading all \(document.pages.count) pages again — the journal's earlier readings are void")
    return [.cancelRuns]
      + startRun(&model, pages: document.pages.map(\.number), journal: .forget)
  }
}

/// Opens the document at `path` from the picker. The open document itself is gone back to, not
/// read again; another is opened at once unless the open one still has pages to read, which
/// opening cancels: then it asks.
func openDocument(_ model: inout Model, _ path: String) -> [Effect] {
  guard let document = model.document else { return [open(&model, path)] }
  if document.path == path {
    model.screen = .document
    return []
  }
  guard document.pages.contains(where: { $0.progress.isComing }) else {
    return [open(&model, path)]
  }
  model.overlay = .confirm(.open(path: path))
  return []
}

/// `c`: cancels the rest of the document — the pages running and those not started — and
/// says how many of each. A run still waiting for the engine is given up too.
func cancelRest(_ model: inout Model) -> [Effect] {
  guard var document = model.document else { return [] }
  defer { model.document = document }
  let running = document.runningCount
  let waiting = document.pages.filter { $0.progress == .queued }.count
  guard running + waiting > 0 else {
    model.message = Model.Message("nothing to cancel: no page is being read")
    return []
  }
  if document.pendingRun != nil {
    document.pendingRun = nil
    for index in document.pages.indices where document.pages[index].progress == .queued {
      document.pages[index].progress = .cancelled
    }
  }
  let parts = [
    running > 0 ? "\(running) running page\(running == 1 ? "" : "s")" : nil,
    waiting > 0 ? "\(waiting) not started" : nil,
  ].compactMap { $0 }
  model.message = Model.Message(
    "cancelled \(parts.joined(separator: " and ")) — r reads a page again, R the document")
  return [.cancelRuns]
}

/// Back in the picker from a document, the cursor is on that document (where the picker lists
/// its folder), so Enter goes back to it rather than up a folder.
func pointPickerAtDocument(_ model: inout Model) {
  guard let document = model.document else { return }
  let folder = parent(of: document.path)
  model.picker.remembered[folder] = document.name
  guard model.picker.directory == folder,
    let index = model.picker.visible.firstIndex(where: { $0.name == document.name })
  else { return }
  model.picker.cursor = index
}

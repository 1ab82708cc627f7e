import OCRKit

/// `s` and `Y`: the document's transcript as it stands — saved mid-run too, and then said to be
/// partial — and never written twice unchanged.

/// A transcript `s` saved (or is saving): what it holds and, once the runtime says, where.
public struct SavedTranscript: Sendable, Equatable {
  public var text: String
  /// What the file holds when not every page was read: "2 of 19 pages (3–19 not read yet)".
  public var partial: String?
  /// Where it went; nil until `.saved` says.
  public var path: String?
}

/// `s`: saves the transcript, unless the last one saved is the same text — then it says where
/// that is instead of writing an identical `NAME.ocr-2.md`.
func save(_ model: inout Model) -> [Effect] {
  guard var document = model.document else { return [] }
  defer { model.document = document }
  // A file holding only "not read yet" is no transcript.
  guard document.pages.contains(where: { !$0.progress.isComing }) else {
    model.message = Model.Message("nothing to save yet: no page has been read to its end")
    return []
  }
  let text = transcript(of: document, grounding: model.engine.info?.grounding ?? false)
  if let last = document.saved, last.text == text {
    model.message = Model.Message(
      last.path.map { "already saved as \($0) — nothing changed since" } ?? "saving — a moment")
    return []
  }
  document.saved = SavedTranscript(text: text, partial: partialSummary(document), path: nil)
  return [.save(text: text, documentPath: document.path)]
}

/// `.saved`: where the transcript went, and what it holds when that is not every page.
func saved(_ model: inout Model, at path: String) {
  guard var saved = model.document?.saved, saved.path == nil else {
    model.message = Model.Message("saved \(path)")
    return
  }
  saved.path = path
  model.document?.saved = saved
  model.message = Model.Message(saved.partial.map { "saved \($0) to \(path)" } ?? "saved \(path)")
}

/// `.saveFailed`: nothing was saved, so `s` tries again.
func saveFailed(_ model: inout Model) {
  if model.document?.saved?.path == nil { model.document?.saved = nil }
}

/// "2 of 19 pages (3–19 not read yet)", or nil when every page was read.
private func partialSummary(_ document: DocumentState) -> String? {
  let pages = document.pages
  let read = pages.filter { $0.progress == .done }
  guard read.count < pages.count else { return nil }
  let others: [(String, [PageState])] = [
    ("not read yet", pages.filter { $0.progress.isComing }),
    ("failed", pages.filter { $0.progress == .failed }),
    ("cancelled", pages.filter { $0.progress == .cancelled }),
  ]
  let why = others.filter { !$0.1.isEmpty }.map { "\(PageRange.text($0.1.map(\.number))) \($0.0)" }
  return "\(read.count) of \(pages.count) pages (\(why.joined(separator: "; ")))"
}

/// The document's transcript in Markdown, as `ocrview ocr` writes a finished one: each page
/// that has ended once (restored pages too; grounding boxes left out when the pages were read
/// with them). Pages not read yet are left out — their partial text is no reading of the page
/// — and named in a closing comment, so the file says it is partial.
public func transcript(of document: DocumentState, grounding: Bool = false) -> String {
  let ended = document.pages.filter { !$0.progress.isComing }
  var final = FinalTranscript(
    format: .md, pages: ended.map(\.number), filePath: document.path,
    grounding: grounding ? GroundingOutput() : nil)
  for page in ended {
    switch page.progress {
    case .done:
      final.consume(
        .pageFinished(
          page: page.number, text: page.text,
          stats: page.stats ?? .unmeasured(page.mode ?? .stream)))
    case .cancelled:
      final.consume(
        .pageFailed(page: page.number, error: .cancelled, partial: page.text, stats: page.stats))
    default:
      final.consume(
        .pageFailed(
          page: page.number, error: .engine(page.error ?? "failed"), partial: page.text,
          stats: page.stats))
    }
  }
  let unread = document.pages.filter { $0.progress.isComing }.map(\.number)
  guard !unread.isEmpty else { return final.text }
  return final.text + "<!-- not read yet when saved: page\(unread.count == 1 ? "" : "s") "
    + "\(PageRange.text(unread)) of \(document.pages.count) -->\n"
}

import OCRKit

/// `P`: a searchable PDF of the open document — its pages as they are, the model's text of
/// every page read an invisible layer where each word stands. Tesseract reads the pages for
/// the words' places (a few seconds for a few pages), so the bottom line says it is being made
/// and then where it went.

/// What a `P` asked for and, once the runtime says, what came of it.
public struct SavedSearchablePDF: Sendable, Equatable {
  /// Pages read, whose text the layer holds.
  public var pages: [Int]
  /// Where it went; nil while it is being made.
  public var path: String?
}

/// `P`: asks the runtime for the file, unless one is being made or no page has been read.
func saveSearchablePDF(_ model: inout Model) -> [Effect] {
  guard let document = model.document else { return [] }
  let read = document.pages.filter { $0.progress == .done }
  guard !read.isEmpty else {
    model.message = Model.Message("no searchable PDF yet: no page has been read to its end")
    return []
  }
  if document.searchablePDF?.path == nil, document.searchablePDF != nil {
    model.message = Model.Message("the searchable PDF is being made — a moment")
    return []
  }
  model.document?.searchablePDF = SavedSearchablePDF(pages: read.map(\.number), path: nil)
  model.message = Model.Message(
    "making the searchable PDF: tesseract places the words of \(read.count) "
      + "page\(read.count == 1 ? "" : "s")…")
  return [
    .saveSearchablePDF(
      document: document.id, read.map { CheckRequest(page: $0.number, run: $0.run, text: $0.text) },
      grounded: model.engine.info?.grounding ?? false)
  ]
}

/// `.searchablePDFSaved`: where it went, which pages kept text of their own, and which have
/// no text in it.
func searchablePDFSaved(
  _ model: inout Model, at path: String, without missing: [Int], kept: [Int] = []
) {
  guard let document = model.document, var saved = document.searchablePDF else { return }
  saved.path = path
  model.document?.searchablePDF = saved
  let unread = document.pages.map(\.number).filter { !saved.pages.contains($0) }
  let without = Set(unread + missing).subtracting(kept).sorted()
  func pages(_ numbers: [Int]) -> String {
    "\(numbers.count == 1 ? "page" : "pages") \(PageRange.text(numbers))"
  }
  var notes: [String] = []
  if !kept.isEmpty {
    notes.append("\(pages(kept)) kept the text \(kept.count == 1 ? "it has" : "they have")")
  }
  if !without.isEmpty { notes.append("no text on \(pages(without))") }
  let note = notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"
  // The path first: a narrow bottom line cuts the end.
  model.message = Model.Message("searchable PDF saved: \(path)\(note)")
}

/// `.searchablePDFFailed`: nothing was written; `P` tries again.
func searchablePDFFailed(_ model: inout Model, _ message: String) {
  model.document?.searchablePDF = nil
  model.message = Model.Message("could not save the searchable PDF: \(message)", isError: true)
}

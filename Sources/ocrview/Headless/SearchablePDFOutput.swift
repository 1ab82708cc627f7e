import Foundation
import OCRKit

/// `--pdf`: the searchable PDF a headless run makes of its document — the input's pages as
/// they are, with the model's words as an invisible layer where they stand
/// (`TextLayerPages` places them).
struct SearchablePDFOutput: Sendable {
  var path: String
  /// `--redo-text`: replace another tool's invisible text layer rather than leave the page
  /// alone. Text a page shows is never replaced.
  var redoText = false

  /// What came of it, for the report.
  struct Outcome: Equatable {
    var path: String
    /// Pages given a text layer.
    var placed: [Int]
    /// Pages that have none: each with why (not read, the reading failed).
    var missing: [TextLayerPages.Missing]
    /// Pages left with another tool's invisible text layer (no `--redo-text`).
    var kept: [Int]
    /// Why the file could not be written (nil: it was).
    var failure: SearchablePDFError?
    /// Pages left because they show text of their own (born digital), `--redo-text` or not.
    var shown: [Int] = []
    /// Whether `--redo-text` was asked (what the report says of `shown` pages).
    var redoText = false
  }

  /// Which pages keep the text they have, and which lose another tool's layer to ours.
  struct Survey: Equatable, Sendable {
    /// Pages that show text of their own: never given a layer.
    var shown: Set<Int> = []
    /// Pages with only another tool's invisible text, left as they are (no `--redo-text`).
    var layered: Set<Int> = []
    /// Pages with only another tool's invisible text that `--redo-text` replaces.
    var replacing: Set<Int> = []

    /// The pages given no layer.
    var kept: Set<Int> { shown.union(layered) }
  }

  /// The pages that keep their own text: those with text ocrview did not put there (a layer
  /// it put there is replaced), but for another OCR's invisible layer under `--redo-text`.
  /// Blocking (poppler, libqpdf); nothing kept when the survey fails — the write then says
  /// why.
  func survey(of document: OpenedDocument) -> Survey {
    guard document.kind == .pdf,
      let pages = try? TextLayerSurvey.pages(of: document.path, password: document.password)
    else { return Survey() }
    func numbers(_ text: TextLayerSurvey.PageText) -> Set<Int> {
      Set(pages.indices.filter { pages[$0] == text }.map { $0 + 1 })
    }
    let layered = numbers(.otherLayer)
    return Survey(
      shown: numbers(.foreign), layered: redoText ? [] : layered,
      replacing: redoText ? layered : [])
  }

  /// Writes the file: `placed` pages of `document` given their layers (the old invisible text
  /// of those `survey` is replacing taken out first). Blocking (libqpdf): call it off the
  /// concurrency pool.
  func write(
    _ placed: [PlacedPage], missing: [TextLayerPages.Missing], document: OpenedDocument,
    survey: Survey
  ) -> Outcome {
    var outcome = Outcome(
      path: path, placed: placed.map(\.number), missing: missing,
      kept: survey.layered.sorted(), failure: nil, shown: survey.shown.sorted(),
      redoText: redoText)
    do throws(SearchablePDFError) {
      if document.kind == .pdf {
        // Only a page that gets the new layer loses the old one: a page the model could
        // not read keeps the text it had.
        let options = SearchablePDF.Options(
          removeInvisibleText: survey.replacing.intersection(placed.map(\.number)))
        try SearchablePDF.write(
          pages: placed, from: document.path, password: document.password, to: path,
          options: options)
      } else {
        try ImagePDF.write(pages: placed, fromImage: document.path, to: path)
      }
    } catch {
      outcome.failure = error
      outcome.placed = []
    }
    return outcome
  }
}

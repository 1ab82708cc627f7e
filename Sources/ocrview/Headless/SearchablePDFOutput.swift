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
  /// `--linearize`: a viewer shows page 1 before the whole file has arrived (fast web view).
  var linearize = false

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

  typealias Survey = TextLayerSurvey.Decision

  /// Which pages keep the text they have (`TextLayerSurvey.decide`). Blocking.
  func survey(of document: OpenedDocument) -> Survey {
    TextLayerSurvey.decide(document, redoText: redoText)
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
      try SearchablePDF.refuseInput(document.path, as: path)
      // Only a page that gets the new layer loses the old one: a page the model could not
      // read keeps the text it had.
      let options = SearchablePDF.Options(
        linearize: linearize,
        removeInvisibleText: survey.replacing.intersection(placed.map(\.number)))
      let bytes = try SearchablePDF.bytes(of: document, pages: placed, options: options)
      do throws(WriteError) { try AtomicFile.write(bytes, to: path) } catch {
        throw .write(error)
      }
    } catch {
      outcome.failure = error
      outcome.placed = []
    }
    return outcome
  }
}

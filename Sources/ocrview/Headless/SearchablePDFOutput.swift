import Foundation
import OCRKit

/// `--pdf`: the searchable PDF a headless run makes of its document — the input's pages as
/// they are, with the model's words as an invisible layer where they stand
/// (`TextLayerPages` places them).
struct SearchablePDFOutput: Sendable {
  var path: String
  /// `--redo-text`: replace the text a page already has rather than leave the page alone.
  var redoText = false

  /// What came of it, for the report.
  struct Outcome: Equatable {
    var path: String
    /// Pages given a text layer.
    var placed: [Int]
    /// Pages that have none: each with why (not read, the reading failed).
    var missing: [TextLayerPages.Missing]
    /// Pages left with the text layer they already had.
    var kept: [Int]
    /// Why the file could not be written (nil: it was).
    var failure: SearchablePDFError?
  }

  /// The pages that keep their own text: those with text ocrview did not put there (a layer
  /// it put there is replaced). Blocking (poppler, libqpdf).
  func kept(in document: OpenedDocument) -> Set<Int> {
    SearchablePDFFile.pagesWithTextOfTheirOwn(document)
  }

  /// Writes the file: `placed` pages of `document` given their layers. Blocking (libqpdf):
  /// call it off the concurrency pool.
  func write(
    _ placed: [PlacedPage], missing: [TextLayerPages.Missing], document: OpenedDocument,
    kept: Set<Int>
  ) -> Outcome {
    var outcome = Outcome(
      path: path, placed: placed.map(\.number), missing: missing, kept: kept.sorted(),
      failure: nil)
    do throws(SearchablePDFError) {
      if document.kind == .pdf {
        try SearchablePDF.write(
          pages: placed, from: document.path, password: document.password, to: path)
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

import Foundation

/// The viewer's searchable PDF (`P`): `NAME.ocr.pdf` beside the document (or in the output
/// directory), else `NAME.ocr-2.pdf`, … — as `TranscriptFile` names transcripts, never
/// replacing a file. Pages with text of their own keep it and get no second layer, as
/// `ocrview ocr --pdf` leaves them.
public enum SearchablePDFFile {
  /// Where it went, and the pages left as they were.
  public struct Saved: Sendable, Equatable {
    public var path: String
    public var kept: [Int]
  }

  /// Writes `document` with `pages`' text layers at the first free name (linked into place,
  /// so a file that appears meanwhile is never replaced). Blocking (libqpdf).
  public static func save(_ pages: [PlacedPage], of document: OpenedDocument, in directory: String?)
    throws(SearchablePDFError) -> Saved
  {
    let kept = TextLayerSurvey.decide(document, redoText: false).kept
    let bytes = try SearchablePDF.bytes(
      of: document, pages: pages.filter { !kept.contains($0.number) })
    do throws(WriteError) {
      let path = try TranscriptFile.save(
        bytes, for: document.path, in: directory, extension: "pdf")
      return Saved(path: path, kept: kept.sorted())
    } catch {
      throw .write(error)
    }
  }
}

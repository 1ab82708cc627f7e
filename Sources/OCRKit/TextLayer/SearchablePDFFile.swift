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

  /// Writes `document` with `pages`' text layers at the first free name. Blocking (libqpdf).
  public static func save(_ pages: [PlacedPage], of document: OpenedDocument, in directory: String?)
    throws(SearchablePDFError) -> Saved
  {
    let path = TranscriptFile.path(for: document.path, in: directory, extension: "pdf") {
      FileManager.default.fileExists(atPath: $0)
    }
    let kept = TextLayerSurvey.decide(document, redoText: false).kept
    let layered = pages.filter { !kept.contains($0.number) }
    if document.kind == .pdf {
      try SearchablePDF.write(
        pages: layered, from: document.path, password: document.password, to: path)
    } else {
      try ImagePDF.write(pages: layered, fromImage: document.path, to: path)
    }
    return Saved(path: path, kept: kept.sorted())
  }
}

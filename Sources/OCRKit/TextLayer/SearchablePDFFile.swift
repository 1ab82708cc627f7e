import Foundation

/// The viewer's searchable PDF (`P`): `NAME.ocr.pdf` beside the document (or in the output
/// directory), else `NAME.ocr-2.pdf`, … — as `TranscriptFile` names transcripts, never
/// replacing a file.
public enum SearchablePDFFile {
  /// Writes `document` with `pages`' text layers at the first free name; returns it.
  /// Blocking (libqpdf).
  public static func save(_ pages: [PlacedPage], of document: OpenedDocument, in directory: String?)
    throws(SearchablePDFError) -> String
  {
    let path = TranscriptFile.path(for: document.path, in: directory, extension: "pdf") {
      FileManager.default.fileExists(atPath: $0)
    }
    if document.kind == .pdf {
      try SearchablePDF.write(
        pages: pages, from: document.path, password: document.password, to: path)
    } else {
      try ImagePDF.write(pages: pages, fromImage: document.path, to: path)
    }
    return path
  }
}

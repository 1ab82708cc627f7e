import Foundation

/// The transcript formats: what `--format` accepts and what the TUI saves.
public enum TranscriptFormat: String, Sendable, CaseIterable {
  /// Markdown, each page preceded by a `<!-- page N -->` line.
  case md
  /// Plain text, pages separated by a form feed (as pdftotext does).
  case txt
  /// One JSON object per page: its text, status and stats.
  case jsonl
  /// hOCR (tesseract's subset): the model's words where they stand on the page, placed by
  /// tesseract's reading of each page (`WordPlacement`) once the document's run has ended —
  /// not a transcript that streams.
  case hocr

  /// Written as the text arrives; `hocr` is made whole at the document's end.
  public var streams: Bool { self != .hocr }

  /// The line that opens page `page` in Markdown output. Stable: scripts split on it.
  public static func pageMarker(_ page: Int) -> String { "<!-- page \(page) -->" }

  /// The line that opens a document's pages when one transcript holds several files.
  public static func fileMarker(_ path: String) -> String {
    "<!-- file: \(path.replacingOccurrences(of: "--", with: "%2D%2D")) -->"
  }
}

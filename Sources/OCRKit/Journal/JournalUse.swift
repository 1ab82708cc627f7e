/// What a run does with what the journal already holds for its pages.
public enum JournalUse: Sendable, Equatable {
  /// Restore finished pages and show partial ones (opening a document, `ocrview ocr`).
  case restore
  /// Read the pages again; their old readings stand until new ones finish (`r`).
  case readAgain
  /// Read the pages again and void what the journal held for them (`--fresh`, `R`).
  case forget
}

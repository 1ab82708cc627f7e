/// Quick facts about a PDF without keeping it open (for the file picker).
public enum PDFInfo {
  /// The page count, or nil when the PDF cannot be opened (encrypted, damaged).
  public static func pageCount(path: String) -> Int? {
    try? PDFPages(path: path, password: nil).pageCount
  }
}

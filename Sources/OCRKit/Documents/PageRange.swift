/// Parses page selections such as `1-3,7`, `5-` (to the end) and `-3` (from the start).
public enum PageRange {
  /// The selected 1-based page numbers in document order, without repeats.
  public static func parse(_ text: String, pageCount: Int) throws(DocumentError) -> [Int] {
    var pages: [Int] = []
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    for rawPart in parts {
      let part = rawPart.filter { $0 != " " }
      guard !part.isEmpty else { throw .invalidPageRange(text) }
      let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
      let first: Int?
      let last: Int?
      if bounds.count == 1 {
        first = Int(bounds[0])
        last = first
      } else {
        first = bounds[0].isEmpty ? 1 : Int(bounds[0])
        last = bounds[1].isEmpty ? pageCount : Int(bounds[1])
      }
      guard let first, let last, first >= 1 else { throw .invalidPageRange(text) }
      if first > pageCount { throw .pageOutOfRange(page: first, pageCount: pageCount) }
      guard last >= first else { throw .invalidPageRange(text) }
      if last > pageCount { throw .pageOutOfRange(page: last, pageCount: pageCount) }
      pages += first...last
    }
    var seen = Set<Int>()
    return pages.filter { seen.insert($0).inserted }.sorted()
  }

  /// Page numbers as a person reads them: runs joined, "3–19" or "1–3, 7, 9" (ascending input).
  public static func text(_ pages: [Int]) -> String {
    var runs: [(first: Int, last: Int)] = []
    for page in pages {
      if let last = runs.last, page == last.last + 1 {
        runs[runs.count - 1].last = page
      } else {
        runs.append((page, page))
      }
    }
    return runs.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)–\($0.last)" }
      .joined(separator: ", ")
  }
}

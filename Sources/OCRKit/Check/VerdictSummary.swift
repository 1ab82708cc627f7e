/// The line a run ends with, counting its pages by verdict:
/// `137 pages: 131 ok, 4 review (2 low confidence, 2 retried), 2 flagged (invented text on 17,
/// cut off on 40)`. Pages needing review are counted by their first reason; flagged ones are
/// listed by reason, so the line says where to look first. Pure value type.
public struct VerdictSummary: Sendable, Equatable {
  private var ok = 0
  /// Review pages by their first reason's label, in the order first seen.
  private var review: [(label: String, count: Int)] = []
  /// Flagged pages by their first reason's label: the pages, with their file when several.
  private var flagged: [(label: String, pages: [(file: String, page: Int)])] = []
  private var failed = 0

  public init() {}

  public static func == (a: VerdictSummary, b: VerdictSummary) -> Bool {
    a.line(severalFiles: true) == b.line(severalFiles: true)
  }

  /// About how many characters of flagged pages the line lists before it counts the rest.
  static let listBudget = 160

  public mutating func add(_ verdict: PageVerdict, page: Int, file: String) {
    switch verdict.level {
    case .ok: ok += 1
    case .review:
      let label = verdict.reasons.first?.label ?? "review"
      if let index = review.firstIndex(where: { $0.label == label }) {
        review[index].count += 1
      } else {
        review.append((label, 1))
      }
    case .flagged:
      let label = verdict.reasons.first?.label ?? "flagged"
      if let index = flagged.firstIndex(where: { $0.label == label }) {
        flagged[index].pages.append((file, page))
      } else {
        flagged.append((label, [(file, page)]))
      }
    }
  }

  public mutating func addFailed() { failed += 1 }

  /// Some page was judged `review` or `flagged`.
  public var needsReview: Bool { !review.isEmpty || !flagged.isEmpty }

  /// Nil when no page ended.
  public func line(severalFiles: Bool) -> String? {
    let reviewCount = review.reduce(0) { $0 + $1.count }
    let flaggedCount = flagged.reduce(0) { $0 + $1.pages.count }
    let total = ok + reviewCount + flaggedCount + failed
    guard total > 0 else { return nil }
    var parts = ["\(ok) ok"]
    if reviewCount > 0 {
      let why = review.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
      parts.append("\(reviewCount) review (\(why))")
    }
    if flaggedCount > 0 {
      parts.append("\(flaggedCount) flagged (\(flaggedList(severalFiles: severalFiles)))")
    }
    if failed > 0 { parts.append("\(failed) failed") }
    return "\(total) page\(total == 1 ? "" : "s"): " + parts.joined(separator: ", ")
  }

  /// "invented text on 17, cut off on 40–42": pages as ranges, prefixed by their file when
  /// several, cut after about `listBudget` characters with a count of the rest.
  private func flaggedList(severalFiles: Bool) -> String {
    var pieces: [String] = []
    var length = 0
    var hidden = 0
    for (label, entries) in flagged {
      var items: [String] = []
      for file in entries.map(\.file).uniqued() {
        let pages = entries.filter { $0.file == file }.map(\.page)
        var list = CheckSummary.runs(pages.sorted()).map { run in
          run.count >= 3
            ? "\(run[0])–\(run[run.count - 1])" : run.map(String.init).joined(separator: ", ")
        }.joined(separator: ", ")
        if severalFiles { list = "\(file) \(list)" }
        if length + list.count > Self.listBudget, !(pieces.isEmpty && items.isEmpty) {
          hidden += pages.count
          continue
        }
        items.append(list)
        length += list.count + 2
      }
      if !items.isEmpty { pieces.append("\(label) on \(items.joined(separator: "; "))") }
    }
    let list = pieces.joined(separator: ", ")
    return hidden > 0 ? "\(list) … and \(hidden) more" : list
  }
}

extension Array where Element: Hashable {
  /// The elements in order, each once.
  fileprivate func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}

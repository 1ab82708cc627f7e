/// A run's events with `--check`'s results merged in, for a transcript that carries them
/// (jsonl): a finished page is held back until its check is in, then passed on with
/// `stats.check` set; the document's end waits for the pages held. Without holding, events
/// pass straight through and checks only count. Pure value type.
public struct CheckedEvents: Sendable {
  private let holding: Bool
  private var held: [Int: (text: String, stats: PageStats)] = [:]
  private var end: RunEvent?

  public init(holding: Bool) { self.holding = holding }

  /// Pages held for their check.
  public var waiting: Int { held.count }

  /// What the transcript gets of a run event now.
  public mutating func run(_ event: RunEvent) -> [RunEvent] {
    guard holding else { return [event] }
    switch event {
    case .pageFinished(let page, let text, let stats):
      held[page] = (text, stats)
      return []
    case .documentFinished where !held.isEmpty:
      end = event
      return []
    default:
      return [event]
    }
  }

  /// What the transcript gets once a page's check is in (nil: it could not be checked).
  public mutating func checked(page: Int, _ check: PageCheck?) -> [RunEvent] {
    guard let (text, stats) = held.removeValue(forKey: page) else { return [] }
    var checkedStats = stats
    checkedStats.check = check
    var out: [RunEvent] = [.pageFinished(page: page, text: text, stats: checkedStats)]
    if held.isEmpty, let end {
      out.append(end)
      self.end = nil
    }
    return out
  }
}

/// The line a headless `--check` run ends with: which pages were flagged, or that none were.
public struct CheckSummary: Sendable, Equatable {
  private var flagged: [(file: String, pages: [Int])] = []
  private var checked = 0
  private var unchecked = 0

  public init() {}

  public static func == (a: CheckSummary, b: CheckSummary) -> Bool {
    a.checked == b.checked && a.unchecked == b.unchecked
      && a.flagged.map(\.file) == b.flagged.map(\.file)
      && a.flagged.map(\.pages) == b.flagged.map(\.pages)
  }

  /// About how many characters of page list the line holds before it summarises the rest.
  static let listBudget = 160

  /// `pages` (sorted) cut into runs of consecutive numbers.
  static func runs(_ pages: [Int]) -> [[Int]] {
    var runs: [[Int]] = []
    for page in pages {
      if let last = runs.last?.last, page == last + 1 {
        runs[runs.count - 1].append(page)
      } else {
        runs.append([page])
      }
    }
    return runs
  }

  public mutating func add(file: String, page: Int, _ check: PageCheck?) {
    guard let check else {
      unchecked += 1
      return
    }
    checked += 1
    guard check.flag != nil else { return }
    if flagged.last?.file == file {
      flagged[flagged.count - 1].pages.append(page)
    } else {
      flagged.append((file, [page]))
    }
  }

  /// "3 pages flagged: 4, 17, 18 — run with --format jsonl for details", "12 pages checked,
  /// none flagged"; with several files, each file's pages after its name. Three or more
  /// pages in a row are a range (`4–9`), and the list stops after about `listBudget`
  /// characters with what it leaves out ("… and 380 more pages in 380 files"): a folder of
  /// 400 flagged files once ended in one 8 KB line. Nil when nothing was checked or attempted.
  public func line(severalFiles: Bool, jsonl: Bool) -> String? {
    guard checked + unchecked > 0 else { return nil }
    let notChecked =
      unchecked > 0 ? "; \(unchecked) page\(unchecked == 1 ? "" : "s") could not be checked" : ""
    let count = flagged.reduce(0) { $0 + $1.pages.count }
    guard count > 0 else {
      return "\(checked) page\(checked == 1 ? "" : "s") checked, none flagged\(notChecked)"
    }
    var pieces: [String] = []
    var length = 0
    var hiddenPages = 0
    var hiddenFiles = 0
    for entry in flagged {
      var items: [String] = []
      var hidden = 0
      for run in Self.runs(entry.pages.sorted()) {
        let item =
          run.count >= 3
          ? "\(run[0])–\(run[run.count - 1])" : run.map(String.init).joined(separator: ", ")
        let name = items.isEmpty && severalFiles ? entry.file.count + 1 : 0
        if length + name + item.count > Self.listBudget, !(pieces.isEmpty && items.isEmpty) {
          hidden += run.count
          continue
        }
        items.append(item)
        length += name + item.count + 2
      }
      if !items.isEmpty {
        let list = items.joined(separator: ", ")
        pieces.append(severalFiles ? "\(entry.file) \(list)" : list)
      }
      hiddenPages += hidden
      if hidden > 0 { hiddenFiles += 1 }
    }
    var pages = pieces.joined(separator: "; ")
    if hiddenPages > 0 {
      pages += " … and \(hiddenPages) more page\(hiddenPages == 1 ? "" : "s")"
      if severalFiles { pages += " in \(hiddenFiles) file\(hiddenFiles == 1 ? "" : "s")" }
    }
    let details =
      jsonl ? "their check in the jsonl says why" : "run with --format jsonl for details"
    return "\(count) page\(count == 1 ? "" : "s") flagged: \(pages)\(notChecked) — \(details)"
  }
}

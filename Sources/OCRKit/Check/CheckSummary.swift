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
  /// none flagged"; with several files, each file's pages after its name. Nil when nothing was
  /// checked or attempted.
  public func line(severalFiles: Bool, jsonl: Bool) -> String? {
    guard checked + unchecked > 0 else { return nil }
    let notChecked =
      unchecked > 0 ? "; \(unchecked) page\(unchecked == 1 ? "" : "s") could not be checked" : ""
    let count = flagged.reduce(0) { $0 + $1.pages.count }
    guard count > 0 else {
      return "\(checked) page\(checked == 1 ? "" : "s") checked, none flagged\(notChecked)"
    }
    let pages = flagged.map { entry in
      let list = entry.pages.sorted().map(String.init).joined(separator: ", ")
      return severalFiles ? "\(entry.file) \(list)" : list
    }.joined(separator: "; ")
    let details =
      jsonl ? "their check in the jsonl says why" : "run with --format jsonl for details"
    return "\(count) page\(count == 1 ? "" : "s") flagged: \(pages)\(notChecked) — \(details)"
  }
}

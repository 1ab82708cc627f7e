/// Searching the document's text (`/`): what is typed, and which match is shown.
public struct SearchState: Sendable, Equatable {
  public var query = ""
  /// The query is still being typed (Enter finds it, Esc gives up).
  public var isTyping = true
  /// The match shown, and its number among all matches (1-based) when last counted.
  public var current: SearchMatch?
  public var index = 0
  public var count = 0

  public init() {}
}

/// Where a match is: its page, the text pane line it is on, and which of that line's matches.
public struct SearchMatch: Sendable, Equatable, Comparable {
  public var page: Int
  public var line: Int
  public var occurrence: Int

  public static func < (a: SearchMatch, b: SearchMatch) -> Bool {
    (a.page, a.line, a.occurrence) < (b.page, b.line, b.occurrence)
  }
}

/// Case-insensitive literal matching by characters, as people read them (no regex, no
/// locale rules): "é" matches "É", "ß" only "ß".
enum TextSearch {
  /// The character offsets where `query` starts in `text`, not overlapping.
  static func offsets(of query: String, in text: String) -> [Int] {
    let needle = query.map { $0.lowercased() }
    guard !needle.isEmpty else { return [] }
    let haystack = text.map { $0.lowercased() }
    guard haystack.count >= needle.count else { return [] }
    var found: [Int] = []
    var start = 0
    while start <= haystack.count - needle.count {
      if haystack[start] == needle[0], Array(haystack[start..<start + needle.count]) == needle {
        found.append(start)
        start += needle.count
      } else {
        start += 1
      }
    }
    return found
  }

  /// Every match of `query` in the document's pages, as the text pane lays them out
  /// (a match is found within a line; the page's notes and errors are not searched).
  static func matches(_ query: String, in document: DocumentState, _ format: PaneFormat)
    -> [SearchMatch]
  {
    var matches: [SearchMatch] = []
    for page in document.pages where !page.text.isEmpty {
      for (line, paneLine) in paneLines(page, format).enumerated()
      where paneLine.kind == .text || paneLine.kind == .heading {
        for occurrence in offsets(of: query, in: paneLine.text).indices {
          matches.append(SearchMatch(page: page.number, line: line, occurrence: occurrence))
        }
      }
    }
    return matches
  }
}

/// Keys while a query is typed; nil when the key is not the search's.
func searchKey(_ model: inout Model, _ key: Key) -> [Effect]? {
  guard var search = model.search, search.isTyping else { return nil }
  switch key {
  case .character(let character):
    search.query.append(character)
  case .backspace, .delete:
    if search.query.isEmpty {
      model.search = nil
      return []
    }
    search.query.removeLast()
  case .escape:
    model.search = nil
    return []
  case .enter:
    search.isTyping = false
    model.search = search
    jumpToMatch(&model, forward: true, includingCurrent: true)
    return []
  default:
    return []
  }
  model.search = search
  return []
}

/// Shows the next (or previous) match after the one shown, or after where the reader is:
/// selects its page and scrolls its line into view. Counts the matches again, since pages
/// may have grown.
func jumpToMatch(_ model: inout Model, forward: Bool, includingCurrent: Bool = false) {
  guard var search = model.search, var document = model.document else { return }
  let layout = Layout(model.size, view: model.view)
  let matches = TextSearch.matches(search.query, in: document, model.paneFormat)
  search.count = matches.count
  guard !matches.isEmpty else {
    search.current = nil
    search.index = 0
    model.search = search
    model.message = Model.Message("no match for \"\(search.query)\"", isError: true)
    return
  }
  let here =
    search.current
    ?? SearchMatch(
      page: document.selected, line: document.isFollowing ? 0 : document.scroll, occurrence: 0)
  let next: Int
  if forward {
    next =
      matches.firstIndex { includingCurrent && search.current == nil ? $0 >= here : $0 > here } ?? 0
  } else {
    next = matches.lastIndex { $0 < here } ?? matches.count - 1
  }
  let match = matches[next]
  search.current = match
  search.index = next + 1
  model.search = search
  if document.selected != match.page {
    document.selected = match.page
  }
  // The match's line a third of the way down the pane, where the eye goes.
  document.follow = false
  document.scroll = max(0, match.line - layout.textRows / 3)
  model.document = document
  clampScroll(&model)
}

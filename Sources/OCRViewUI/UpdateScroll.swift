/// Moving over the selected page's text: selecting a page, scrolling by lines and screens,
/// following the growing end, and where a page that has just ended is read from.
///
/// Following is only ever the growing end of a page still coming in (`isFollowing`); a
/// finished page is read where the reader is, so the text pane can say which lines it shows.

func select(_ document: inout DocumentState, _ page: Int) {
  let clamped = min(max(page, 1), document.pages.count)
  guard clamped != document.selected else { return }
  document.selected = clamped
  document.scroll = 0
  // A page still coming in is followed at its growing end; a finished one reads from the top.
  document.follow = document.selectedPage.progress.isComing
}

/// The text pane's format and the rows it shows: what scrolling is measured in.
struct TextPaneSize {
  var format: PaneFormat
  var rows: Int

  init(_ model: Model) {
    format = model.paneFormat
    rows = Layout(model.size, view: model.view).textRows
  }
}

/// How many lines the text pane holds for the selected page (text, note and error).
private func lineCount(_ document: DocumentState, _ format: PaneFormat) -> Int {
  paneLines(document.selectedPage, format).count
}

func scroll(_ document: inout DocumentState, by delta: Int, _ pane: TextPaneSize) {
  let bottom = max(0, lineCount(document, pane.format) - pane.rows)
  let from = document.isFollowing ? bottom : document.scroll
  scroll(&document, to: from + delta, pane)
}

func scroll(_ document: inout DocumentState, to line: Int, _ pane: TextPaneSize) {
  let bottom = max(0, lineCount(document, pane.format) - pane.rows)
  document.scroll = min(max(line, 0), bottom)
  // Reaching the end while the page still grows means following it again.
  document.follow = document.scroll >= bottom && document.selectedPage.progress.isRunning
}

/// `f`, `G`, End: a page still coming in is followed; a finished one shows its last lines.
func scrollToEnd(_ document: inout DocumentState, _ pane: TextPaneSize) {
  if document.selectedPage.progress.isComing {
    document.follow = true
  } else {
    scroll(&document, to: Int.max, pane)
  }
}

/// The selected page has just ended while the pane followed it: what streamed in stays where
/// the reader watched it (its end); a page that arrived whole (batch, or restored from the
/// journal) is read from its top, as opening a finished page is.
func selectedPageEnded(_ document: inout DocumentState, arrivedWhole: Bool, _ pane: TextPaneSize) {
  guard document.follow else { return }
  if arrivedWhole {
    document.scroll = 0
    document.follow = false
  } else {
    scroll(&document, to: Int.max, pane)
  }
}

/// Keeps the scroll position valid after a resize.
func clampScroll(_ model: inout Model) {
  guard var document = model.document, !document.isFollowing else { return }
  let pane = TextPaneSize(model)
  let bottom = max(0, lineCount(document, pane.format) - pane.rows)
  document.scroll = min(document.scroll, bottom)
  model.document = document
}

extension PageProgress {
  /// Text may still come: the page runs, or waits its turn.
  var isComing: Bool { isRunning || self == .queued }
}

extension DocumentState {
  /// The text pane shows the selected page's growing end (`f`); a page that has ended is never
  /// followed, whatever `follow` says.
  public var isFollowing: Bool { follow && selectedPage.progress.isComing }
}

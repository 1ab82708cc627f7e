/// Moving over the selected page's text: selecting a page, scrolling by lines and screens,
/// following the growing end, and where a page that has just ended is read from.
///
/// Following is only ever the growing end of a page still coming in (`isFollowing`); a
/// finished page is read where the reader is, so the text pane can say which lines it shows.

/// The text pane's format and the rows it shows: what scrolling is measured in.
struct TextPaneSize {
  var format: PaneFormat
  var rows: Int

  init(_ model: Model) {
    self.init(format: model.paneFormat, rows: Layout(model.size, view: model.view).textRows)
  }

  init(format: PaneFormat, rows: Int) {
    self.format = format
    self.rows = rows
  }
}

extension DocumentState {
  /// Shows page `page` (clamped to the document).
  mutating func select(_ page: Int) {
    let clamped = min(max(page, 1), pages.count)
    guard clamped != selected else { return }
    selected = clamped
    scroll = 0
    // A page still coming in is followed at its growing end; a finished one reads from the top.
    follow = selectedPage.progress.isComing
  }

  /// How many lines the text pane holds for the selected page (text, note and error).
  private func lineCount(_ format: PaneFormat) -> Int {
    paneLines(selectedPage, format).count
  }

  mutating func scroll(by delta: Int, _ pane: TextPaneSize) {
    let bottom = max(0, lineCount(pane.format) - pane.rows)
    scroll(to: (isFollowing ? bottom : scroll) + delta, pane)
  }

  mutating func scroll(to line: Int, _ pane: TextPaneSize) {
    let bottom = max(0, lineCount(pane.format) - pane.rows)
    scroll = min(max(line, 0), bottom)
    // Reaching the end while the page still grows means following it again.
    follow = scroll >= bottom && selectedPage.progress.isRunning
  }

  /// `f`, `G`, End: a page still coming in is followed; a finished one shows its last lines.
  mutating func scrollToEnd(_ pane: TextPaneSize) {
    if selectedPage.progress.isComing {
      follow = true
    } else {
      scroll(to: Int.max, pane)
    }
  }

  /// The selected page has just ended while the pane followed it: what streamed in stays where
  /// the reader watched it (its end); a page that arrived whole (batch, or restored from the
  /// journal) is read from its top, as opening a finished page is.
  mutating func selectedPageEnded(arrivedWhole: Bool, _ pane: TextPaneSize) {
    guard follow else { return }
    if arrivedWhole {
      scroll = 0
      follow = false
    } else {
      scroll(to: Int.max, pane)
    }
  }

  /// Keeps the scroll position valid after a resize or a change of format.
  mutating func clampScroll(_ pane: TextPaneSize) {
    guard !isFollowing else { return }
    scroll = min(scroll, max(0, lineCount(pane.format) - pane.rows))
  }
}

/// Keeps the scroll position valid after a resize.
func clampScroll(_ model: inout Model) {
  let pane = TextPaneSize(model)
  model.document?.clampScroll(pane)
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

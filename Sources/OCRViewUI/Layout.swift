/// Where each part of the screen goes for a given terminal size and document view. Shared by
/// `update` (to page and scroll by what is visible) and `render`.
public struct Layout: Sendable, Equatable {
  public var header: Rect
  public var pageList: Rect
  public var separator: Rect
  public var textPane: Rect
  /// The page image (`v`); empty when the view shows text only.
  public var imagePane: Rect
  public var statsBar: Rect
  public var hintBar: Rect
  public var isTooSmall: Bool

  public init(_ size: Size, view: DocumentView = .text) {
    isTooSmall = size.width < Model.minimumSize.width || size.height < Model.minimumSize.height
    let width = max(size.width, 1)
    let height = max(size.height, 3)
    header = Rect(x: 0, y: 0, width: width, height: 1)
    statsBar = Rect(x: 0, y: height - 2, width: width, height: 1)
    hintBar = Rect(x: 0, y: height - 1, width: width, height: 1)
    let body = Rect(x: 0, y: 1, width: width, height: max(0, height - 3))
    // Beside a page image the list keeps its marks, numbers and modes; alone it has room for
    // the timings too.
    let listWidth =
      switch view {
      case .text: min(34, max(28, width / 4))
      case .pageAndText: 14
      case .page: 0
      }
    pageList = Rect(x: 0, y: body.y, width: listWidth, height: body.height)
    separator = Rect(x: listWidth, y: body.y, width: view == .page ? 0 : 1, height: body.height)
    let rest = Rect(
      x: listWidth + (view == .page ? 0 : 2), y: body.y,
      width: max(1, width - listWidth - (view == .page ? 0 : 3)), height: body.height)
    switch view {
    case .text:
      textPane = rest
      imagePane = Rect(x: rest.x, y: rest.y, width: 0, height: 0)
    case .pageAndText:
      // The image's title row is the text's: both panes start at the same row.
      let imageWidth = max(1, rest.width * 9 / 20)
      imagePane = Rect(x: rest.x, y: rest.y, width: imageWidth, height: rest.height)
      textPane = Rect(
        x: rest.x + imageWidth + 1, y: rest.y, width: max(1, rest.width - imageWidth - 1),
        height: rest.height)
    case .page:
      imagePane = rest
      textPane = Rect(x: rest.x + rest.width, y: rest.y, width: 0, height: rest.height)
    }
  }

  /// Rows of text the text pane shows (below its title row).
  public var textRows: Int { max(1, textPane.height - 1) }
  /// Columns text is wrapped to.
  public var textColumns: Int { max(1, textPane.width) }
  /// Where the image itself goes: the image pane below its title row.
  public var imageArea: Rect {
    Rect(
      x: imagePane.x, y: imagePane.y + 1, width: imagePane.width,
      height: max(0, imagePane.height - 1))
  }
}

/// What the document screen shows beside the page list: `v` cycles through them.
public enum DocumentView: Sendable, Equatable, CaseIterable {
  case text, pageAndText, page

  public var next: DocumentView {
    let all = Self.allCases
    return all[(all.firstIndex(of: self)! + 1) % all.count]
  }
}

/// Where each part of the screen goes for a given terminal size. Shared by `update` (to page
/// and scroll by what is visible) and `render`.
public struct Layout: Sendable, Equatable {
  public var header: Rect
  public var pageList: Rect
  public var separator: Rect
  public var textPane: Rect
  public var statsBar: Rect
  public var hintBar: Rect
  public var isTooSmall: Bool

  public init(_ size: Size) {
    isTooSmall = size.width < Model.minimumSize.width || size.height < Model.minimumSize.height
    let width = max(size.width, 1)
    let height = max(size.height, 3)
    header = Rect(x: 0, y: 0, width: width, height: 1)
    statsBar = Rect(x: 0, y: height - 2, width: width, height: 1)
    hintBar = Rect(x: 0, y: height - 1, width: width, height: 1)
    let body = Rect(x: 0, y: 1, width: width, height: max(0, height - 3))
    let listWidth = min(34, max(28, width / 4))
    pageList = Rect(x: 0, y: body.y, width: listWidth, height: body.height)
    separator = Rect(x: listWidth, y: body.y, width: 1, height: body.height)
    // The text pane's first row is its title; the text starts below it.
    textPane = Rect(
      x: listWidth + 2, y: body.y, width: max(1, width - listWidth - 3), height: body.height)
  }

  /// Rows of text the text pane shows (below its title row).
  public var textRows: Int { max(1, textPane.height - 1) }
  /// Columns text is wrapped to.
  public var textColumns: Int { max(1, textPane.width) }
}

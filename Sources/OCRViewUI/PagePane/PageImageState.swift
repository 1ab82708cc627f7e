import OCRKit

/// Which image of a page the page pane wants: the page, the cells it fills, and the part of
/// the page shown. Images are made for a key and kept by it.
public struct PageImageKey: Hashable, Sendable {
  /// The open document (`DocumentState.id`).
  public var document: Int
  public var page: Int
  public var columns: Int
  public var rows: Int
  public var zoom: Int
  /// The shown part's left and top edge, in eighths of the page.
  public var panX: Int
  public var panY: Int
  public var palette: ImagePalette
  /// Cell height / width, in hundredths (a Double would make keys compare unreliably).
  public var cellAspect: Int
  /// Symbols in cells, or pixels through a terminal graphics protocol.
  public var graphics: GraphicsMode = .symbols
  /// A cell's size in pixels, for pixel images (the terminal's, when it says).
  public var cellPixels = Size(width: 10, height: 20)
  /// The page rendered as the engine is sent it (its longest side; nil: the run's default).
  public var maxSide: Int?

  public init(
    document: Int, page: Int, columns: Int, rows: Int, zoom: Int = 1, panX: Int = 0,
    panY: Int = 0, palette: ImagePalette = .indexed, cellAspect: Int = 200,
    graphics: GraphicsMode = .symbols, cellPixels: Size = Size(width: 10, height: 20),
    maxSide: Int? = nil
  ) {
    self.maxSide = maxSide
    self.document = document
    self.page = page
    self.columns = columns
    self.rows = rows
    self.zoom = zoom
    self.panX = panX
    self.panY = panY
    self.palette = palette
    self.cellAspect = cellAspect
    self.graphics = graphics
    self.cellPixels = cellPixels
  }

  /// The part of the page shown, in fractions of it.
  public var region: (x: Double, y: Double, width: Double, height: Double) {
    let side = 1 / Double(max(1, zoom))
    return (Double(panX) / 8, Double(panY) / 8, side, side)
  }
}

/// The page pane's state: zoom and pan, and the images made so far (a few, so memory stays
/// flat however long the document).
public struct PagePaneState: Sendable, Equatable {
  /// 1 (the whole page), 2 or 4.
  public var zoom = 1
  /// The shown part's left and top edge, in eighths of the page (0 … 8 − 8 / zoom).
  public var panX = 0
  public var panY = 0
  /// The grounded block selected with `[`/`]`, and the page it is on.
  public var block: Int?
  public var blockPage: Int?
  /// Images by key, oldest first; at most `capacity`.
  public private(set) var images: [PageImageKey: PageImage] = [:]
  private var order: [PageImageKey] = []
  /// Images asked for and not yet made.
  public var requested: Set<PageImageKey> = []
  public static let capacity = 12

  public init() {}

  /// What the pane shows for a key: an image, or why there is none.
  public enum PageImage: Sendable, Equatable {
    case cells(ImageCells)
    /// A graphics protocol's escape sequence, covering `columns × rows` cells; the terminal
    /// adapter writes it over the blank cells the pane leaves.
    case pixels(bytes: [UInt8], columns: Int, rows: Int)
    case failed(String)
  }

  public mutating func store(_ image: PageImage, for key: PageImageKey) {
    requested.remove(key)
    if images.updateValue(image, forKey: key) == nil { order.append(key) }
    while order.count > Self.capacity { images[order.removeFirst()] = nil }
  }

  /// The largest pan at the current zoom.
  public var maxPan: Int { 8 - 8 / zoom }

  public mutating func zoom(by step: Int) {
    let levels = [1, 2, 4]
    let index = (levels.firstIndex(of: zoom) ?? 0) + step
    zoom = levels[min(max(index, 0), levels.count - 1)]
    panX = min(panX, maxPan)
    panY = min(panY, maxPan)
  }

  public mutating func pan(x: Int = 0, y: Int = 0) {
    panX = min(max(panX + x, 0), maxPan)
    panY = min(max(panY + y, 0), maxPan)
  }
}

extension Model {
  /// The image the page pane shows now, if it shows one.
  public var pageImageKey: PageImageKey? {
    guard screen == .document, view != .text, graphics != .none, let document else { return nil }
    let area = Layout(size, view: view).imageArea
    guard area.width > 0, area.height > 0 else { return nil }
    // Grounding boxes are drawn in cells: a grounded page is shown in symbols, so its boxes show
    // whatever the terminal's graphics.
    let boxed =
      graphics.isPixels && !GroundingBoxes.blocks(of: document.selectedPage.text).isEmpty
    return PageImageKey(
      document: document.id, page: document.selected, columns: area.width, rows: area.height,
      zoom: pagePane.zoom, panX: pagePane.panX, panY: pagePane.panY,
      palette: ImagePalette(colors: colors, monochrome: monochrome),
      cellAspect: Int((cellAspect * 100).rounded()), graphics: boxed ? .symbols : graphics,
      cellPixels: cellPixels,
      maxSide: engine.info?.maxSide)
  }

  /// The pixel image on screen now, and the cell of its top-left corner: what the terminal
  /// adapter writes after each frame (and takes away when it goes).
  public var shownPixels: (key: PageImageKey, bytes: [UInt8], x: Int, y: Int)? {
    // An overlay over it would leave holes when it closes: the image is written again then.
    guard overlay == nil, let key = pageImageKey,
      case .pixels(let bytes, let columns, let rows)? = pagePane.images[key]
    else { return nil }
    let area = Layout(size, view: view).imageArea
    return (
      key, bytes, area.x + max(0, (area.width - columns) / 2),
      area.y + max(0, (area.height - rows) / 2)
    )
  }
}

/// Asks for the page pane's image once: when it shows one that is neither made nor asked for.
func requestPageImage(_ model: inout Model) -> [Effect] {
  guard let key = model.pageImageKey, model.pagePane.images[key] == nil,
    !model.pagePane.requested.contains(key)
  else { return [] }
  model.pagePane.requested.insert(key)
  return [.drawPageImage(key)]
}

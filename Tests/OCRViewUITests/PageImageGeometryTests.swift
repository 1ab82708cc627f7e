import OCRKit
import OCRTestSupport
import Testing

@testable import OCRViewUI

/// The page image as a person sees it: pages of known geometry (bars at known fractions, odd
/// widths and heights, portrait and landscape) drawn through the real path — `update` asks for
/// the image, libchafa draws it, `render` puts it on the screen — at seeded random terminal
/// sizes, views, zooms, pans, cell shapes and palettes, and judged from the screen's cells:
/// every bar is where the page has it (± 1 cell), straight from edge to edge.
@Suite struct PageImageGeometryTests {
  /// One screen with the page image on it, and where the image's cells are.
  struct Drawn {
    var screen: Canvas
    var key: PageImageKey
    var origin: (x: Int, y: Int)
    var cells: ImageCells
    var page: GeometryPage
    var palette: ImagePalette
  }

  /// The screen at `size` showing `page` in `view`, zoomed and panned as given.
  static func draw(
    _ page: GeometryPage, size: Size, view: DocumentView = .pageAndText, zoom: Int = 1,
    pan: (x: Int, y: Int) = (0, 0), colors: Int = 256, monochrome: Bool = false,
    cellAspect: Double = 2
  ) throws -> Drawn {
    var model = Fixtures.document(size: size)
    model.colors = colors
    model.monochrome = monochrome
    model.cellAspect = cellAspect
    model.view = view
    model.pagePane.zoom(by: zoom == 4 ? 2 : zoom == 2 ? 1 : 0)
    model.pagePane.pan(x: pan.x, y: pan.y)
    let key = try #require(model.pageImageKey)
    let image = PageImage(
      number: 1, bytes: page.png(), mimeType: "image/png", width: page.width,
      height: page.height)
    let decoded = try #require(DecodedPage(image))
    let drawn = try #require(PagePaneState.PageImage.draw(decoded, for: key))
    guard case .cells(let cells) = drawn else {
      throw Failure("expected cells, got \(drawn)")
    }
    _ = update(&model, .pageImageReady(key, drawn))
    let area = Layout(size, view: view).imageArea
    return Drawn(
      screen: render(model), key: key,
      origin: (
        area.x + max(0, (area.width - cells.columns) / 2),
        area.y + max(0, (area.height - cells.rows) / 2)
      ),
      cells: cells, page: page, palette: key.palette)
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  // MARK: - The judge

  /// The darkness (0 white … 1 black) of each half-cell of the drawn image, as the screen shows
  /// it: 2 columns and 2 rows of quadrants a cell, from its symbol and colours. Throws on a
  /// symbol that is not a block element (a `�` on screen).
  static func quadrants(_ drawn: Drawn) throws -> [[Double]] {
    let (columns, rows) = (drawn.cells.columns, drawn.cells.rows)
    var grid = Array(repeating: Array(repeating: 0.0, count: 2 * columns), count: 2 * rows)
    for row in 0..<rows {
      for column in 0..<columns {
        let cell = drawn.screen[drawn.origin.x + column, drawn.origin.y + row]
        guard let covered = coverage[cell.grapheme] else {
          throw Failure("cell (\(column), \(row)) shows \(cell.grapheme.debugDescription)")
        }
        let ink = darkness(cell.style.foreground, isForeground: true, drawn.palette)
        let paper = darkness(cell.style.background, isForeground: false, drawn.palette)
        for quadrant in 0..<4 {
          grid[2 * row + quadrant / 2][2 * column + quadrant % 2] =
            covered[quadrant] ? ink : paper
        }
      }
    }
    return grid
  }

  /// Which quadrants (top-left, top-right, bottom-left, bottom-right) a symbol paints in its
  /// foreground colour.
  static let coverage: [String: [Bool]] = [
    " ": [false, false, false, false], "█": [true, true, true, true],
    "▀": [true, true, false, false], "▄": [false, false, true, true],
    "▌": [true, false, true, false], "▐": [false, true, false, true],
    "▘": [true, false, false, false], "▝": [false, true, false, false],
    "▖": [false, false, true, false], "▗": [false, false, false, true],
    "▚": [true, false, false, true], "▞": [false, true, true, false],
    "▛": [true, true, true, false], "▜": [true, true, false, true],
    "▙": [true, false, true, true], "▟": [false, true, true, true],
  ]

  /// How dark a colour is. In monochrome the terminal's own colours are used, and they are
  /// drawn as chafa draws for a dark terminal: its foreground is the paper, its background the
  /// ink (so the page looks like the page on the common dark terminal).
  static func darkness(_ color: Color, isForeground: Bool, _ palette: ImagePalette) -> Double {
    switch color {
    case .default: return isForeground ? 0 : 1
    case .black: return 1
    case .white: return 0.25
    case .indexed(let index): return 1 - luminance(Int(index))
    default: return 0.5
    }
  }

  /// The 256-colour palette's brightness (0…1): the 6×6×6 cube, then 24 greys.
  static func luminance(_ index: Int) -> Double {
    if index >= 232 { return Double(8 + 10 * (index - 232)) / 255 }
    guard index >= 16 else { return index == 15 || index == 7 ? 0.8 : 0.3 }
    let levels: [Double] = [0, 95, 135, 175, 215, 255]
    let (r, g, b) = ((index - 16) / 36, (index - 16) / 6 % 6, (index - 16) % 6)
    return (0.2126 * levels[r] + 0.7152 * levels[g] + 0.0722 * levels[b]) / 255
  }

  /// Where each bar of the page falls in quadrant columns (or rows) of the drawn image, for the
  /// bars at least `minimum` quadrants thick (thinner ones may blur to grey).
  static func spans(
    _ bars: [ClosedRange<Double>], regionStart: Double, regionSize: Double, quadrants: Int,
    minimum: Double = 1.5
  ) -> (visible: [ClosedRange<Double>], all: [ClosedRange<Double>]) {
    let all = bars.map { bar in
      ((bar.lowerBound - regionStart) / regionSize * Double(quadrants))...((bar.upperBound
        - regionStart) / regionSize * Double(quadrants))
    }.filter { $0.upperBound > 0 && $0.lowerBound < Double(quadrants) }
    let visible = all.filter {
      min($0.upperBound, Double(quadrants)) - max($0.lowerBound, 0) >= minimum
    }
    return (visible, all)
  }

  /// What is wrong with the drawn image, or nil: each quadrant row away from the horizontal
  /// bars is dark exactly at the vertical bars (± 1 cell = 2 quadrants), and each horizontal
  /// bar is dark across the whole width.
  static func misdrawn(_ drawn: Drawn) throws -> String? {
    let grid = try quadrants(drawn)
    let region = drawn.key.region
    let (width, height) = (grid.first?.count ?? 0, grid.count)
    let columns = spans(
      drawn.page.vertical, regionStart: region.x, regionSize: region.width, quadrants: width)
    let rows = spans(
      drawn.page.horizontal, regionStart: region.y, regionSize: region.height, quadrants: height)
    let slack = 2.0
    func near(_ index: Int, _ spans: [ClosedRange<Double>]) -> Bool {
      spans.contains {
        Double(index) + 1 > $0.lowerBound - slack && Double(index) < $0.upperBound + slack
      }
    }
    for y in 0..<height where !near(y, rows.all) {
      for x in 0..<width where grid[y][x] > 0.5 && !near(x, columns.all) {
        return "dark at quadrant (\(x), \(y)), no vertical bar within a cell"
      }
      for bar in columns.visible {
        let inside =
          Int(
            max(0, bar.lowerBound - slack))..<Int(
            min(Double(width), bar.upperBound + slack).rounded(.up))
        if !inside.contains(where: { grid[y][$0] > 0.5 }) {
          return "quadrant row \(y): the bar at quadrant columns \(bar) is missing"
        }
      }
    }
    for bar in rows.visible {
      let inside =
        Int(
          max(0, bar.lowerBound - slack))..<Int(
          min(Double(height), bar.upperBound + slack).rounded(.up))
      for x in 0..<width where !inside.contains(where: { grid[$0][x] > 0.5 }) {
        return "the horizontal bar at quadrant rows \(bar) is broken at quadrant column \(x)"
      }
    }
    return nil
  }

  static func picture(_ drawn: Drawn) -> String {
    (0..<drawn.cells.rows).map { row in
      (0..<drawn.cells.columns).map { column in
        drawn.screen[drawn.origin.x + column, drawn.origin.y + row].grapheme
      }.joined()
    }.joined(separator: "\n")
  }

  // MARK: - The properties

  /// The report's own cases: a 1001-px-wide page, whose rows chafa sheared at most sizes.
  @Test(arguments: [
    Size(width: 160, height: 48), Size(width: 120, height: 40), Size(width: 100, height: 24),
    Size(width: 160, height: 40),
  ])
  func theReportedSizesDrawStraightBars(size: Size) throws {
    let drawn = try Self.draw(.bars(width: 1001, height: 1400), size: size)
    #expect(try Self.misdrawn(drawn) == nil, "\n\(Self.picture(drawn))")
  }

  @Test func barsStayStraightAndInPlaceAtEverySizeZoomAndPan() throws {
    var random = SplitMix64(seed: 27)
    for _ in 0..<60 {
      let landscape = random.below(3) == 0
      let (long, short) = (600 + random.below(1200), 300 + random.below(900))
      let page = GeometryPage.bars(
        width: landscape ? long : short, height: landscape ? short : long)
      let size = Size(width: 60 + random.below(161), height: 15 + random.below(56))
      let zoom = random.pick([1, 1, 2, 4])
      let maxPan = 8 - 8 / zoom
      let drawn = try Self.draw(
        page, size: size, view: random.pick([.pageAndText, .page]), zoom: zoom,
        pan: (random.below(maxPan + 1), random.below(maxPan + 1)),
        cellAspect: random.pick([1.8, 2.0, 2.2, 2.5]))
      if let wrong = try Self.misdrawn(drawn) {
        Issue.record(
          "\(page.width)×\(page.height) px at \(size.width)×\(size.height), zoom \(zoom), pan \(drawn.key.panX),\(drawn.key.panY): \(wrong)\n\(Self.picture(drawn))"
        )
        return
      }
    }
  }

  @Test func monochromeTellsInkFromPaperByTheGlyphs() throws {
    var random = SplitMix64(seed: 2)
    for _ in 0..<16 {
      let page = GeometryPage.bars(width: 600 + random.below(1200), height: 800 + random.below(900))
      let size = Size(width: 60 + random.below(161), height: 15 + random.below(56))
      for (colors, monochrome) in [(8, false), (256, true)] {
        let drawn = try Self.draw(page, size: size, colors: colors, monochrome: monochrome)
        #expect(drawn.palette == .monochrome)
        if let wrong = try Self.misdrawn(drawn) {
          Issue.record("\(size.width)×\(size.height): \(wrong)\n\(Self.picture(drawn))")
          return
        }
      }
    }
  }

  /// A text page is mostly paper even where it is printed: scaled to a pane and drawn in two
  /// levels it averaged to one blank block of `█`. Its lines must show where they are.
  @Test func printedLinesShowWithoutColour() throws {
    var random = SplitMix64(seed: 5)
    for _ in 0..<8 {
      let page = GeometryPage(
        width: 900 + random.below(900), height: 1200 + random.below(800),
        ruled: [(0.15...0.85, 0.20...0.45), (0.15...0.50, 0.60...0.80)])
      let size = Size(width: 60 + random.below(161), height: 15 + random.below(56))
      let drawn = try Self.draw(page, size: size, colors: 8)
      let grid = try Self.quadrants(drawn)
      let (height, width) = (grid.count, grid[0].count)
      func share(_ x: ClosedRange<Double>, _ y: ClosedRange<Double>) -> Double {
        let rows = Int(y.lowerBound * Double(height) + 1)..<Int(y.upperBound * Double(height) - 1)
        let columns =
          Int(
            x.lowerBound * Double(width) + 1)..<Int(
            x.upperBound * Double(width) - 1)
        let dark = rows.flatMap { row in columns.map { grid[row][$0] } }.filter { $0 > 0.5 }
        return Double(dark.count) / Double(max(1, rows.count * columns.count))
      }
      let printed = share(0.15...0.85, 0.20...0.45)
      let paper = share(0.05...0.95, 0.85...0.98)
      #expect(
        printed > 0.4 && paper == 0,
        "\(size): printed \(printed), paper \(paper)\n\(Self.picture(drawn))")
    }
  }
}

import OCRKit
import Synchronization

/// Grounding mode's layout blocks (`![label](x1,y1,x2,y2)` before each block) drawn as boxes
/// over the page image, in a colour per label, the selected one (`[`/`]`) highlighted.
enum GroundingBoxes {
  /// The colour of a label's boxes: the same kinds of block look alike on every page.
  static func color(_ label: String) -> Color {
    switch label {
    case "title", "section", "header": .red
    case "table", "chart": .green
    case "formula", "code": .magenta
    case "image", "caption": .blue
    case "footer", "footnote", "page_number", "aside_text": .yellow
    default: .cyan
    }
  }

  /// The cells (left, top, right, bottom; inclusive) a block covers in an image of `columns ×
  /// rows` cells showing `region` of the page; nil when it is outside the region shown.
  static func cells(
    _ box: NormalizedBox, region: (x: Double, y: Double, width: Double, height: Double),
    columns: Int, rows: Int
  ) -> (left: Int, top: Int, right: Int, bottom: Int)? {
    func column(_ value: Int) -> Double {
      (Double(value) / 1000 - region.x) / region.width * Double(columns)
    }
    func row(_ value: Int) -> Double {
      (Double(value) / 1000 - region.y) / region.height * Double(rows)
    }
    let left = Int(column(min(box.x1, box.x2)).rounded(.down))
    let right = Int(column(max(box.x1, box.x2)).rounded(.up)) - 1
    let top = Int(row(min(box.y1, box.y2)).rounded(.down))
    let bottom = Int(row(max(box.y1, box.y2)).rounded(.up)) - 1
    guard right >= 0, bottom >= 0, left < columns, top < rows else { return nil }
    return (
      max(0, left), max(0, top), min(columns - 1, max(left, right)), min(rows - 1, max(top, bottom))
    )
  }

  /// The blocks of a page's text, parsed once per change of the text rather than on every
  /// frame and key (measured: 8,000 boxes cost 0.44 s a key, 40,000 about 2 s).
  static func blocks(of text: String) -> [GroundedBlock] { memo.blocks(of: text) }

  private static let memo = BlocksMemo()

  /// The most boxes drawn: more than a pane shows apart (200×60 cells is 12,000), and each
  /// costs every frame its cells. The selected one is drawn whatever its number.
  static let mostDrawn = 1_000

  /// Which of `count` blocks are drawn.
  static func drawn(count: Int, selected: Int?) -> [Int] {
    var drawn = Array(0..<min(count, mostDrawn))
    if let selected, selected >= mostDrawn, selected < count { drawn.append(selected) }
    return drawn
  }

  /// Draws the outlines of `blocks` over the image at (`x`, `y`).
  static func draw(
    _ canvas: inout Canvas, _ blocks: [GroundedBlock], selected: Int?, key: PageImageKey,
    at origin: (x: Int, y: Int), columns: Int, rows: Int
  ) {
    for index in drawn(count: blocks.count, selected: selected) {
      let block = blocks[index]
      guard
        let cells = cells(block.box, region: key.region, columns: columns, rows: rows)
      else { continue }
      let isSelected = index == selected
      let style = Style(
        foreground: color(block.label), background: isSelected ? .black : .default,
        bold: isSelected)
      let (left, top, right, bottom) = (
        origin.x + cells.left, origin.y + cells.top, origin.x + cells.right,
        origin.y + cells.bottom
      )
      for x in left...right {
        let edge = x == left ? ("┌", "└") : x == right ? ("┐", "┘") : ("─", "─")
        canvas.write(edge.0, x: x, y: top, style: style)
        if bottom > top { canvas.write(edge.1, x: x, y: bottom, style: style) }
      }
      for y in (top + 1)..<max(top + 1, bottom) {
        canvas.write("│", x: left, y: y, style: style)
        if right > left { canvas.write("│", x: right, y: y, style: style) }
      }
      if isSelected, right - left > 2 {
        canvas.write(block.label, x: left + 1, y: top, style: style, maxWidth: right - left - 1)
      }
    }
  }
}

/// `[` and `]`: the previous or next grounded block of the selected page. The text scrolls to
/// its marker line, and a zoomed image pans to it.
func selectBlock(_ model: inout Model, by step: Int) {
  guard var document = model.document else { return }
  let blocks = GroundingBoxes.blocks(of: document.selectedPage.text)
  guard !blocks.isEmpty else {
    model.message = Model.Message("this page has no grounding boxes (--grounding)")
    return
  }
  let onThisPage = model.pagePane.blockPage == document.selected
  let current = (onThisPage ? model.pagePane.block : nil) ?? (step > 0 ? -1 : blocks.count)
  let index = min(max(current + step, 0), blocks.count - 1)
  model.pagePane.block = index
  model.pagePane.blockPage = document.selected
  let block = blocks[index]
  model.message = Model.Message("block \(index + 1)/\(blocks.count): \(block.label)")
  // The text: the block's marker line, the index-th line that starts with a box (an image
  // link like `![figure](fig.png)` is not one: the grounding parser decides).
  let markers = paneLines(document.selectedPage, model.paneFormat).enumerated().filter {
    $0.element.text.hasPrefix("![") && !GroundedBlock.parse($0.element.text).isEmpty
  }
  if markers.indices.contains(index) {
    document.follow = false
    document.scroll = markers[index].offset
    model.document = document
    clampScroll(&model)
  }
  // The image: its top-left corner in view.
  let (x, y) = (min(block.box.x1, block.box.x2), min(block.box.y1, block.box.y2))
  model.pagePane.panX = 0
  model.pagePane.panY = 0
  model.pagePane.pan(x: x * 8 / 1000, y: y * 8 / 1000)
}

/// The blocks of the last two texts parsed (the page shown, and the one before it).
private final class BlocksMemo: Sendable {
  private let entries = Mutex<[(text: String, blocks: [GroundedBlock])]>([])

  func blocks(of text: String) -> [GroundedBlock] {
    if let known = entries.withLock({ $0.last { $0.text == text }?.blocks }) { return known }
    let blocks = text.contains("![") ? GroundedBlock.parse(text) : []
    entries.withLock { entries in
      entries.append((text, blocks))
      if entries.count > 2 { entries.removeFirst() }
    }
    return blocks
  }
}

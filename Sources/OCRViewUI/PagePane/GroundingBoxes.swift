import OCRKit

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

  /// Draws the outlines of `blocks` over the image at (`x`, `y`).
  static func draw(
    _ canvas: inout Canvas, _ blocks: [GroundedBlock], selected: Int?, key: PageImageKey,
    at origin: (x: Int, y: Int), columns: Int, rows: Int
  ) {
    for (index, block) in blocks.enumerated() {
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
  let blocks = GroundedBlock.parse(document.selectedPage.text)
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

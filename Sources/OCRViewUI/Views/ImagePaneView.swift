import OCRKit

/// The selected page as an image (`v`): block symbols in colour, centred in the pane, with a
/// title saying the zoom; a placeholder until the image is made, never a wait.
func drawImagePane(
  _ canvas: inout Canvas, _ model: Model, _ document: DocumentState, _ layout: Layout,
  _ theme: Theme
) {
  let pane = layout.imagePane
  guard pane.width > 0, pane.height > 0 else { return }
  let zoom = model.pagePane.zoom
  var title = "Page \(document.selected) image"
  title += zoom == 1 ? " — fit (+ zooms)" : " — \(zoom)× (h/l, j/k on focus: pan; - zooms out)"
  canvas.write(
    TextWrap.truncate(title, width: pane.width), x: pane.x, y: pane.y,
    style: model.focus == .image ? theme.selected : theme.title)
  let area = layout.imageArea
  guard let key = model.pageImageKey else {
    if model.graphics == .none {
      drawCentred(&canvas, "page images are off (--graphics none)", in: area, style: theme.dim)
    }
    return
  }
  switch model.pagePane.images[key] {
  case .cells(let cells)?:
    let left = area.x + max(0, (area.width - cells.columns) / 2)
    let top = area.y + max(0, (area.height - cells.rows) / 2)
    for row in 0..<min(cells.rows, area.height) {
      for column in 0..<min(cells.columns, area.width) {
        let cell = cells[column, row]
        canvas.write(
          String(cell.symbol), x: left + column, y: top + row,
          style: Style(foreground: cell.foreground, background: cell.background))
      }
    }
    GroundingBoxes.draw(
      &canvas, GroundingBoxes.blocks(of: document.selectedPage.text),
      selected: model.pagePane.blockPage == document.selected ? model.pagePane.block : nil,
      key: key, at: (left, top), columns: min(cells.columns, area.width),
      rows: min(cells.rows, area.height))
  case .pixels?:
    break  // the terminal adapter draws it over these blank cells, after the frame
  case .failed(let reason)?:
    drawCentred(&canvas, "✗ " + reason, in: area, style: theme.error)
  case nil:
    drawCentred(&canvas, "drawing the page…", in: area, style: theme.dim)
  }
}

/// One line of text in the middle of `rect`, wrapped to its width.
private func drawCentred(_ canvas: inout Canvas, _ text: String, in rect: Rect, style: Style) {
  let lines = TextWrap.wrap(text, width: rect.width)
  let top = rect.y + max(0, (rect.height - lines.count) / 2)
  for (index, line) in lines.prefix(rect.height).enumerated() {
    canvas.write(
      line, x: rect.x + max(0, (rect.width - DisplayWidth.of(line)) / 2), y: top + index,
      style: style)
  }
}

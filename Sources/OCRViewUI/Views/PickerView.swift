import OCRKit

/// The file picker: directories first, then documents with size and page count.
func drawPicker(_ canvas: inout Canvas, _ model: Model, _ layout: Layout, _ theme: Theme) {
  let picker = model.picker
  drawHeader(&canvas, model, title: "open a file — \(picker.directory)", layout, theme)
  let list = Rect(x: 1, y: 1, width: model.size.width - 2, height: model.size.height - 3)
  let entries = picker.visible
  if picker.isLoading {
    canvas.write("reading the directory…", x: list.x, y: list.y, style: theme.dim)
  } else if let error = picker.error {
    canvas.write(
      TextWrap.truncate(error, width: list.width), x: list.x, y: list.y + list.height - 1,
      style: theme.error)
  }
  let rows = max(1, list.height - (picker.error == nil ? 0 : 1))
  let first = max(0, min(picker.cursor - rows / 2, entries.count - rows))
  for (offset, entry) in entries.dropFirst(first).prefix(rows).enumerated() {
    let y = list.y + offset
    let isCursor = first + offset == picker.cursor
    let (detail, style) = describe(entry, theme)
    let rowStyle = isCursor ? theme.selected : style
    canvas.fill(
      Rect(x: list.x, y: y, width: list.width, height: 1),
      with: Cell(grapheme: " ", style: rowStyle))
    let name = entry.isDirectory ? entry.name + "/" : entry.name
    let detailWidth = min(DisplayWidth.of(detail), list.width / 2)
    canvas.write(
      TextWrap.truncate(name, width: list.width - detailWidth - 2), x: list.x, y: y, style: rowStyle
    )
    canvas.write(
      TextWrap.truncate(detail, width: detailWidth), x: list.x + list.width - detailWidth, y: y,
      style: rowStyle)
  }
  if !picker.isLoading, entries.filter({ $0.name != ".." }).isEmpty, picker.error == nil {
    let note =
      picker.filter.isEmpty
      ? "no PDFs or images here (a: show all files)" : "nothing matches \"\(picker.filter)\""
    canvas.write(note, x: list.x, y: list.y + min(entries.count, rows), style: theme.dim)
  }
  let status = layout.statsBar
  canvas.fill(status, with: Cell(grapheme: " ", style: theme.bar))
  var bar = " \(entries.filter { $0.name != ".." }.count) entries"
  if picker.isFiltering || !picker.filter.isEmpty {
    bar += " │ filter: \(picker.filter)\(picker.isFiltering ? "▏" : "")"
  }
  if picker.showHidden { bar += " │ hidden shown" }
  if picker.showAll { bar += " │ all files" }
  canvas.write(TextWrap.truncate(bar, width: status.width), x: 0, y: status.y, style: theme.bar)
  drawHints(&canvas, model, layout.hintBar, theme, hints: KeyTable.pickerHints)
}

/// The right-hand column of an entry, and how the entry looks.
private func describe(_ entry: PickerEntry, _ theme: Theme) -> (String, Style) {
  switch entry.kind {
  case .directory: return ("", theme.title)
  case .document(let kind, let pageCount):
    var detail = byteCount(entry.size)
    if let pageCount {
      detail += " · \(pageCount) page\(pageCount == 1 ? "" : "s")"
    } else {
      detail += " · \(kind.rawValue.uppercased())"
    }
    return (detail, theme.plain)
  case .unsupported: return (byteCount(entry.size), theme.dim)
  case .unreadable(let reason): return (reason, theme.error)
  }
}

/// "12 KB", "3.4 MB".
func byteCount(_ bytes: Int64) -> String {
  if bytes < 1024 { return "\(bytes) B" }
  if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
  let tenths = bytes * 10 / (1024 * 1024)
  return "\(tenths / 10).\(tenths % 10) MB"
}

import OCRKit

extension PagePaneState.PageImage {
  /// The image `key` asks for, cut from `decoded` and drawn as symbols in cells or as a
  /// graphics protocol's pixels; nil when leptonica cannot cut or scale it. One function for
  /// the runtime and the geometry tests, so what the tests judge is what the pane shows.
  /// Blocking C work (~20 ms for a page at 60×40): call it off the UI thread.
  public static func draw(_ decoded: DecodedPage, for key: PageImageKey) -> Self? {
    let aspect = Double(key.cellAspect) / 100
    let region = key.region
    let part = PageRegion(x: region.x, y: region.y, width: region.width, height: region.height)
    let (columns, rows) = ImageCells.fit(
      width: Int(Double(decoded.width) * part.width),
      height: Int(Double(decoded.height) * part.height), columns: key.columns,
      rows: key.rows, cellAspect: aspect)
    // Eight pixels a cell across is all chafa looks at; more would only cost time.
    guard
      let bitmap = decoded.bitmap(
        part, maxWidth: columns * 8, maxHeight: Int(Double(rows * 8) * aspect),
        keepingInk: key.palette == .monochrome && !key.graphics.isPixels)
    else { return nil }
    guard key.graphics.isPixels else {
      return .cells(
        ImageCells.make(
          bitmap, columns: columns, rows: rows, cellAspect: aspect, palette: key.palette))
    }
    // Pixels need more of them than symbols: the cells' real size, capped by the page's.
    let cell = key.cellPixels
    let fine =
      decoded.bitmap(part, maxWidth: columns * cell.width, maxHeight: rows * cell.height)
      ?? bitmap
    return .pixels(
      bytes: PixelImage.make(
        fine, columns: columns, rows: rows, cellWidth: cell.width, cellHeight: cell.height,
        mode: key.graphics), columns: columns, rows: rows)
  }
}

import OCRMarkup

/// The text layer of a page read with grounding (LightOnOCR-3): each block's words are placed
/// only on tesseract's lines inside that block's box, so a block cannot be pulled into another
/// column or a table's cell into the next one — the model has said where each block stands,
/// and the alignment need only find the lines and words within it.
///
/// A tesseract line belongs to the first block whose box holds its centre. A block with no
/// tesseract line in its box (a figure caption tesseract missed, say) gets its lines stacked
/// from the top of its box. Text before the first box marker is placed on the lines no block
/// took. A page without any marker is placed as a whole (`WordPlacement`).
public enum GroundedPlacement {
  public static func place(
    rawText: String, layout: TesseractLayout, page: Int, imageWidth: Int, imageHeight: Int
  ) -> PlacedPage {
    let blocks = GroundedBlock.parse(rawText)
    guard !blocks.isEmpty else {
      return WordPlacement.place(
        text: ModelPlainText.plain(rawText, grounded: true), layout: layout, page: page,
        imageWidth: imageWidth, imageHeight: imageHeight)
    }
    var free = layout.blocks.map { $0.lines.map { _ in true } }
    var placed: [PlacedBlock] = []
    func take(inside box: PixelBox?) -> TesseractLayout {
      var sub = TesseractLayout(imageWidth: imageWidth, imageHeight: imageHeight)
      for (b, block) in layout.blocks.enumerated() {
        var lines: [TesseractLayout.Line] = []
        for (l, line) in block.lines.enumerated() where free[b][l] {
          let centre = ((line.box.x1 + line.box.x2) / 2, (line.box.y1 + line.box.y2) / 2)
          guard box.map({ $0.holds(centre) }) ?? true else { continue }
          free[b][l] = false
          lines.append(line)
        }
        if !lines.isEmpty { sub.blocks.append(.init(box: block.box, lines: lines)) }
      }
      return sub
    }
    // Each block takes its lines first; text before the first marker gets what is left.
    var work: [(text: String, layout: TesseractLayout, box: PixelBox?)] = blocks.map { block in
      let box = block.box.pixels(width: imageWidth, height: imageHeight)
      return (ModelPlainText.plain(block.text), take(inside: box), box)
    }
    let leading = Self.leadingText(rawText)
    if leading.contains(where: { !$0.isWhitespace }) {
      work.insert((ModelPlainText.plain(leading), take(inside: nil), nil), at: 0)
    }
    for item in work where item.text.contains(where: { !$0.isWhitespace }) {
      if item.layout.blocks.isEmpty, let box = item.box {
        placed += stacked(item.text, in: box, page: page)
      } else {
        placed +=
          WordPlacement.place(
            text: item.text, layout: item.layout, page: page, imageWidth: imageWidth,
            imageHeight: imageHeight
          ).blocks
      }
    }
    return PlacedPage(
      number: page, imageWidth: imageWidth, imageHeight: imageHeight, blocks: placed)
  }

  /// The text before the first box marker (which belongs to no block).
  static func leadingText(_ raw: String) -> String {
    var parser = GroundingParser()
    var text = ""
    for piece in parser.feed(raw) + parser.finish() {
      guard case .text(let part) = piece else { break }
      text += part
    }
    return text
  }

  /// The block's lines stacked from the top of its box (as a page with no text read is).
  static func stacked(_ text: String, in box: PixelBox, page: Int) -> [PlacedBlock] {
    let inBox = WordPlacement.place(
      text: text, layout: TesseractLayout(), page: page, imageWidth: max(1, box.x2 - box.x1),
      imageHeight: max(1, box.y2 - box.y1))
    return inBox.blocks.map { $0.moved(by: box.x1, box.y1) }
  }
}

extension Box {
  /// Whether the point lies in the box (its edges included).
  func holds(_ point: (x: Int, y: Int)) -> Bool {
    point.x >= x1 && point.x <= x2 && point.y >= y1 && point.y <= y2
  }

  func moved(by dx: Int, _ dy: Int) -> Box {
    Box(x1: x1 + dx, y1: y1 + dy, x2: x2 + dx, y2: y2 + dy)
  }
}

extension PlacedBlock {
  func moved(by dx: Int, _ dy: Int) -> PlacedBlock {
    var block = self
    block.box = box.moved(by: dx, dy)
    for l in block.lines.indices {
      block.lines[l].box = block.lines[l].box.moved(by: dx, dy)
      block.lines[l].baselineLeft += Double(dy)
      block.lines[l].baselineRight += Double(dy)
      for w in block.lines[l].words.indices {
        block.lines[l].words[w].box = block.lines[l].words[w].box.moved(by: dx, dy)
      }
    }
    return block
  }
}

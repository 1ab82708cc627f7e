/// One layout block of a page read in grounding mode: what it is, where, and its text. What
/// the page pane draws boxes from, and what `--format jsonl` lists per page.
public struct GroundedBlock: Sendable, Equatable {
  /// `title`, `text`, `table`, … (see `GroundingLabel`); any label the model writes is kept.
  public var label: String
  /// The label ended in `+`: this block continues the previous one.
  public var continues: Bool
  /// Corners in 0–1000 of the page (`box.pixels(width:height:)` for an image's pixels).
  public var box: NormalizedBox
  /// The block's text, without surrounding whitespace: everything up to the next marker.
  public var text: String

  public init(label: String, continues: Bool = false, box: NormalizedBox, text: String) {
    self.label = label
    self.continues = continues
    self.box = box
    self.text = text
  }

  /// The blocks of a page's raw grounding output (text before the first marker belongs to
  /// none). Pure: the same parser that streams, run over the whole text.
  public static func parse(_ raw: String) -> [GroundedBlock] {
    var parser = GroundingParser()
    var blocks: [GroundedBlock] = []
    for piece in parser.feed(raw) + parser.finish() {
      switch piece {
      case .marker(let marker):
        blocks.append(
          GroundedBlock(
            label: marker.label, continues: marker.continues, box: marker.box, text: ""))
      case .text(let text):
        if !blocks.isEmpty { blocks[blocks.count - 1].text += text }
      }
    }
    for index in blocks.indices {
      blocks[index].text = blocks[index].text.trimmingWhitespace()
    }
    return blocks
  }
}

extension String {
  func trimmingWhitespace() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }),
      let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }
}

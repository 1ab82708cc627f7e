/// One page's text layer: the model's words, each placed where it stands on the page image
/// the page was read from. What `WordPlacement` makes (the model's text aligned to
/// tesseract's word boxes) and what the searchable PDF and hOCR writers take.
///
/// Boxes are in pixels of that image (`imageWidth` × `imageHeight`, origin top left, y down),
/// so the writers map them to PDF user space with nothing but the page's own geometry.
public struct PlacedPage: Sendable, Equatable {
  /// 1-based page number in its document.
  public var number: Int
  public var imageWidth: Int
  public var imageHeight: Int
  /// In reading order.
  public var blocks: [PlacedBlock]

  public init(number: Int, imageWidth: Int, imageHeight: Int, blocks: [PlacedBlock]) {
    self.number = number
    self.imageWidth = imageWidth
    self.imageHeight = imageHeight
    self.blocks = blocks
  }

  /// Every word, in reading order.
  public var words: [PlacedWord] { blocks.flatMap { $0.lines.flatMap(\.words) } }

  /// The same page with its boxes in pixels of a `width` × `height` image of it (hOCR counts
  /// in the image file's pixels, which the page may have been read smaller than).
  public func scaled(toWidth width: Int, height: Int) -> PlacedPage {
    guard imageWidth > 0, imageHeight > 0, width != imageWidth || height != imageHeight else {
      return self
    }
    let (sx, sy) = (Double(width) / Double(imageWidth), Double(height) / Double(imageHeight))
    func box(_ box: PixelBox) -> PixelBox {
      PixelBox(
        x1: Int((Double(box.x1) * sx).rounded()), y1: Int((Double(box.y1) * sy).rounded()),
        x2: Int((Double(box.x2) * sx).rounded()), y2: Int((Double(box.y2) * sy).rounded()))
    }
    var page = self
    (page.imageWidth, page.imageHeight) = (width, height)
    for b in page.blocks.indices {
      page.blocks[b].box = box(page.blocks[b].box)
      for l in page.blocks[b].lines.indices {
        var line = page.blocks[b].lines[l]
        line.box = box(line.box)
        (line.baselineLeft, line.baselineRight) = (line.baselineLeft * sy, line.baselineRight * sy)
        for w in line.words.indices { line.words[w].box = box(line.words[w].box) }
        page.blocks[b].lines[l] = line
      }
    }
    return page
  }
}

/// A region of text read as one (a column, a table, a caption): hOCR's `ocr_carea`/`ocr_par`.
public struct PlacedBlock: Sendable, Equatable {
  public var box: PixelBox
  public var lines: [PlacedLine]

  public init(box: PixelBox, lines: [PlacedLine]) {
    self.box = box
    self.lines = lines
  }
}

/// One line of text. Every word on it takes the line's height (what a selection highlight
/// should cover) and sits on its baseline.
public struct PlacedLine: Sendable, Equatable {
  public var box: PixelBox
  /// The baseline's y at the line's left and right edges (pixels): lines on a skewed scan
  /// slope.
  public var baselineLeft: Double
  public var baselineRight: Double
  public var words: [PlacedWord]

  public init(box: PixelBox, baselineLeft: Double, baselineRight: Double, words: [PlacedWord]) {
    self.box = box
    self.baselineLeft = baselineLeft
    self.baselineRight = baselineRight
    self.words = words
  }
}

/// One of the model's words and where it stands.
public struct PlacedWord: Sendable, Equatable {
  /// The model's word (never tesseract's reading of it).
  public var text: String
  /// Horizontal extent on the page; vertically the word spans its line's box.
  public var box: PixelBox
  public var placement: Placement

  public enum Placement: Sendable, Equatable {
    /// Aligned to a tesseract word (or to part of one, or several) with this similarity, 0–1.
    case matched(similarity: Double)
    /// No tesseract partner: placed between its matched neighbours on its line.
    case interpolated
    /// A line tesseract missed altogether: given a line of its own inside its block.
    case ownLine
  }

  public init(text: String, box: PixelBox, placement: Placement) {
    self.text = text
    self.box = box
    self.placement = placement
  }
}

/// The page image's dark pixels, one bit each: where ink stands that tesseract read nothing
/// of. A text layer puts the lines tesseract missed — a table's dashed rules and header, a
/// row of dots — on the rows of ink between the lines it read (`WordPlacement`), instead of
/// stacking them by count below the line before.
///
/// Bits as leptonica keeps a one-bit image: rows of `UInt32` words, the leftmost pixel in the
/// most significant bit, so a page's mask is one copy of `pixConvertTo1`'s data.
public struct InkMask: Sendable, Equatable {
  public let width: Int
  public let height: Int
  let wordsPerRow: Int
  let words: [UInt32]

  /// A mask of leptonica's layout (`wordsPerRow` words a row, `words.count` of them).
  init(width: Int, height: Int, wordsPerRow: Int, words: [UInt32]) {
    precondition(wordsPerRow * 32 >= width && words.count >= wordsPerRow * height)
    (self.width, self.height, self.wordsPerRow, self.words) = (width, height, wordsPerRow, words)
  }

  /// A mask where `isDark(x, y)` says which pixels are ink: what tests draw pages with.
  public init(width: Int, height: Int, isDark: (Int, Int) -> Bool) {
    let wordsPerRow = (width + 31) / 32
    var words = [UInt32](repeating: 0, count: wordsPerRow * height)
    for y in 0..<height {
      for x in 0..<width where isDark(x, y) {
        words[y * wordsPerRow + x / 32] |= 1 << (31 - UInt32(x % 32))
      }
    }
    self.init(width: width, height: height, wordsPerRow: wordsPerRow, words: words)
  }

  public func isDark(x: Int, y: Int) -> Bool {
    guard x >= 0, y >= 0, x < width, y < height else { return false }
    return words[y * wordsPerRow + x / 32] >> (31 - UInt32(x % 32)) & 1 == 1
  }

  /// A run of rows with ink inside a region, between rows without: a printed line, a rule, a
  /// row of dots. `y2` and `x2` are exclusive; `x1`…`x2` is the extent of its ink.
  public struct Band: Sendable, Equatable {
    public var y1: Int
    public var y2: Int
    public var x1: Int
    public var x2: Int
    /// Its dark pixels.
    public var ink: Int
    /// The ink's columns, left to right: runs of columns with ink, split where `gap` or more
    /// columns have none (`bands(in:excluding:gap:)`).
    public var segments: [Range<Int>]

    public var height: Int { y2 - y1 }
    public var center: Double { Double(y1 + y2) / 2 }
  }

  /// The bands of ink inside `region` (clamped to the image), leaving out the pixels inside
  /// `excluded` (what tesseract read already); each band's ink split into segments at `gap`
  /// or more columns without ink. A row with a single dark pixel (a speck of a scan) counts
  /// as without.
  public func bands(in region: PixelBox, excluding excluded: [PixelBox], gap: Int) -> [Band] {
    let (x1, x2) = (max(0, region.x1), min(width, region.x2))
    let (y1, y2) = (max(0, region.y1), min(height, region.y2))
    guard x2 > x1, y2 > y1 else { return [] }
    let cuts = excluded.filter { $0.x2 > x1 && $0.x1 < x2 && $0.y2 > y1 && $0.y1 < y2 }
    // Per row, the columns of its dark pixels outside the excluded boxes.
    var rows: [[Int]] = []
    rows.reserveCapacity(y2 - y1)
    for y in y1..<y2 {
      let holes = cuts.filter { $0.y1 <= y && y < $0.y2 }
      var dark: [Int] = []
      for x in x1..<x2 where isDark(x: x, y: y) {
        if !holes.contains(where: { $0.x1 <= x && x < $0.x2 }) { dark.append(x) }
      }
      rows.append(dark.count > 1 ? dark : [])
    }
    var bands: [Band] = []
    var start: Int?
    for k in 0...rows.count {
      let inked = k < rows.count && !rows[k].isEmpty
      if inked, start == nil { start = k }
      guard !inked, let first = start else { continue }
      start = nil
      let columns = Set(rows[first..<k].flatMap { $0 }).sorted()
      var segments: [Range<Int>] = []
      for x in columns {
        if let last = segments.last, x - last.upperBound < gap {
          segments[segments.count - 1] = last.lowerBound..<(x + 1)
        } else {
          segments.append(x..<(x + 1))
        }
      }
      bands.append(
        Band(
          y1: y1 + first, y2: y1 + k, x1: columns.first!, x2: columns.last! + 1,
          ink: rows[first..<k].map(\.count).reduce(0, +), segments: segments))
    }
    return bands
  }
}

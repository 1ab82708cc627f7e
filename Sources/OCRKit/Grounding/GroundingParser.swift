/// A box's corners: left, top, right, bottom edges. `Space` says what they count in, so a box
/// in 0–1000 of the page is never taken for one in an image's pixels.
public struct Box<Space: BoxSpace>: Sendable, Equatable, Codable {
  public var x1: Int
  public var y1: Int
  public var x2: Int
  public var y2: Int

  public init(x1: Int, y1: Int, x2: Int, y2: Int) {
    self.x1 = x1
    self.y1 = y1
    self.x2 = x2
    self.y2 = y2
  }
}

/// What a `Box`'s numbers count.
public protocol BoxSpace: Sendable {}
/// Thousandths of the page on both axes, whatever the image size: as LightOnOCR-3 writes boxes.
public enum Thousandths: BoxSpace {}
/// An image's pixels.
public enum Pixels: BoxSpace {}

/// A block's box as LightOnOCR-3 writes it: corners in 0–1000 of the page on both axes.
public typealias NormalizedBox = Box<Thousandths>
public typealias PixelBox = Box<Pixels>

extension Box where Space == Thousandths {
  /// The box in pixels of a `width` × `height` image (rounded to whole pixels).
  public func pixels(width: Int, height: Int) -> PixelBox {
    func scale(_ value: Int, _ size: Int) -> Int {
      Int((Double(value) * Double(size) / 1000).rounded())
    }
    return PixelBox(
      x1: scale(x1, width), y1: scale(y1, height), x2: scale(x2, width), y2: scale(y2, height))
  }
}

/// One box marker, `![label](x1,y1,x2,y2)`; a label ending in `+` (`text+`) marks a block that
/// continues the previous one (a paragraph flowing into the next column).
public struct GroundingMarker: Sendable, Equatable {
  public var label: String
  public var continues: Bool
  public var box: NormalizedBox

  public init(label: String, continues: Bool = false, box: NormalizedBox) {
    self.label = label
    self.continues = continues
    self.box = box
  }
}

/// Splits grounding output into text and box markers as it streams in: a marker split across
/// deltas comes out whole once its last byte arrives. Only a tail that could still become a
/// marker is held back (at most a few dozen ASCII bytes, so text is never split inside a
/// UTF-8 character); anything that turns out not to be one — `![alt](figure.png)`, a box with
/// three numbers — is text. Pure value type, like `SSEDecoder`.
///
/// Grammar, as `MARKER` in LightOn's `lightonocr/grounding.py` (bounded here, so the held tail
/// is): `![` label `+`? `](` four numbers separated by `,` `)`, whitespace allowed around the
/// numbers, spaces and tabs after the marker dropped. A label starts with a letter or `_` and
/// goes on with letters, digits, `_` and `-`. Each number is 0–1000 (the page's scale): a
/// larger one is no box of the page, so its marker is text.
public struct GroundingParser: Sendable {
  public enum Piece: Sendable, Equatable {
    case text(String)
    case marker(GroundingMarker)
  }

  static let maxLabelBytes = 40
  static let maxDigits = 6
  static let maxSpaces = 3

  private var held: [UInt8] = []
  /// The last marker's trailing spaces and tabs are still being dropped.
  private var afterMarker = false

  public init() {}

  /// The pieces `text` completes, in order (text pieces are never empty).
  public mutating func feed(_ text: String) -> [Piece] {
    let bytes = held + Array(text.utf8)
    held = []
    var pieces: [Piece] = []
    var i = 0
    if afterMarker { i = skipSpaces(bytes, from: 0) }
    var textStart = i
    func flushText(upTo end: Int) {
      if end > textStart {
        pieces.append(.text(String(decoding: bytes[textStart..<end], as: UTF8.self)))
      }
    }
    while i < bytes.count {
      guard bytes[i] == UInt8(ascii: "!") else {
        i += 1
        continue
      }
      switch Self.match(bytes, at: i) {
      case .marker(let marker, let end):
        flushText(upTo: i)
        pieces.append(.marker(marker))
        i = skipSpaces(bytes, from: end)
        textStart = i
      case .partial:
        flushText(upTo: i)
        held = Array(bytes[i...])
        return pieces
      case .none:
        i += 1
      }
    }
    flushText(upTo: bytes.count)
    return pieces
  }

  /// The end of the text: a tail held back is text after all.
  public mutating func finish() -> [Piece] {
    defer {
      held = []
      afterMarker = false
    }
    return held.isEmpty ? [] : [.text(String(decoding: held, as: UTF8.self))]
  }

  /// Skips spaces and tabs after a marker; at the end of the bytes, keeps skipping next time.
  private mutating func skipSpaces(_ bytes: [UInt8], from start: Int) -> Int {
    var i = start
    while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") {
      i += 1
    }
    afterMarker = i == bytes.count
    return i
  }

  enum Match: Equatable {
    case marker(GroundingMarker, end: Int)
    /// The bytes ran out while they could still be a marker.
    case partial
    case none
  }

  /// Whether a marker starts at `start` (a `!`).
  static func match(_ bytes: [UInt8], at start: Int) -> Match {
    var cursor = Cursor(bytes: bytes, index: start + 1)
    do throws(Cursor.Stop) {
      try cursor.expect("[")
      let label = try cursor.label()
      let continues = try cursor.optional("+")
      try cursor.expect("]")
      try cursor.expect("(")
      var numbers: [Int] = []
      for separator in [",", ",", ",", ")"] as [Unicode.Scalar] {
        try cursor.spaces()
        numbers.append(try cursor.number())
        try cursor.spaces()
        try cursor.expect(separator)
      }
      let box = NormalizedBox(x1: numbers[0], y1: numbers[1], x2: numbers[2], y2: numbers[3])
      return .marker(
        GroundingMarker(label: label, continues: continues, box: box), end: cursor.index)
    } catch {
      return error == .partial ? .partial : .none
    }
  }

  /// Reads a marker's grammar; runs out with `.partial`, fails with `.none`.
  private struct Cursor {
    enum Stop: Error { case partial, none }
    let bytes: [UInt8]
    var index: Int

    func peek() throws(Stop) -> UInt8 {
      guard index < bytes.count else { throw .partial }
      return bytes[index]
    }

    mutating func expect(_ scalar: Unicode.Scalar) throws(Stop) {
      guard try peek() == UInt8(ascii: scalar) else { throw .none }
      index += 1
    }

    mutating func optional(_ scalar: Unicode.Scalar) throws(Stop) -> Bool {
      guard try peek() == UInt8(ascii: scalar) else { return false }
      index += 1
      return true
    }

    mutating func label() throws(Stop) -> String {
      let start = index
      let first = try peek()
      guard Self.isLetter(first) || first == UInt8(ascii: "_") else { throw .none }
      index += 1
      while Self.isLabelByte(try peek()) {
        index += 1
        guard index - start <= GroundingParser.maxLabelBytes else { throw .none }
      }
      return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func spaces() throws(Stop) {
      var count = 0
      while [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")]
        .contains(try peek())
      {
        index += 1
        count += 1
        guard count <= GroundingParser.maxSpaces else { throw .none }
      }
    }

    mutating func number() throws(Stop) -> Int {
      var value = 0
      var digits = 0
      while Self.isDigit(try peek()) {
        value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        index += 1
        digits += 1
        guard digits <= GroundingParser.maxDigits, value <= 1000 else { throw .none }
      }
      guard digits > 0 else { throw .none }
      return value
    }

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isLetter(_ byte: UInt8) -> Bool {
      (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
    static func isLabelByte(_ byte: UInt8) -> Bool {
      isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
  }
}

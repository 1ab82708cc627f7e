/// Spots a model stuck in a repetition loop (known of small OCR models): the same stretch of
/// text — a line, a table row, a word — repeated many times in a row at the end of a page.
///
/// Pure; looks only at the tail, so checking a growing page costs the same at any length.
public struct LoopGuard: Sendable {
  /// The repeated unit must occur at least this many times in a row…
  public var minRepeats = 16
  /// …covering at least this many bytes (so "......" in a table of contents is not a loop,
  /// nor are a few dozen ruled rows of a form).
  public var minSpan = 1024
  /// The longest unit looked for, in bytes (a long table row).
  public var maxPeriod = 512
  /// Check again after this many new bytes.
  public var checkEvery = 128

  private var unchecked = 0

  public init() {}

  /// Feeds new text; returns the length (in UTF-8 bytes) of the text to keep — up to and
  /// including the first copy of the repeated unit — once a loop is seen, else nil.
  public mutating func feed(_ delta: String, text: String) -> Int? {
    unchecked += delta.utf8.count
    guard unchecked >= checkEvery else { return nil }
    unchecked = 0
    return loopStart(in: text)
  }

  /// Units made only of whitespace and table or rule punctuation (`| | |`, `---`) repeat in
  /// real documents: blank forms, ledgers, separators.
  static func isLayout(_ unit: ArraySlice<UInt8>) -> Bool {
    unit.allSatisfy { " \t\n\r|-_=+:.*#".utf8.contains($0) }
  }

  /// Where the repetition at the end of `text` begins, keeping one copy of the unit (bytes).
  public func loopStart(in text: String) -> Int? {
    let bytes = Array(text.utf8.suffix(maxPeriod * (minRepeats + 1) + minSpan))
    let offset = text.utf8.count - bytes.count
    let end = bytes.count
    let longest = min(maxPeriod, end / minRepeats)
    guard longest >= 1 else { return nil }
    for period in 1...longest {
      var repeats = 1
      var start = end - period
      while start - period >= 0,
        bytes[(start - period)..<start].elementsEqual(bytes[start..<(start + period)])
      {
        repeats += 1
        start -= period
      }
      if repeats >= minRepeats, repeats * period >= minSpan,
        !Self.isLayout(bytes[(end - period)..<end])
      {
        // Keep the text before the loop and one copy of the unit, cut at a character boundary.
        var keep = start + period
        while keep < end, bytes[keep] & 0xC0 == 0x80 { keep += 1 }
        return offset + keep
      }
    }
    return nil
  }
}

/// LaTeX math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`) hidden from cmark behind placeholders.
///
/// Markdown would otherwise eat it: `\(` and `\\` are backslash escapes, `*` and `_` inside
/// formulas open emphasis, `|` splits table cells. Each span becomes U+E000, its index, U+E001
/// (private-use characters cmark passes through as text); text nodes turn placeholders into math
/// spans, code and HTML restore the source (`restore`).
///
/// A span never crosses a blank line or a backtick (so code spans keep their `$`), is at most
/// `maxLength` bytes, and `$` opens only before a non-space and closes only after a non-space,
/// not before a digit (pandoc's rule: "$5 and $10" stays text). A delimiter without its closer
/// is literal text, so an unbalanced `$` never swallows the rest of the page. Linear time: a
/// failed search marks how far no closer exists, and later openers before that point fail at
/// once.
enum MathProtect {
  struct Protected {
    var text: String
    /// Each span's source, delimiters included, by placeholder index.
    var math: [MathSpan]
    /// After each placeholder: where it ends in `text` (UTF-8 offset) and how far ahead the
    /// source is from there on.
    var shifts: [(protectedEnd: Int, delta: Int)] = []

    /// The UTF-8 offset in the source of a UTF-8 offset in `text` outside placeholders.
    func sourceOffset(_ offset: Int) -> Int {
      offset + (shifts.last { $0.protectedEnd <= offset }?.delta ?? 0)
    }
  }

  struct MathSpan: Hashable {
    var source: String
    var body: String
    var display: Bool
  }

  static let open: Character = "\u{E000}"
  static let close: Character = "\u{E001}"
  static let maxLength = 4_000

  static func protect(_ markdown: String) -> Protected {
    let bytes = Array(markdown.utf8)
    // Fast path: no delimiter at all.
    guard bytes.contains(where: { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "\\") }) else {
      return Protected(text: markdown, math: [])
    }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var math: [MathSpan] = []
    var shifts: [(protectedEnd: Int, delta: Int)] = []
    var failedBefore = [Int](repeating: 0, count: Kind.allCases.count)
    var index = 0
    while index < bytes.count {
      guard let kind = opener(bytes, at: index), failedBefore[kind.rawValue] <= index else {
        output.append(bytes[index])
        index += 1
        continue
      }
      let bodyStart = index + kind.openLength
      switch closer(kind, bytes, from: bodyStart) {
      case .found(let end):
        let spanEnd = end + kind.closeLength
        math.append(
          MathSpan(
            source: String(decoding: bytes[index..<spanEnd], as: UTF8.self),
            body: String(decoding: bytes[bodyStart..<end], as: UTF8.self),
            display: kind.display))
        output += Array("\(open)\(math.count - 1)\(close)".utf8)
        shifts.append((output.count, spanEnd - output.count))
        index = spanEnd
      case .none(let until):
        failedBefore[kind.rawValue] = until
        output.append(bytes[index])
        index += 1
      }
    }
    return Protected(text: String(decoding: output, as: UTF8.self), math: math, shifts: shifts)
  }

  /// `text` with every placeholder back to its source: for code and HTML.
  static func restore(_ text: String, math: [MathSpan]) -> String {
    guard !math.isEmpty, text.contains(open) else { return text }
    var result = ""
    split(text) { piece in
      switch piece {
      case .text(let text): result += text
      case .math(let index): result += index < math.count ? math[index].source : ""
      }
    }
    return result
  }

  enum Piece {
    case text(Substring)
    case math(Int)
  }

  /// Calls `body` with the text between placeholders and each placeholder's index, in order.
  static func split(_ text: String, _ body: (Piece) -> Void) {
    var rest = text[...]
    while let start = rest.firstIndex(of: open) {
      let afterOpen = rest.index(after: start)
      guard let end = rest[afterOpen...].firstIndex(of: close),
        let number = Int(rest[afterOpen..<end])
      else { break }
      if start > rest.startIndex { body(.text(rest[..<start])) }
      body(.math(number))
      rest = rest[rest.index(after: end)...]
    }
    if !rest.isEmpty { body(.text(rest)) }
  }

  // MARK: - Delimiters

  enum Kind: Int, CaseIterable {
    case dollar, displayDollar, paren, bracket

    var openLength: Int { self == .dollar ? 1 : 2 }
    var closeLength: Int { openLength }
    var display: Bool { self == .displayDollar || self == .bracket }
  }

  enum Search {
    case found(Int)
    /// No closer; none exists before this offset either.
    case none(until: Int)
  }

  private static let dollar = UInt8(ascii: "$")
  private static let backslash = UInt8(ascii: "\\")
  private static let backtick = UInt8(ascii: "`")
  private static let newline = UInt8(ascii: "\n")

  /// Whether the byte at `index` is escaped by an odd number of backslashes before it.
  private static func isEscaped(_ bytes: [UInt8], _ index: Int) -> Bool {
    var count = 0
    var at = index - 1
    while at >= 0 && bytes[at] == backslash {
      count += 1
      at -= 1
    }
    return count % 2 == 1
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  private static func opener(_ bytes: [UInt8], at index: Int) -> Kind? {
    let byte = bytes[index]
    let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
    if byte == dollar {
      guard !isEscaped(bytes, index), let next else { return nil }
      if next == dollar { return .displayDollar }
      return isSpace(next) ? nil : .dollar
    }
    guard byte == backslash, !isEscaped(bytes, index) else { return nil }
    switch next {
    case UInt8(ascii: "("): return .paren
    case UInt8(ascii: "["): return .bracket
    default: return nil
    }
  }

  private static func closer(_ kind: Kind, _ bytes: [UInt8], from start: Int) -> Search {
    let limit = min(bytes.count, start + maxLength)
    var index = start
    var lineHasText = true  // the opener's line has text
    while index < limit {
      let byte = bytes[index]
      if byte == backtick { return .none(until: index) }
      if byte == newline {
        if !lineHasText { return .none(until: index) }  // a blank line ends a paragraph
        lineHasText = false
      } else if !isSpace(byte) {
        lineHasText = true
      }
      if isCloser(kind, bytes, at: index, start: start) { return .found(index) }
      index += 1
    }
    return .none(until: limit)
  }

  private static func isCloser(_ kind: Kind, _ bytes: [UInt8], at index: Int, start: Int) -> Bool {
    let byte = bytes[index]
    let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
    switch kind {
    case .dollar:
      guard byte == dollar, index > start, !isEscaped(bytes, index) else { return false }
      if isSpace(bytes[index - 1]) { return false }
      if let next, next == dollar || (next >= 0x30 && next <= 0x39) { return false }
      return true
    case .displayDollar:
      return byte == dollar && next == dollar && index > start && !isEscaped(bytes, index)
    case .paren, .bracket:
      let closing = UInt8(ascii: kind == .paren ? ")" : "]")
      return byte == backslash && next == closing && !isEscaped(bytes, index)
    }
  }
}

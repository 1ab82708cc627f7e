import Foundation
import Synchronization

extension TextWrap {
  /// `wrap`, memoised (`WrapMemo`): what the text pane, scrolling and search call for the
  /// page shown, again and again.
  static func lines(of text: String, width: Int) -> [String] { memo.lines(text, width: width) }

  /// `wrapParagraphs`, memoised: the wrapped lines and where each of the text's lines starts.
  static func paragraphs(of text: String, width: Int) -> WrappedText {
    memo.wrapped(text, width: width)
  }

  static let memo = WrapMemo()
}

/// A text wrapped to a width (`TextWrap.wrapParagraphs`), remembering where each of its own
/// lines begins among the wrapped ones.
struct WrappedText: Sendable, Equatable {
  var lines: [String]
  /// `starts[n]`: the index in `lines` of the first wrapped line of the text's line n + 1.
  var starts: [Int]

  /// The wrapped lines of the text's 1-based `line` (empty for a line the text lacks).
  func rows(ofLine line: Int) -> Range<Int> {
    guard line >= 1, line <= starts.count else { return 0..<0 }
    return starts[line - 1]..<(line < starts.count ? starts[line] : lines.count)
  }
}

/// The last few texts wrapped (`TextWrap.wrap`), so the text pane's lines cost a comparison
/// for an unchanged page and what was appended for a growing one — not a wrap of the whole
/// page on every key and every delta (measured: a 13 MB one-line table took 3.5 s a key).
///
/// Wrapping is per paragraph (text between newlines), so text appended to a wrapped one can
/// change only its last paragraph: the lines of every paragraph closed by a newline are kept,
/// and the rest is wrapped again. A text ending in "\r" keeps that paragraph open too: an "\n"
/// appended joins it into one newline, "\r\n".
final class WrapMemo: Sendable {
  private struct Entry {
    var source: String
    var width: Int
    /// The lines of the closed paragraphs, which end at byte `closedEnd`, and of the rest.
    var closed: WrappedText
    var closedEnd: Int
    var all: WrappedText
  }

  private let entries = Mutex<[Entry]>([])
  /// Texts remembered: the page shown, at a width or two, and the one searched.
  static let capacity = 4

  func lines(_ text: String, width: Int) -> [String] { wrapped(text, width: width).lines }

  func wrapped(_ text: String, width: Int) -> WrappedText {
    let width = max(1, width)
    let known = entries.withLock { entries in
      entries.lastIndex { $0.width == width && text.extends($0.source) }
        .map { entries.remove(at: $0) }
    }
    let entry: Entry
    if let known, known.source.utf8.count == text.utf8.count {
      entry = known
    } else {
      let rest = Substring(text.utf8.dropFirst(known?.closedEnd ?? 0))
      let end = Self.closedEnd(rest)
      var closed = known?.closed ?? WrappedText(lines: [], starts: [])
      if end > rest.startIndex {
        closed.append(TextWrap.wrapParagraphs(rest[..<end].dropLast(), width: width))
      }
      var all = closed
      all.append(TextWrap.wrapParagraphs(rest[end...], width: width))
      entry = Entry(
        source: text, width: width, closed: closed,
        closedEnd: text.utf8.distance(from: text.startIndex, to: end), all: all)
    }
    entries.withLock { entries in
      entries.append(entry)
      if entries.count > Self.capacity { entries.removeFirst() }
    }
    return entry.all
  }

  /// Where the closed paragraphs of `text` end: just after its last newline, unless that is
  /// a final "\r" (which an appended "\n" would join).
  private static func closedEnd(_ text: Substring) -> Substring.Index {
    let end = text.last == "\r" ? text.index(before: text.endIndex) : text.endIndex
    guard let newline = text[..<end].lastIndex(where: \.isNewline) else { return text.startIndex }
    return text.index(after: newline)
  }
}

extension WrappedText {
  /// Appends the lines of text that followed a newline.
  fileprivate mutating func append(_ next: (lines: [String], starts: [Int])) {
    starts += next.starts.map { $0 + lines.count }
    lines += next.lines
  }
}

extension String {
  /// Whether this text starts with `prefix`, compared as bytes (memcmp): how the memos see a
  /// page that grew by appending, at a cost a frame can pay for megabytes.
  func extends(_ prefix: String) -> Bool {
    let count = prefix.utf8.count
    guard utf8.count >= count else { return false }
    let compared = utf8.withContiguousStorageIfAvailable { text in
      prefix.utf8.withContiguousStorageIfAvailable { prefix in
        count == 0 || memcmp(text.baseAddress!, prefix.baseAddress!, count) == 0
      }
    }
    return (compared ?? nil) ?? utf8.starts(with: prefix.utf8)
  }
}

import Foundation
import Synchronization

/// The last few pages rendered, so a page re-rendered every frame while it streams costs what
/// was appended, not its whole length (measured: 81 KB of Markdown took ~35 ms a frame from
/// scratch in a release build, 97 % of a core at 30 frames a second).
///
/// Text appended to Markdown can change only its last top-level block: every earlier block was
/// closed by a later line, and CommonMark never reopens a closed block (a paragraph turning
/// into a setext heading or a table header is itself the last block then). The exception is a
/// last line cut short: "| " is a paragraph of its own until the rest of a table row arrives,
/// so when the last block starts on an unfinished line the block before it stays open too. So
/// a page that extends a remembered one keeps the remembered lines of its finished blocks and
/// renders again from the start of its open ones. (The one exception, a link reference definition placed
/// before the block that uses it, shows that link as its source text.)
///
/// A big open block (a table of thousands of rows streaming in) would still be laid out again
/// on every frame — quadratic: a 900 KB table cost 6.3 s of CPU in 6 s. So while the page is
/// `live` (still being read), text appended after the last layout is shown as it came (plain,
/// wrapped) until it reaches a quarter of the open block (at least `liveSlack`, at most
/// `liveSlackLimit`); then the open block is laid out again. Each layout of a block is paid for
/// by a quarter of its size in new text, so a streaming table costs linear time; a finished
/// page is always laid out whole.
final class MarkdownMemo: Sendable {
  private struct Entry {
    var source: String
    var width: Int
    var monochrome: Bool
    /// Lines of the finished blocks, and of the open ones, which start at `openStart`.
    var finished: [StyledLine]
    var open: [StyledLine]
    var openStart: Int
  }

  private let entries = Mutex<[Entry]>([])
  private let layoutCount = Mutex(0)
  /// How many times text was laid out (for tests).
  var layouts: Int { layoutCount.withLock { $0 } }
  /// Pages remembered (one per page and width, the viewer shows one at a time).
  static let capacity = 4
  /// Text appended to a live page shown as it came, before its open block is laid out again.
  static let liveSlack = 2 << 10
  static let liveSlackLimit = 64 << 10

  func lines(_ markdown: String, width: Int, monochrome: Bool, live: Bool = false)
    -> [StyledLine]
  {
    let known = entries.withLock { entries in
      entries.lastIndex {
        $0.width == width && $0.monochrome == monochrome && markdown.extends($0.source)
      }.map { entries.remove(at: $0) }
    }
    if live, let known {
      let appended = markdown.utf8.count - known.source.utf8.count
      let openSize = known.source.utf8.count - known.openStart
      let slack = min(max(Self.liveSlack, openSize / 4), Self.liveSlackLimit)
      if appended > 0, appended < slack {
        entries.withLock { entries in
          entries.append(known)
          if entries.count > Self.capacity { entries.removeFirst() }
        }
        let tail = String(Substring(markdown.utf8.dropFirst(known.source.utf8.count)))
        let raw = TextWrap.lines(of: tail, width: width).map { [Span($0)] }
        return MarkdownView.join(known.finished, known.open) + raw
      }
    }
    var entry: Entry
    if let known, known.source.utf8.count == markdown.utf8.count {
      entry = known
    } else {
      let start = known?.openStart ?? 0
      let tail = markdown[markdown.utf8.index(markdown.startIndex, offsetBy: start)...]
      let rendered = MarkdownView.blocks(tail, width: width, monochrome: monochrome)
      layoutCount.withLock { $0 += 1 }
      var finished = known?.finished ?? []
      for block in rendered.blocks.dropLast(rendered.openBlocks) {
        finished = MarkdownView.join(finished, block)
      }
      var open: [StyledLine] = []
      for block in rendered.blocks.suffix(rendered.openBlocks) {
        open = MarkdownView.join(open, block)
      }
      entry = Entry(
        source: markdown, width: width, monochrome: monochrome, finished: finished,
        open: open, openStart: start + rendered.lastStart)
    }
    entries.withLock { entries in
      entries.append(entry)
      if entries.count > Self.capacity { entries.removeFirst() }
    }
    return MarkdownView.join(entry.finished, entry.open)
  }
}

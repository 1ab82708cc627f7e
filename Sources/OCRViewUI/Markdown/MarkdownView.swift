import CMark
import OCRMarkup

/// A run of text drawn in one style.
public struct Span: Hashable, Sendable {
  public var text: String
  public var style: Style

  public init(_ text: String, _ style: Style = .plain) {
    self.text = text
    self.style = style
  }
}

/// One display line: its spans' display width (`DisplayWidth.of`) adds up to at most the width.
public typealias StyledLine = [Span]

/// A page's Markdown as styled display lines: what LightOnOCR writes (headings, lists, GFM and
/// HTML tables, LaTeX math) drawn with terminal styles, box-drawing tables and Unicode math.
///
/// Parsing is cmark-gfm's (with its `table` and `strikethrough` extensions) and libxml2's (for
/// HTML tables), so a page still streaming renders as far as it goes and hostile input costs
/// what those parsers cost; the layout caps what it lays out (`MarkdownLimits`).
public enum MarkdownView {
  /// The viewer calls this every frame for a page that grows by appending, so results are
  /// memoised (`MarkdownMemo`): an unchanged page costs a comparison, a grown one the
  /// rendering of its last block and what was appended.
  /// `live`: the page is still being read (the memo may show the newest text as it came for a
  /// little while, see `MarkdownMemo`).
  public static func lines(_ markdown: String, width: Int, monochrome: Bool, live: Bool = false)
    -> [StyledLine]
  {
    memo.lines(markdown, width: max(1, width), monochrome: monochrome, live: live)
  }

  static let memo = MarkdownMemo()

  /// Each top-level block's lines, uncached, and which of the last blocks text appended to
  /// `markdown` can still change (`RenderedBlocks`).
  static func blocks(_ markdown: Substring, width: Int, monochrome: Bool) -> RenderedBlocks {
    let protected = MathProtect.protect(String(markdown))
    let renderer = BlockRenderer(
      styles: MarkdownStyles(monochrome: monochrome), math: protected.math)
    return CMarkDocument.parse(protected.text) { document in
      var rendered = RenderedBlocks()
      // A block starts after the one before it ends; its own start line is not enough:
      // cmark-gfm gives a table the line of its delimiter row, not of its header.
      var startLines: [Int] = []
      var previousEnd = 0
      for child in document.children {
        rendered.blocks.append(renderer.block(child, width: width, depth: 0))
        startLines.append(min(child.startLine, previousEnd + 1))
        previousEnd = child.endLine
      }
      // A last line still being written ("| " of a table row to come) may start a block of its
      // own that the rest of the line joins to the block before: then that block is open too.
      var open = startLines.count - 1
      if open > 0, !markdown.utf8.isEmpty, markdown.utf8.last != UInt8(ascii: "\n"),
        startLines[open] >= CMarkDocument.lineCount(protected.text)
      {
        open -= 1
      }
      let start = open < 0 ? 0 : CMarkDocument.offset(ofLine: startLines[open], in: protected.text)
      rendered.lastStart = protected.sourceOffset(start)
      rendered.openBlocks = max(0, startLines.count - open)
      return rendered
    }
  }

  /// Blocks one after another, a blank line between them.
  static func join(_ first: [StyledLine], _ second: [StyledLine]) -> [StyledLine] {
    first.isEmpty ? second : second.isEmpty ? first : first + [[]] + second
  }
}

struct RenderedBlocks {
  var blocks: [[StyledLine]] = []
  /// Where the open blocks start (a UTF-8 offset), and how many of the last blocks are open:
  /// text appended can change them and no others.
  var lastStart = 0
  var openBlocks = 0
}

/// Bounds that keep hostile input (a megabyte of one table row, thousands of nested quotes)
/// to bounded time and output.
enum MarkdownLimits {
  /// Containers nested deeper than this are drawn without further indentation.
  static let depth = 24
  /// Table columns and rows laid out; the rest is summarised in one line.
  static let columns = 24
  static let rows = 500
  /// Characters of one table cell kept; longer cells end in "…".
  static let cellCharacters = 2_000
}

import CMark

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
  public static func lines(_ markdown: String, width: Int, monochrome: Bool) -> [StyledLine] {
    memo.lines(markdown, width: max(1, width), monochrome: monochrome)
  }

  static let memo = MarkdownMemo()

  /// Each top-level block's lines, uncached, and where the last block starts (a UTF-8 offset
  /// in `markdown`): the only block that text appended to `markdown` can still change.
  static func blocks(_ markdown: Substring, width: Int, monochrome: Bool) -> RenderedBlocks {
    let protected = MathProtect.protect(String(markdown))
    let renderer = BlockRenderer(
      styles: MarkdownStyles(monochrome: monochrome), math: protected.math)
    return CMarkDocument.parse(protected.text) { document in
      var rendered = RenderedBlocks()
      var lastLine = 1
      for child in document.children {
        rendered.blocks.append(renderer.block(child, width: width, depth: 0))
        lastLine = child.startLine
      }
      let start = CMarkDocument.offset(ofLine: lastLine, in: protected.text)
      rendered.lastStart = protected.sourceOffset(start)
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
  var lastStart = 0
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

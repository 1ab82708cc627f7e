import CMark
import OCRMarkup

/// cmark's block tree as display lines. Containers render their children narrower and prefix
/// them: a list item's marker and hanging indent, a quote's gutter. Below
/// `MarkdownLimits.depth` containers stop indenting and their text is drawn as plain
/// paragraphs, so thousands of nested quotes cost neither stack nor width.
struct BlockRenderer {
  let styles: MarkdownStyles
  let math: [MathProtect.MathSpan]

  var inlines: InlineSpans { InlineSpans(styles: styles, math: math) }

  /// A container's children, a blank line between them unless the list is tight.
  func blocks(_ parent: CMarkNode, width: Int, depth: Int, tight: Bool) -> [StyledLine] {
    var lines: [StyledLine] = []
    for child in parent.children {
      let block = self.block(child, width: width, depth: depth)
      if !lines.isEmpty && !tight && !block.isEmpty { lines.append([]) }
      lines += block
    }
    return lines
  }

  func block(_ node: CMarkNode, width: Int, depth: Int) -> [StyledLine] {
    switch node.type {
    case CMARK_NODE_PARAGRAPH:
      return SpanWrap.wrap(inlines.spans(node, base: styles.plain), width: width)
    case CMARK_NODE_HEADING:
      let style = node.headingLevel == 1 ? styles.title : styles.heading
      return SpanWrap.wrap(inlines.spans(node, base: style), width: width)
    case CMARK_NODE_THEMATIC_BREAK:
      return [[Span(String(repeating: "─", count: width), styles.rule)]]
    case CMARK_NODE_CODE_BLOCK:
      return codeBlock(node, width: width)
    case CMARK_NODE_HTML_BLOCK:
      return HTMLBlock(styles: styles, math: math).lines(
        MathProtect.restore(node.literal, math: math), width: width)
    case CMARK_NODE_BLOCK_QUOTE, CMARK_NODE_LIST, CMARK_NODE_ITEM:
      guard depth < MarkdownLimits.depth else { return flattened(node, width: width) }
      return container(node, width: width, depth: depth)
    default:
      if node.typeName == "table" {
        return GFMTable(inlines: inlines).lines(node, width: width, styles: styles)
      }
      return blocks(node, width: width, depth: depth + 1, tight: false)
    }
  }

  private func container(_ node: CMarkNode, width: Int, depth: Int) -> [StyledLine] {
    switch node.type {
    case CMARK_NODE_BLOCK_QUOTE:
      let gutter = Span("│ ", styles.quoteGutter)
      return prefixed(
        blocks(node, width: width - 2, depth: depth + 1, tight: false), width: width,
        first: gutter, rest: gutter)
    case CMARK_NODE_LIST:
      let ordered = node.isOrderedList
      let items = Array(node.children)
      let last = node.listStart + items.count - 1
      let markerWidth = ordered ? String(last).count + 2 : 2
      var lines: [StyledLine] = []
      for (index, item) in items.enumerated() {
        let marker =
          ordered
          ? String(repeating: " ", count: markerWidth - 2 - String(node.listStart + index).count)
            + "\(node.listStart + index). "
          : Self.bullets[depth / 2 % Self.bullets.count] + " "
        let body = blocks(item, width: width - markerWidth, depth: depth + 1, tight: node.isTight)
        if !lines.isEmpty && !node.isTight { lines.append([]) }
        lines += prefixed(
          body.isEmpty ? [[]] : body, width: width, first: Span(marker, styles.bullet),
          rest: Span(String(repeating: " ", count: markerWidth)))
      }
      return lines
    default:
      return blocks(node, width: width, depth: depth + 1, tight: false)
    }
  }

  /// Bullets by nesting level (lists inside lists; each list is two levels: list and item).
  static let bullets = ["•", "◦", "▪"]

  /// `lines` behind a prefix (`first` on the first line, `rest` on the others), unless the
  /// prefix would leave too little room, when they are returned as they are.
  private func prefixed(_ lines: [StyledLine], width: Int, first: Span, rest: Span)
    -> [StyledLine]
  {
    let prefixWidth = DisplayWidth.of(first.text)
    guard width - prefixWidth >= Self.minimumWidth else { return lines }
    return lines.enumerated().map { index, line in
      let prefix = index == 0 ? first : rest
      // A quote's gutter is drawn on blank lines too; plain indentation is not.
      if line.isEmpty && prefix.text.allSatisfy({ $0 == " " }) { return [] }
      return [prefix] + line
    }
  }

  /// Narrower than this, containers stop indenting their content.
  static let minimumWidth = 8

  /// Code as it was written, indented two columns and in the code style; long lines wrap at
  /// spaces like text (never mid-word unless a word is wider than the pane).
  private func codeBlock(_ node: CMarkNode, width: Int) -> [StyledLine] {
    var code = MathProtect.restore(node.literal, math: math)
    if code.hasSuffix("\n") { code.removeLast() }
    let indent = width - 2 >= Self.minimumWidth ? 2 : 0
    return TextWrap.wrap(code, width: width - indent).map { line in
      [Span(String(repeating: " ", count: indent)), Span(line, styles.code)].filter {
        !$0.text.isEmpty
      }
    }
  }

  /// A subtree too deep to indent: its text, one paragraph per leaf block.
  private func flattened(_ node: CMarkNode, width: Int) -> [StyledLine] {
    var lines: [StyledLine] = []
    node.walk { child, entering in
      guard entering else { return }
      switch child.type {
      case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_CODE_BLOCK,
        CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK:
        lines += block(child, width: width, depth: 0)
      default:
        break
      }
    }
    return lines
  }
}

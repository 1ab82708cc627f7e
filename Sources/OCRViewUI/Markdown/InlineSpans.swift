import CMark
import OCRMarkup

/// A block's inline content (paragraph, heading, table cell) as styled spans: emphasis italic,
/// strong bold, code in the code style, links as their text, images as their alt text, soft
/// breaks as spaces, hard breaks (and inline `<br>`) as "\n". Walks with cmark's iterator, so
/// deeply nested emphasis costs no stack.
struct InlineSpans {
  let styles: MarkdownStyles
  let math: [MathProtect.MathSpan]

  func spans(_ node: CMarkNode, base: Style) -> [Span] {
    var builder = SpanBuilder(styles: styles, math: math)
    var stack: [Style] = [base]
    node.walk { child, entering in
      let style = stack[stack.count - 1]
      switch child.type {
      case CMARK_NODE_TEXT:
        builder.text(child.literal, style)
      case CMARK_NODE_SOFTBREAK:
        builder.text(" ", style)
      case CMARK_NODE_LINEBREAK:
        builder.lineBreak()
      case CMARK_NODE_CODE:
        builder.literal(child.literal, styles.code)
      case CMARK_NODE_HTML_INLINE:
        if Self.isLineBreak(child.literal) { builder.lineBreak() }
      case CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK, CMARK_NODE_IMAGE:
        if entering {
          var inner = style
          switch child.type {
          case CMARK_NODE_EMPH: inner.italic = true
          case CMARK_NODE_STRONG: inner.bold = true
          case CMARK_NODE_LINK: inner.underline = true
          default: inner.dim = true
          }
          stack.append(inner)
        } else if stack.count > 1 {
          stack.removeLast()
        }
      default:
        if child.typeName == "strikethrough" {  // no strike-through attribute: dim
          if entering {
            var inner = style
            inner.dim = true
            stack.append(inner)
          } else if stack.count > 1 {
            stack.removeLast()
          }
        }
      }
    }
    return builder.spans
  }

  /// `<br>`, `<br/>`, `<br />` in any case.
  static func isLineBreak(_ tag: String) -> Bool {
    let name = tag.lowercased().filter { $0 != " " && $0 != "/" }
    return name == "<br>"
  }
}

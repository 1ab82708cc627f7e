import CXML
import OCRMarkup

/// An HTML block (LightOnOCR writes tables as `<table>`) parsed by libxml2's lenient HTML
/// parser: tables become grids (`rowspan`/`colspan` honoured, `<th>` bold, `<br>` a line break
/// in the cell), other HTML its text. A half-written table parses as far as it goes.
struct HTMLBlock {
  let styles: MarkdownStyles
  let math: [MathProtect.MathSpan]

  func lines(_ html: String, width: Int) -> [StyledLine] {
    HTMLDocument.parse(html) { root in
      var renderer = Renderer(styles: styles, width: width)
      renderer.visit(root, style: .plain, depth: 0)
      renderer.flush()
      return renderer.lines
    } ?? []
  }

  /// Walks the tree, gathering text into paragraphs and laying out tables as they come.
  private struct Renderer {
    let styles: MarkdownStyles
    let width: Int
    var lines: [StyledLine] = []
    var paragraph: SpanBuilder

    init(styles: MarkdownStyles, width: Int) {
      self.styles = styles
      self.width = width
      paragraph = SpanBuilder(styles: styles, math: [])
    }

    mutating func flush() {
      let spans = Span.trimmed(paragraph.spans)
      paragraph = SpanBuilder(styles: styles, math: [])
      guard !spans.isEmpty else { return }
      if !lines.isEmpty { lines.append([]) }
      lines += SpanWrap.wrap(spans, width: width)
    }

    mutating func visit(_ node: xmlNodePtr?, style: Style, depth: Int) {
      var child = node
      while let current = child {
        child = current.pointee.next
        switch current.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
          paragraph.source(HTMLText.collapsed(HTMLText.content(current)), style)
        case XML_ELEMENT_NODE:
          guard depth < HTMLDocument.maxDepth else { continue }
          let name = HTMLText.name(current)
          switch name {
          case "table":
            flush()
            if !lines.isEmpty { lines.append([]) }
            lines += GridLayout.lines(
              HTMLTable.grid(current, styles: styles), headerRows: HTMLTable.headerRows(current),
              width: width, styles: styles)
          case "br":
            paragraph.lineBreak()
          case "script", "style", "head":
            continue
          default:
            let block = HTMLText.blocks.contains(name)
            if block { flush() }
            visit(
              current.pointee.children, style: HTMLText.style(name, style, styles), depth: depth + 1
            )
            if block { flush() }
          }
        default:
          continue
        }
      }
    }
  }
}

/// The styles of inline elements, and the text of cells and paragraphs.
extension HTMLText {
  static let blocks: Set<String> = [
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "section",
    "tr", "caption", "pre", "figure", "figcaption", "body",
  ]

  /// HTML whitespace: any run of spaces, tabs and newlines is one space.
  static func collapsed(_ text: String) -> String {
    var result = ""
    var space = false
    for character in text {
      if character == " " || character == "\t" || character.isNewline {
        space = true
      } else {
        if space { result.append(" ") }
        space = false
        result.append(character)
      }
    }
    if space { result.append(" ") }
    return result
  }

  static func style(_ name: String, _ style: Style, _ styles: MarkdownStyles) -> Style {
    var style = style
    switch name {
    case "b", "strong", "th", "h1", "h2", "h3", "h4", "h5", "h6": style.bold = true
    case "i", "em": style.italic = true
    case "code", "tt", "kbd": style = styles.code
    case "u", "a": style.underline = true
    default: break
    }
    return style
  }

  /// Text of a cell or paragraph: every element's text, `<br>` as "\n", inline styles.
  static func spans(_ node: xmlNodePtr, style: Style, styles: MarkdownStyles) -> [Span] {
    var builder = SpanBuilder(styles: styles, math: [])
    collect(node.pointee.children, style: style, styles: styles, into: &builder, depth: 0)
    return Span.trimmed(builder.spans)
  }

  private static func collect(
    _ node: xmlNodePtr?, style: Style, styles: MarkdownStyles, into builder: inout SpanBuilder,
    depth: Int
  ) {
    var child = node
    while let current = child {
      child = current.pointee.next
      switch current.pointee.type {
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        builder.source(collapsed(content(current)), style)
      case XML_ELEMENT_NODE where depth < HTMLDocument.maxDepth:
        let name = name(current)
        if name == "br" {
          builder.lineBreak()
        } else if blocks.contains(name) || name == "table" {
          builder.lineBreak()
          collect(
            current.pointee.children, style: self.style(name, style, styles), styles: styles,
            into: &builder, depth: depth + 1)
          builder.lineBreak()
        } else {
          collect(
            current.pointee.children, style: self.style(name, style, styles), styles: styles,
            into: &builder, depth: depth + 1)
        }
      default:
        continue
      }
    }
  }
}

extension Span {
  /// Spans without spaces at the start and end of each line, nor empty lines at the start and
  /// end, nor more than one empty line in a row: HTML's layout whitespace.
  static func trimmed(_ spans: [Span]) -> [Span] {
    var result: [Span] = []
    var atLineStart = true
    var pendingSpace: Style?
    var pendingBreaks = 0
    var hasText = false
    for span in spans {
      for character in span.text {
        if character == "\n" {
          pendingSpace = nil
          if hasText { pendingBreaks = min(pendingBreaks + 1, 2) }
          atLineStart = true
        } else if character == " " {
          if !atLineStart { pendingSpace = span.style }
        } else {
          if pendingBreaks > 0 {
            result.append(String(repeating: "\n", count: pendingBreaks), span.style)
            pendingBreaks = 0
          }
          if let style = pendingSpace { result.append(" ", style) }
          pendingSpace = nil
          result.append(String(character), span.style)
          atLineStart = false
          hasText = true
        }
      }
    }
    return result
  }

}

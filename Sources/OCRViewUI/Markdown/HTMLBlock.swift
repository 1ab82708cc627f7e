import CXML

/// An HTML block (LightOnOCR writes tables as `<table>`) parsed by libxml2's lenient HTML
/// parser: tables become grids (`rowspan`/`colspan` honoured, `<th>` bold, `<br>` a line break
/// in the cell), other HTML its text. A half-written table parses as far as it goes.
struct HTMLBlock {
  let styles: MarkdownStyles
  let math: [MathProtect.MathSpan]

  /// libxml2 wants `xmlInitParser` once before threads parse concurrently; a `static let` runs
  /// it once.
  private static let initialised: Void = xmlInitParser()

  /// Elements nested deeper than this are skipped (libxml2 itself stops at 256).
  static let maxDepth = 64

  func lines(_ html: String, width: Int) -> [StyledLine] {
    Self.parse(html) { root in
      var renderer = Renderer(styles: styles, width: width)
      renderer.visit(root, style: .plain, depth: 0)
      renderer.flush()
      return renderer.lines
    } ?? []
  }

  /// Parses `html` leniently and gives `body` its root element (valid only inside `body`);
  /// nil when libxml2 makes no document of it.
  static func parse<Result>(_ html: String, _ body: (xmlNodePtr?) -> Result) -> Result? {
    _ = Self.initialised
    var html = html
    let options = Int32(
      HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_NONET.rawValue)
    let document = html.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { chars in
        htmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, "UTF-8", options)
      }
    }
    guard let document else { return nil }
    defer { xmlFreeDoc(document) }
    return body(xmlDocGetRootElement(document))
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
          guard depth < HTMLBlock.maxDepth else { continue }
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

/// Reading libxml2 nodes: names, text, attributes, and the styles of inline elements.
enum HTMLText {
  static let blocks: Set<String> = [
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "section",
    "tr", "caption", "pre", "figure", "figcaption", "body",
  ]

  static func name(_ node: xmlNodePtr) -> String {
    node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
  }

  static func content(_ node: xmlNodePtr) -> String {
    node.pointee.content.map { String(cString: $0) } ?? ""
  }

  /// An attribute's value, read in place (no copy to free).
  static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
    guard let attribute = xmlHasProp(node, name), let value = attribute.pointee.children else {
      return nil
    }
    return content(value)
  }

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
      case XML_ELEMENT_NODE where depth < HTMLBlock.maxDepth:
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

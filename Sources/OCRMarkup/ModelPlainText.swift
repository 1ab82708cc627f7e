import CMark
import CXML

/// A model page's words without its markup, for `--check` to compare with what tesseract
/// reads: Markdown stripped by cmark-gfm (the text of every node: paragraphs, headings, list
/// items, GFM table cells, code), HTML blocks (tables) by libxml2 — the parsers the viewer
/// renders with, so what is compared is what is shown. (Grounding boxes are OCRKit's to strip:
/// `ModelPlainText.plain(_:grounded:)` there.)
///
/// It lives here, beside `CMarkDocument` and `HTMLDocument`, because the parsers do: this
/// target is below OCRKit, so the referee of `--check` reaches it without the headless command
/// importing the viewer.
public enum ModelPlainText {
  public static func plain(_ markdown: String) -> String {
    CMarkDocument.parse(markdown) { document in
      var out = ""
      document.walk { node, entering in
        switch node.type {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE:
          if entering { out += node.literal }
        case CMARK_NODE_CODE_BLOCK:
          if entering { out += node.literal + "\n" }
        case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
          if entering { out += " " + html(node.literal) + " " }
        case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
          if entering { out += "\n" }
        case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
          if !entering { out += "\n" }
        default:
          // GFM table cells and rows: words must not run together across cells.
          if !entering, node.typeName == "table_cell" || node.typeName == "table_row" {
            out += node.typeName == "table_row" ? "\n" : " "
          }
        }
      }
      return out
    }
  }

  /// The text of an HTML fragment, elements a space apart (table cells stay separate words).
  static func html(_ fragment: String) -> String {
    HTMLDocument.parse(fragment) { root in
      var out = ""
      func visit(_ node: xmlNodePtr?, depth: Int) {
        var child = node
        while let current = child {
          child = current.pointee.next
          switch current.pointee.type {
          case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            out += HTMLText.content(current)
          case XML_ELEMENT_NODE where depth < HTMLDocument.maxDepth:
            let name = HTMLText.name(current)
            guard !["script", "style", "head"].contains(name) else { continue }
            visit(current.pointee.children, depth: depth + 1)
            out += " "
          default:
            continue
          }
        }
      }
      visit(root, depth: 0)
      return out
    } ?? ""
  }
}

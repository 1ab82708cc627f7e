import CXML
import Foundation

/// The placed words as hOCR, in the subset tesseract writes (`tesseract page.png out hocr`),
/// which OCRmyPDF's hOCR tools, hocr-tools and archives read: `ocr_page` (`bbox 0 0 W H`,
/// `ppageno`, 0-based as tesseract counts), `ocr_carea` and `ocr_par` per block, `ocr_line`
/// (`bbox`, `baseline`), `ocrx_word` (`bbox`, `x_wconf`). Valid XHTML 1.0 Transitional, built
/// and serialised by libxml2, so every character of the model's text is escaped by it.
///
/// `x_wconf` says how a word was placed, not how sure a recogniser was of it (the model's
/// text is the text): a word aligned to a tesseract word has its similarity to it × 100
/// (1–100: 100 is an exact match, and a match never reads as 0); a word with no tesseract
/// partner — placed between its matched neighbours, or on a line of its own — has 0.
public enum HOCRWriter {
  /// What `ocr-capabilities` announces: the classes and properties written.
  static let capabilities = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"

  /// `x_wconf` of a placed word (see the type's comment).
  public static func confidence(of placement: PlacedWord.Placement) -> Int {
    switch placement {
    case .matched(let similarity): max(1, min(100, Int((similarity * 100).rounded())))
    case .interpolated, .ownLine: 0
    }
  }

  /// The hOCR document of `pages`; `image` is the page images' source as `ocr_page` names it
  /// (the document's file name), `system` what `ocr-system` says (`ocrview 1.2`).
  public static func document(pages: [PlacedPage], image: String, system: String) -> [UInt8] {
    let document = xmlNewDoc(xml("1.0"))!
    defer { xmlFreeDoc(document) }
    _ = xmlCreateIntSubset(
      document, xml("html"), xml("-//W3C//DTD XHTML 1.0 Transitional//EN"),
      xml("http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"))
    let html = xmlNewDocNode(document, nil, xml("html"), nil)!
    xmlSetNs(html, xmlNewNs(html, xml("http://www.w3.org/1999/xhtml"), nil))
    _ = xmlDocSetRootElement(document, html)
    let head = element(html, "head")
    element(head, "title")
    element(head, "meta", [("http-equiv", "Content-Type"), ("content", "text/html;charset=utf-8")])
    element(head, "meta", [("name", "ocr-system"), ("content", system)])
    element(head, "meta", [("name", "ocr-capabilities"), ("content", capabilities)])
    let body = element(html, "body")
    var counts = (block: 0, line: 0, word: 0)
    for page in pages {
      let pageNode = element(
        body, "div",
        [
          ("class", "ocr_page"), ("id", "page_\(page.number)"),
          (
            "title",
            "image \"\(quoted(image))\"; bbox 0 0 \(page.imageWidth) \(page.imageHeight); "
              + "ppageno \(page.number - 1)"
          ),
        ])
      for block in page.blocks {
        counts.block += 1
        let id = "\(page.number)_\(counts.block)"
        let area = element(
          pageNode, "div",
          [("class", "ocr_carea"), ("id", "block_\(id)"), ("title", bbox(block.box))])
        let paragraph = element(
          area, "p", [("class", "ocr_par"), ("id", "par_\(id)"), ("title", bbox(block.box))])
        for line in block.lines {
          counts.line += 1
          let lineNode = element(
            paragraph, "span",
            [
              ("class", "ocr_line"), ("id", "line_\(page.number)_\(counts.line)"),
              ("title", bbox(line.box) + "; baseline " + baseline(line)),
            ])
          for word in line.words {
            counts.word += 1
            let wordNode = element(
              lineNode, "span",
              [
                ("class", "ocrx_word"), ("id", "word_\(page.number)_\(counts.word)"),
                ("title", bbox(word.box) + "; x_wconf \(confidence(of: word.placement))"),
              ])
            xmlNodeAddContent(wordNode, xml(xmlText(word.text)))
          }
        }
      }
    }
    var buffer: UnsafeMutablePointer<xmlChar>?
    var size: Int32 = 0
    xmlDocDumpFormatMemoryEnc(document, &buffer, &size, "UTF-8", 1)
    guard let buffer else { return [] }
    // libxml2's xmlFree is free() unless xmlMemSetup replaced it, which ocrview never calls
    // (and xmlFree, a C global variable, is not reachable from Swift 6).
    defer { free(buffer) }
    return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
  }

  /// Writes `document(pages:image:system:)` to `path` whole (temporary file, then renamed).
  public static func write(pages: [PlacedPage], image: String, system: String, to path: String)
    throws(SearchablePDFError)
  {
    do {
      try AtomicFile.write(document(pages: pages, image: image, system: system), to: path)
    } catch { throw .write(error) }
  }

  /// hOCR's baseline: the slope, and the offset of its left end from the box's bottom-left
  /// corner (negative: above it), in pixels.
  static func baseline(_ line: PlacedLine) -> String {
    let width = Double(max(1, line.box.x2 - line.box.x1))
    let slope = (line.baselineRight - line.baselineLeft) / width
    let offset = line.baselineLeft - Double(line.box.y2)
    return "\(decimal(slope, places: 5)) \(decimal(offset, places: 0))"
  }

  private static func bbox(_ box: PixelBox) -> String {
    "bbox \(box.x1) \(box.y1) \(box.x2) \(box.y2)"
  }

  private static func decimal(_ value: Double, places: Int) -> String {
    guard value.isFinite else { return "0" }
    let text = String(format: "%.\(places)f", value)
    return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
  }

  /// A file name inside hOCR's double-quoted `image` property.
  private static func quoted(_ name: String) -> String {
    xmlText(name).replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
  }

  /// `text` without the characters XML 1.0 cannot hold at all (C0 controls but tab, line feed
  /// and carriage return; U+FFFE, U+FFFF): libxml2 escapes the rest.
  private static func xmlText(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.filter { scalar in
          scalar.value >= 0x20
            ? scalar.value != 0xFFFE && scalar.value != 0xFFFF
            : [0x09, 0x0A, 0x0D].contains(scalar.value)
        }))
  }

  @discardableResult
  private static func element(
    _ parent: UnsafeMutablePointer<xmlNode>, _ name: String, _ attributes: [(String, String)] = []
  ) -> UnsafeMutablePointer<xmlNode> {
    let node = xmlNewChild(parent, nil, xml(name), nil)!
    for (key, value) in attributes { xmlNewProp(node, xml(key), xml(xmlText(value))) }
    return node
  }

  /// A NUL-terminated xmlChar copy of `text` (libxml2 copies what it keeps).
  private static func xml(_ text: String) -> [xmlChar] {
    text.utf8CString.map { xmlChar(bitPattern: $0) }
  }
}

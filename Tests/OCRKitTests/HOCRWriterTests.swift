import CXML
import Foundation
import Testing

@testable import OCRKit

/// The hOCR read back by libxml2's XML parser: well-formed, tesseract's structure, every
/// word's text as placed.
@Suite struct HOCRWriterTests {
  /// An element with an hOCR class, as parsed.
  struct Node: Equatable {
    var name: String
    var hocrClass: String
    var title: String
    var text: String
    var depth: Int
  }

  let words = ["<&\">", "한국어", "문서", "café", "𝔘nicode", "a\u{1}b"]

  private func sample() -> [PlacedPage] {
    let first = PlacedLine(
      box: PixelBox(x1: 10, y1: 20, x2: 410, y2: 50), baselineLeft: 44, baselineRight: 48,
      words: [
        PlacedWord(
          text: words[0], box: PixelBox(x1: 10, y1: 20, x2: 90, y2: 50),
          placement: .matched(similarity: 1)),
        PlacedWord(
          text: words[1], box: PixelBox(x1: 100, y1: 20, x2: 200, y2: 50),
          placement: .matched(similarity: 0.734)),
        PlacedWord(
          text: words[2], box: PixelBox(x1: 210, y1: 20, x2: 300, y2: 50), placement: .interpolated),
      ])
    let second = PlacedLine(
      box: PixelBox(x1: 10, y1: 60, x2: 300, y2: 90), baselineLeft: 84, baselineRight: 84,
      words: [
        PlacedWord(
          text: words[3], box: PixelBox(x1: 10, y1: 60, x2: 90, y2: 90), placement: .ownLine),
        PlacedWord(
          text: words[4], box: PixelBox(x1: 100, y1: 60, x2: 200, y2: 90),
          placement: .matched(similarity: 0.001)),
      ])
    let third = PlacedLine(
      box: PixelBox(x1: 5, y1: 5, x2: 50, y2: 25), baselineLeft: 20, baselineRight: 20,
      words: [
        PlacedWord(
          text: words[5], box: PixelBox(x1: 5, y1: 5, x2: 50, y2: 25),
          placement: .matched(similarity: 0.5))
      ])
    return [
      PlacedPage(
        number: 1, imageWidth: 1000, imageHeight: 1400,
        blocks: [
          PlacedBlock(box: PixelBox(x1: 10, y1: 20, x2: 410, y2: 90), lines: [first, second])
        ]),
      PlacedPage(
        number: 2, imageWidth: 800, imageHeight: 600,
        blocks: [PlacedBlock(box: third.box, lines: [third])]),
    ]
  }

  /// Every element with a `class`, in document order, and the `<meta>`s.
  private func parse(_ bytes: [UInt8]) throws -> (
    nodes: [Node], meta: [String: String], root: String
  ) {
    let document = try #require(
      bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) {
          xmlReadMemory(
            $0.baseAddress, Int32($0.count), "out.hocr", nil, Int32(XML_PARSE_NONET.rawValue))
        }
      })
    defer { xmlFreeDoc(document) }
    var nodes: [Node] = []
    var meta: [String: String] = [:]
    func attribute(_ node: UnsafeMutablePointer<xmlNode>, _ name: String) -> String {
      guard let value = xmlGetProp(node, name) else { return "" }
      defer { free(value) }
      return String(cString: value)
    }
    func walk(_ node: UnsafeMutablePointer<xmlNode>?, depth: Int) {
      var current = node
      while let node = current {
        if node.pointee.type == XML_ELEMENT_NODE {
          let name = String(cString: node.pointee.name)
          let hocrClass = attribute(node, "class")
          if name == "meta" {
            meta[attribute(node, "name") + attribute(node, "http-equiv")] = attribute(
              node, "content")
          }
          if !hocrClass.isEmpty {
            let content = xmlNodeGetContent(node)
            defer { free(content) }
            nodes.append(
              Node(
                name: name, hocrClass: hocrClass, title: attribute(node, "title"),
                text: content.map { String(cString: $0) } ?? "", depth: depth))
          }
          walk(node.pointee.children, depth: depth + (hocrClass.isEmpty ? 0 : 1))
        }
        current = node.pointee.next
      }
    }
    let root = xmlDocGetRootElement(document)!
    walk(root, depth: 0)
    return (nodes, meta, String(cString: root.pointee.ns.pointee.href))
  }

  @Test func tesseractsStructureWithEveryWordAsPlaced() throws {
    let parsed = try parse(
      HOCRWriter.document(pages: sample(), image: "scan \"1\".pdf", system: "ocrview 1.0"))
    #expect(parsed.root == "http://www.w3.org/1999/xhtml")
    #expect(parsed.meta["ocr-system"] == "ocrview 1.0")
    #expect(
      parsed.meta["ocr-capabilities"] == "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf")
    let outline = parsed.nodes.map {
      "\(String(repeating: " ", count: $0.depth))\($0.name).\($0.hocrClass)"
    }
    #expect(
      outline == [
        "div.ocr_page", " div.ocr_carea", "  p.ocr_par", "   span.ocr_line", "    span.ocrx_word",
        "    span.ocrx_word", "    span.ocrx_word", "   span.ocr_line", "    span.ocrx_word",
        "    span.ocrx_word", "div.ocr_page", " div.ocr_carea", "  p.ocr_par", "   span.ocr_line",
        "    span.ocrx_word",
      ])
    let placedWords = parsed.nodes.filter { $0.hocrClass == "ocrx_word" }
    // The control character is dropped: XML 1.0 cannot hold it.
    #expect(placedWords.map(\.text) == words.dropLast() + ["ab"])
    #expect(
      placedWords.map(\.title) == [
        "bbox 10 20 90 50; x_wconf 100", "bbox 100 20 200 50; x_wconf 73",
        "bbox 210 20 300 50; x_wconf 0", "bbox 10 60 90 90; x_wconf 0",
        "bbox 100 60 200 90; x_wconf 1", "bbox 5 5 50 25; x_wconf 50",
      ])
    let pages = parsed.nodes.filter { $0.hocrClass == "ocr_page" }.map(\.title)
    #expect(
      pages == [
        "image \"scan \\\"1\\\".pdf\"; bbox 0 0 1000 1400; ppageno 0",
        "image \"scan \\\"1\\\".pdf\"; bbox 0 0 800 600; ppageno 1",
      ])
    let lines = parsed.nodes.filter { $0.hocrClass == "ocr_line" }.map(\.title)
    #expect(
      lines == [
        "bbox 10 20 410 50; baseline 0.01000 -6", "bbox 10 60 300 90; baseline 0.00000 -6",
        "bbox 5 5 50 25; baseline 0.00000 -5",
      ])
  }

  @Test func writtenToAFileWhole() throws {
    let directory = TestFiles.scratchDirectory()
    let path = directory + "/out.hocr"
    try HOCRWriter.write(pages: sample(), image: "scan.png", system: "ocrview", to: path)
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(
      String(decoding: bytes.prefix(38), as: UTF8.self)
        == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    #expect(try parse(bytes).nodes.count == 15)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.hocr"])
  }
}

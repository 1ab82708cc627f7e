import Foundation

/// A 3-page PDF written by hand whose pages carry another tool's invisible text (render mode
/// 3), as OCR layers do — each case `--redo-text` must tell apart:
/// 1. a grey box and the invisible words `zebrapage oldlayer` in the page's own content;
/// 2. a grey box and the invisible word `zebraform` inside a Form XObject (OCRmyPDF's way);
/// 3. the invisible word `zebramixed`, then visible `Printed words` in a second text object
///    that relies on the font and render mode the first one set.
enum LayeredPDF {
  static let contents = [
    "0.5 g 72 72 200 100 re f\nBT 3 Tr /F1 24 Tf 72 700 Td (zebrapage oldlayer) Tj ET\n",
    "0.5 g 72 72 200 100 re f\nq /Fx Do Q\n",
    "BT 3 Tr /F1 24 Tf 72 700 Td (zebramixed) Tj 0 Tr ET\nBT 72 600 Td (Printed words) Tj ET\n",
  ]
  static let form = "BT 3 Tr /F1 24 Tf 72 650 Td (zebraform) Tj ET\n"

  static func write(to path: String) {
    var objects: [String] = [
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 612 792] "
        + "/Resources << /Font << /F1 6 0 R >> /XObject << /Fx 7 0 R >> >> >>",
    ]
    for page in 0..<3 {
      objects.append("<< /Type /Page /Parent 2 0 R /Contents \(8 + page) 0 R >>")
    }
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(stream(form, extra: "/Type /XObject /Subtype /Form /BBox [0 0 612 792] "))
    objects += contents.map { stream($0) }
    var text = "%PDF-1.4\n"
    var offsets: [Int] = []
    for (index, object) in objects.enumerated() {
      offsets.append(text.utf8.count)
      text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
    }
    let xref = text.utf8.count
    text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
    for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
    text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
  }

  private static func stream(_ content: String, extra: String = "") -> String {
    "<< \(extra)/Length \(content.utf8.count) >>\nstream\n\(content)endstream"
  }
}

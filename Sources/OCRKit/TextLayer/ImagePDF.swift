import CQPDF
import CTesseract
import Foundation

/// An image file (PNG, JPEG, TIFF — every frame —, or anything else leptonica reads) made into
/// a searchable PDF: one page per frame, the image filling a page of its own size at its
/// resolution, the text layer grafted on as on any PDF page (`PageGraft`).
///
/// A JPEG goes in byte for byte (`/DCTDecode`): re-encoding would lose quality and grow the
/// file. Other images go in as their decoded 8-bit grey or RGB samples, which qpdf
/// Flate-compresses (lossless; a palette or 1-bit image is widened to 8 bits a sample).
public enum ImagePDF {
  /// The resolution assumed when the file states none, or one under 70 DPI (tesseract's
  /// `kMinCredibleResolution`: such values are placeholders, not scans): 300 DPI, what
  /// scanners produce by default.
  public static let defaultDPI = 300.0

  /// Writes `input` as a PDF to `output`, with `pages`' text layers (page N = frame N).
  public static func write(
    pages: [PlacedPage], fromImage input: String, to output: String,
    options: SearchablePDF.Options = .init()
  ) throws(SearchablePDFError) {
    try SearchablePDF.refuseInput(input, as: output)
    let written = try bytes(pages: pages, fromImage: input, options: options)
    do { try AtomicFile.write(written, to: output) } catch { throw .write(error) }
  }

  /// The PDF `write` writes, in memory.
  public static func bytes(
    pages: [PlacedPage], fromImage input: String, options: SearchablePDF.Options = .init()
  ) throws(SearchablePDFError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: input), !data.isEmpty else {
      throw .input(.notReadable(path: input, reason: "cannot read the image"))
    }
    let bytes = Array(data)
    Leptonica.silence()
    let kind = DocumentKind.sniff(bytes.prefix(64))
    let frames = kind == .tiff ? ImagePages.tiffFrameCount(bytes) : 1
    guard frames > 0 else { throw .imageUnreadable(path: input, detail: "no readable frames") }
    if let outside = pages.first(where: { !(1...frames).contains($0.number) }) {
      throw .pageOutOfRange(page: outside.number, pageCount: frames)
    }
    let pdf = QPDF()
    try pdf.checked("new PDF") { _ = qpdf_empty_pdf(pdf.data) }
    let (font, toUnicode) = try GlyphlessFont.make(in: pdf, fontPath: options.fontPath)
    var encoding = GlyphlessEncoding()
    for frame in 1...frames {
      let page = try addPage(
        frame: frame, of: bytes, passThrough: kind == .jpeg, in: pdf, path: input)
      guard let placed = pages.first(where: { $0.number == frame }) else { continue }
      let graft = PageGraft(pdf: pdf, page: page)
      let name = try graft.install(font: font)
      let content = TextLayerContent.stream(
        for: placed, geometry: graft.geometry, fontName: name, encoding: &encoding)
      try graft.add(content: content)
    }
    try pdf.replaceData(toUnicode, Array(encoding.toUnicodeCMap.utf8))
    return try pdf.written(linearize: options.linearize, deterministic: true)
  }

  /// Points per pixel for a stated resolution (0 when the file states none).
  static func pointsPerPixel(dpi: Int32) -> Double {
    72 / (dpi >= 70 ? Double(dpi) : defaultDPI)
  }

  private static func addPage(
    frame: Int, of bytes: [UInt8], passThrough: Bool, in pdf: QPDF, path: String
  ) throws(SearchablePDFError) -> qpdf_oh {
    let decoded = Leptonica.decode(
      bytes, frame: frame, tiff: frame > 1 || DocumentKind.sniff(bytes.prefix(64)) == .tiff)
    var owned = decoded
    defer { pixDestroy(&owned) }
    guard let pix = decoded else {
      throw .imageUnreadable(path: path, detail: "frame \(frame) cannot be decoded")
    }
    let width = Int(pixGetWidth(pix))
    let height = Int(pixGetHeight(pix))
    let image = try passThrough ? jpeg(bytes, pix: pix, in: pdf) : samples(of: pix, in: pdf)
    let dictionary = pdf.dictionary(of: image)
    try pdf.set(dictionary, "/Type", pdf.parse("/XObject"))
    try pdf.set(dictionary, "/Subtype", pdf.parse("/Image"))
    try pdf.set(dictionary, "/Width", pdf.parse("\(width)"))
    try pdf.set(dictionary, "/Height", pdf.parse("\(height)"))
    try pdf.set(dictionary, "/BitsPerComponent", pdf.parse("8"))
    let pageWidth = Double(width) * pointsPerPixel(dpi: pixGetXRes(pix))
    let pageHeight = Double(height) * pointsPerPixel(dpi: pixGetYRes(pix))
    let (w, h) = (TextLayerContent.number(pageWidth), TextLayerContent.number(pageHeight))
    let page = try pdf.parse(
      "<< /Type /Page /MediaBox [0 0 \(w) \(h)] /Resources << /XObject << >> >> >>")
    try pdf.set(pdf.key(pdf.key(page, "/Resources"), "/XObject"), "/Im0", image)
    try pdf.set(page, "/Contents", pdf.stream(Array("q \(w) 0 0 \(h) 0 0 cm /Im0 Do Q\n".utf8)))
    let indirect = try pdf.indirect(page)
    try pdf.checked("add page") { _ = qpdf_add_page(pdf.data, pdf.data, indirect, 0) }
    return indirect
  }

  /// The JPEG file as the image's stream, with the colour space its components say.
  private static func jpeg(_ bytes: [UInt8], pix: UnsafeMutablePointer<PIX>, in pdf: QPDF)
    throws(SearchablePDFError) -> qpdf_oh
  {
    var components: Int32 = 0
    var width: Int32 = 0
    var height: Int32 = 0
    var ycck: Int32 = 0
    var cmyk: Int32 = 0
    _ = bytes.withUnsafeBufferPointer {
      readHeaderMemJpeg($0.baseAddress, $0.count, &width, &height, &components, &ycck, &cmyk)
    }
    let image = try pdf.stream(bytes, filter: "/DCTDecode")
    let space =
      switch components {
      case 1: "/DeviceGray"
      case 4: "/DeviceCMYK"
      default: "/DeviceRGB"
      }
    try pdf.set(pdf.dictionary(of: image), "/ColorSpace", pdf.parse(space))
    // Adobe's CMYK JPEGs store inverted samples, as Photoshop writes them.
    if components == 4 {
      try pdf.set(pdf.dictionary(of: image), "/Decode", pdf.parse("[1 0 1 0 1 0 1 0]"))
    }
    return image
  }

  /// The decoded samples: grey when the image has no colour, else RGB; 8 bits each.
  private static func samples(of pix: UnsafeMutablePointer<PIX>, in pdf: QPDF)
    throws(SearchablePDFError) -> qpdf_oh
  {
    let width = Int(pixGetWidth(pix))
    let height = Int(pixGetHeight(pix))
    let isGrey = pixGetDepth(pix) < 32 && pixGetColormap(pix) == nil
    var converted = isGrey ? pixConvertTo8(pix, 0) : pixConvertTo32(pix)
    defer { pixDestroy(&converted) }
    guard let converted, let words = pixGetData(converted) else {
      throw .pdf("the image could not be converted")
    }
    let wordsPerLine = Int(pixGetWpl(converted))
    var bytes: [UInt8] = []
    bytes.reserveCapacity(width * height * (isGrey ? 1 : 3))
    // Leptonica packs pixels into 32-bit words, the first pixel in the most significant bits.
    for row in 0..<height {
      let line = words + row * wordsPerLine
      for column in 0..<width {
        if isGrey {
          bytes.append(UInt8(truncatingIfNeeded: line[column / 4] >> (24 - 8 * UInt32(column % 4))))
        } else {
          let pixel = line[column]
          bytes.append(UInt8(truncatingIfNeeded: pixel >> 24))
          bytes.append(UInt8(truncatingIfNeeded: pixel >> 16))
          bytes.append(UInt8(truncatingIfNeeded: pixel >> 8))
        }
      }
    }
    let image = try pdf.stream(bytes)
    try pdf.set(
      pdf.dictionary(of: image), "/ColorSpace", pdf.parse(isGrey ? "/DeviceGray" : "/DeviceRGB"))
    return image
  }
}

import CQPDF

/// Writes a searchable PDF: the input's pages as they are, with the model's words as an
/// invisible text layer where they stand (`TextLayerContent`, `PageGraft`, `GlyphlessFont`).
///
/// Blocking (libqpdf reads and writes files): call it off the cooperative pool.
public enum SearchablePDF {
  public struct Options: Sendable, Equatable {
    /// Linearised ("fast web view"): a viewer shows page 1 before the file has arrived.
    public var linearize: Bool
    /// libtesseract's glyphless font.
    public var fontPath: String
    /// Pages (1-based) whose invisible text another tool put there (an OCR layer, render
    /// mode 3) is taken out before the new layer goes on: `--redo-text`. Their visible text,
    /// images and drawing stay as they are (`InvisibleText`).
    public var removeInvisibleText: Set<Int>

    public init(
      linearize: Bool = false, fontPath: String? = nil, removeInvisibleText: Set<Int> = []
    ) {
      self.linearize = linearize
      self.fontPath = fontPath ?? GlyphlessFont.defaultPath
      self.removeInvisibleText = removeInvisibleText
    }
  }

  /// Writes `input` to `output` with `pages`' text layers. A page given here that already
  /// holds a layer ocrview added loses it first (a re-run replaces, never stacks), as do the
  /// pages of `options.removeInvisibleText` another tool's invisible text; other pages are
  /// copied as they are. The output is written whole (temporary file beside it, then
  /// renamed); writing onto the input itself is refused.
  ///
  /// The same pages give the same bytes (a deterministic `/ID`), so a resumed run writes the
  /// file a clean run does. An encrypted input (opened with `password`) stays encrypted with
  /// its own passwords and permissions, as qpdf keeps them, and gets a fresh `/ID`.
  public static func write(
    pages: [PlacedPage], from input: String, password: String? = nil, to output: String,
    options: Options = Options()
  ) throws(SearchablePDFError) {
    try refuseInput(input, as: output)
    let bytes = try bytes(pages: pages, from: input, password: password, options: options)
    do { try AtomicFile.write(bytes, to: output) } catch { throw .write(error) }
  }

  /// A document's searchable PDF in memory: a PDF's pages with their layers (`write`), an
  /// image made into a PDF (`ImagePDF`).
  public static func bytes(
    of document: OpenedDocument, pages: [PlacedPage], options: Options = Options()
  ) throws(SearchablePDFError) -> [UInt8] {
    document.kind == .pdf
      ? try bytes(pages: pages, from: document.path, password: document.password, options: options)
      : try ImagePDF.bytes(pages: pages, fromImage: document.path, options: options)
  }

  /// The PDF `write` writes, in memory.
  public static func bytes(
    pages: [PlacedPage], from input: String, password: String? = nil, options: Options = Options()
  ) throws(SearchablePDFError) -> [UInt8] {
    var pdf = QPDF()
    try pdf.read(input, password: password)
    let count = try pdf.pageCount()
    let numbers = pages.map(\.number) + options.removeInvisibleText.sorted()
    if let outside = numbers.first(where: { $0 < 1 || $0 > count }) {
      throw .pageOutOfRange(page: outside, pageCount: count)
    }
    if !options.removeInvisibleText.isEmpty {
      // The C++ shim writes the file without that text; the layer goes onto that copy, held
      // in memory, so there is still one output file and no temporary one.
      let bytes = try InvisibleText.stripped(
        pages: options.removeInvisibleText, from: input, password: password)
      pdf = QPDF()
      try pdf.read(memory: bytes, as: input, password: password)
    }
    try pdf.checked("push inherited attributes") {
      _ = qpdf_push_inherited_attributes_to_page(pdf.data)
    }
    let (font, toUnicode) = try GlyphlessFont.make(in: pdf, fontPath: options.fontPath)
    var encoding = GlyphlessEncoding()
    for placed in pages {
      let graft = PageGraft(pdf: pdf, page: pdf.page(placed.number))
      try graft.removeOwnLayer()
      let name = try graft.install(font: font)
      let content = TextLayerContent.stream(
        for: placed, geometry: graft.geometry, fontName: name, encoding: &encoding)
      try graft.add(content: content)
    }
    try pdf.replaceData(toUnicode, Array(encoding.toUnicodeCMap.utf8))
    return try pdf.written(
      linearize: options.linearize, deterministic: qpdf_is_encrypted(pdf.data) == 0)
  }

  /// Writes `input` to `output` without any text layer ocrview added (every page as it was
  /// before the first run).
  public static func removeOwnLayer(from input: String, password: String? = nil, to output: String)
    throws(SearchablePDFError)
  {
    try refuseInput(input, as: output)
    let pdf = QPDF()
    try pdf.read(input, password: password)
    for number in (0..<(try pdf.pageCount())).map({ $0 + 1 }) {
      try PageGraft(pdf: pdf, page: pdf.page(number)).removeOwnLayer()
    }
    let bytes = try pdf.written(linearize: false, deterministic: qpdf_is_encrypted(pdf.data) == 0)
    do { try AtomicFile.write(bytes, to: output) } catch { throw .write(error) }
  }

  /// The pages (1-based) that hold a text layer ocrview added: `write` replaces it.
  public static func pagesWithOwnLayer(in input: String, password: String? = nil)
    throws(SearchablePDFError) -> Set<Int>
  {
    let pdf = QPDF()
    try pdf.read(input, password: password)
    let count = try pdf.pageCount()
    return Set(
      (1...max(1, count)).filter {
        count > 0 && PageGraft(pdf: pdf, page: pdf.page($0)).hasOwnLayer
      })
  }

  public static func refuseInput(_ input: String, as output: String) throws(SearchablePDFError) {
    if let target = FileIdentity(path: output), target == FileIdentity(path: input) {
      throw .outputIsInput(path: output)
    }
  }
}

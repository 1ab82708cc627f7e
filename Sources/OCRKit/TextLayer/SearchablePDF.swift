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

    public init(linearize: Bool = false, fontPath: String? = nil) {
      self.linearize = linearize
      self.fontPath = fontPath ?? GlyphlessFont.defaultPath
    }
  }

  /// Writes `input` to `output` with `pages`' text layers. A page given here that already
  /// holds a layer ocrview added loses it first (a re-run replaces, never stacks); pages not
  /// given are copied as they are. The output is written whole (temporary file beside it, then
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
    let pdf = QPDF()
    try pdf.read(input, password: password)
    try pdf.checked("push inherited attributes") {
      _ = qpdf_push_inherited_attributes_to_page(pdf.data)
    }
    let count = try pdf.pageCount()
    if let outside = pages.first(where: { !(1...count).contains($0.number) }) {
      throw .pageOutOfRange(page: outside.number, pageCount: count)
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
    let bytes = try pdf.written(
      linearize: options.linearize, deterministic: qpdf_is_encrypted(pdf.data) == 0)
    do { try AtomicFile.write(bytes, to: output) } catch { throw .write(error) }
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

  static func refuseInput(_ input: String, as output: String) throws(SearchablePDFError) {
    if let target = FileIdentity(path: output), target == FileIdentity(path: input) {
      throw .outputIsInput(path: output)
    }
  }
}

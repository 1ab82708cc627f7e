import CQPDF

/// Grafts a text layer onto one page of an opened PDF, as OCRmyPDF's graft does: the page's
/// own content streams stay as they are, wrapped in `q` … `Q` so no graphics state they leave
/// behind (a scaled CTM, a clip, a colour) reaches the text; the text follows in one stream
/// of its own; the font joins the page's `/Font` resources. Nothing of the original is
/// rewritten, so the page renders exactly as before.
///
/// Every stream added (the `q`, the `Q`, the text) and the font carry `GlyphlessFont.marker`,
/// so `removeOwnLayer` finds them again: a second run replaces ocrview's layer instead of
/// stacking another one on it.
struct PageGraft {
  let pdf: QPDF
  let page: qpdf_oh

  /// The page's geometry, after `qpdf_push_inherited_attributes_to_page` put an inherited
  /// `/MediaBox`, `/CropBox` and `/Rotate` on it. A page without a usable media box gets US
  /// Letter, as poppler gives it.
  var geometry: PageGeometry {
    let media = pdf.rect(pdf.key(page, "/MediaBox")) ?? .init(x1: 0, y1: 0, x2: 612, y2: 792)
    return PageGeometry(
      mediaBox: media, cropBox: pdf.rect(pdf.key(page, "/CropBox")),
      rotate: pdf.integer(pdf.key(page, "/Rotate")) ?? 0)
  }

  /// The page's content streams, in order (a single stream, an array, or none).
  private var contents: [qpdf_oh] {
    let contents = pdf.key(page, "/Contents")
    if pdf.isStream(contents) { return [contents] }
    return pdf.items(contents).filter(pdf.isStream)
  }

  private func isOurs(_ object: qpdf_oh) -> Bool {
    let dictionary = pdf.isStream(object) ? pdf.dictionary(of: object) : object
    return pdf.isDictionary(dictionary) && pdf.hasKey(dictionary, GlyphlessFont.marker)
  }

  /// Whether the page holds a text layer ocrview added.
  var hasOwnLayer: Bool { contents.contains(where: isOurs) }

  /// Takes away a layer ocrview added earlier: its streams from `/Contents` and its font from
  /// the page's resources. The page's own content is as it was before.
  func removeOwnLayer() throws(SearchablePDFError) {
    let streams = contents
    guard streams.contains(where: isOurs) else { return }
    try pdf.set(page, "/Contents", pdf.array(streams.filter { !isOurs($0) }))
    // The font goes only from a page's own (direct) font dictionary, as `install` makes it.
    let fonts = pdf.key(pdf.key(page, "/Resources"), "/Font")
    guard pdf.isDictionary(fonts), !pdf.isIndirect(fonts) else { return }
    for name in pdf.keys(of: fonts) where isOurs(pdf.key(fonts, name)) { pdf.remove(fonts, name) }
  }

  /// Adds `content` (a text layer's operators, drawing with the name `install(font:)` gave)
  /// after the page's content.
  func add(content: String) throws(SearchablePDFError) {
    let text = try marked(pdf.stream(Array(content.utf8)))
    let open = try marked(pdf.stream(Array("q\n".utf8)))
    let close = try marked(pdf.stream(Array("\nQ\n".utf8)))
    try pdf.set(page, "/Contents", pdf.array([open] + contents + [close, text]))
  }

  private func marked(_ stream: qpdf_oh) throws(SearchablePDFError) -> qpdf_oh {
    try pdf.set(pdf.dictionary(of: stream), GlyphlessFont.marker, pdf.parse("true"))
    return stream
  }

  /// Puts `font` in the page's `/Font` resources and returns its name there: `OCRV`, or
  /// `OCRV1`, `OCRV2`, … when the page already uses that name for a font of its own.
  ///
  /// The page gets resources of its own first: pages often share one `/Resources` dictionary
  /// (qpdf pushes an inherited one down to each page as the same object), and a later run that
  /// replaces one page's layer must not take the font away from the others.
  func install(font: qpdf_oh) throws(SearchablePDFError) -> String {
    let resources = try ownDictionary(page, "/Resources")
    let fonts = try ownDictionary(resources, "/Font")
    for suffix in 0..<1000 {
      let name = suffix == 0 ? "OCRV" : "OCRV\(suffix)"
      let existing = pdf.key(fonts, "/" + name)
      if !pdf.hasKey(fonts, "/" + name) || pdf.objectID(existing) == pdf.objectID(font) {
        try pdf.set(fonts, "/" + name, font)
        return name
      }
    }
    throw .pdf("no free font name on the page")
  }

  /// `owner`'s dictionary at `key` as a direct object only `owner` holds: a shallow copy of a
  /// shared (indirect) one, an empty one when there is none.
  private func ownDictionary(_ owner: qpdf_oh, _ key: String) throws(SearchablePDFError)
    -> qpdf_oh
  {
    let current = pdf.key(owner, key)
    guard !pdf.isDictionary(current) || pdf.isIndirect(current) else { return current }
    let own = try pdf.isDictionary(current) ? pdf.shallowCopy(current) : pdf.parse("<< >>")
    try pdf.set(owner, key, own)
    return pdf.key(owner, key)
  }
}

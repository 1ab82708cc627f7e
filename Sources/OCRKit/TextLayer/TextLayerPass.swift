import OCRMarkup

/// Places a document's pages for its text layer as they finish: each page's model text on
/// tesseract's reading of the same page image (`PageReferee.reading` — made while the model
/// read the page when the run offers its images, and shared with the page's `--check`).
///
/// Only the placed words are kept (`PlacedPage`), not tesseract's reading with its symbols,
/// so a long document's layer costs a few kilobytes a page until it is written.
public struct TextLayerPass: Sendable {
  public let reader: PageReferee

  public init(reader: PageReferee) { self.reader = reader }

  /// Page `page`'s layer from its finished model `text`, read (if it has not been) at the
  /// image size its run sent (`maxSide`); `grounded`: the text has grounding markup. At the
  /// reader's idle priority while the document's run goes on (`PageReferee.hurry` once it
  /// has ended).
  public func place(
    page: Int, text: String, of document: OpenedDocument, maxSide: Int, grounded: Bool
  ) async -> Result<PlacedPage, PageReferee.Failure> {
    let reading = await reader.reading(page: page, of: document, maxSide: maxSide)
    return reading.map { Self.layer(page: page, text: text, grounded: grounded, reading: $0) }
  }

  /// The model's words on tesseract's layout of the page image: by the model's own blocks
  /// when it gave their boxes (`GroundedPlacement`), else over the whole page
  /// (`WordPlacement`), its Markdown and HTML stripped either way. Pure.
  public static func layer(page: Int, text: String, grounded: Bool, reading: TesseractReading)
    -> PlacedPage
  {
    let (layout, width, height) = (
      reading.layout, reading.layout.imageWidth, reading.layout.imageHeight
    )
    guard grounded else {
      return WordPlacement.place(
        text: ModelPlainText.plain(text), layout: layout, page: page, imageWidth: width,
        imageHeight: height)
    }
    return GroundedPlacement.place(
      rawText: text, layout: layout, page: page, imageWidth: width, imageHeight: height)
  }
}

import OCRMarkup

/// Places a document's pages for its text layer as they finish: each page's model text on
/// tesseract's reading of the same page image (`PageReferee.reading` — made while the model
/// read the page when the run offers its images, and shared with the page's `--check`).
///
/// Only the placed words are kept (`PlacedPage`), not tesseract's reading with its symbols,
/// so a long document's layer costs a few kilobytes a page until it is written.
public struct TextLayerPass: Sendable {
  public let reader: PageReferee
  /// The model's plain text (its Markdown, HTML tables and grounding markup stripped) on
  /// tesseract's reading of the page image.
  public let place:
    @Sendable (_ page: Int, _ plainText: String, _ reading: TesseractReading) -> PlacedPage

  /// `place`: `WordPlacement` unless a test says otherwise.
  public init(
    reader: PageReferee,
    place: @escaping @Sendable (Int, String, TesseractReading) -> PlacedPage = Self.wordPlacement
  ) {
    self.reader = reader
    self.place = place
  }

  /// The model's words on tesseract's layout of the page image (`WordPlacement`).
  @Sendable public static func wordPlacement(
    page: Int, plainText: String, reading: TesseractReading
  ) -> PlacedPage {
    WordPlacement.place(
      text: plainText, layout: reading.layout, page: page,
      imageWidth: reading.layout.imageWidth, imageHeight: reading.layout.imageHeight)
  }

  /// Page `page`'s layer from its finished model `text`, read (if it has not been) at the
  /// image size its run sent (`maxSide`); `grounded`: the text has grounding markup. At the
  /// reader's idle priority while the document's run goes on (`PageReferee.hurry` once it
  /// has ended).
  public func place(
    page: Int, text: String, of document: OpenedDocument, maxSide: Int, grounded: Bool
  ) async -> Result<PlacedPage, PageReferee.Failure> {
    let reading = await reader.reading(page: page, of: document, maxSide: maxSide)
    return reading.map { place(page, ModelPlainText.plain(text, grounded: grounded), $0) }
  }
}

import OCRMarkup

extension ModelPlainText {
  /// The words of a model page as `--check` compares them: grounding boxes removed by the
  /// grounding parser when the page was read with them (`grounded`), then its Markdown and
  /// HTML.
  public static func plain(_ text: String, grounded: Bool) -> String {
    plain(grounded ? GroundedText.plain(text) : text)
  }
}

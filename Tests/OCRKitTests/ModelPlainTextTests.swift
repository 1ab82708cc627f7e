import OCRKit
import OCRMarkup
import Testing

/// The model's text without markup, as `--check` compares it.
struct ModelPlainTextTests {
  func words(_ text: String) -> [String] {
    text.split(whereSeparator: \.isWhitespace).map(String.init)
  }

  @Test func markdownTablesAndHTMLTablesLeaveTheirWordsOnly() {
    let page = """
      # Measured *latency*

      | Page | Mode |
      |---|---|
      | 1 | **stream** |

      <table><tr><th>Total</th><td>6.81</td></tr></table>

      - item `code`
      """
    #expect(
      words(ModelPlainText.plain(page))
        == ["Measured", "latency", "Page", "Mode", "1", "stream", "Total", "6.81", "item", "code"])
  }

  @Test func groundingBoxesAreRemoved() {
    let raw = "![title](10,10,900,80)\nReport\n![text](10,100,900,400)\nBody text."
    #expect(words(ModelPlainText.plain(raw, grounded: true)) == ["Report", "Body", "text."])
  }
}

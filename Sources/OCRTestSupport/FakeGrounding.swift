/// A LightOnOCR-3 page in grounding mode, as the fake answers a request whose text part is
/// `grounding`: every layout block behind a `![label](x1,y1,x2,y2)` box, a block that starts on
/// the line after its box, a continuation (`text+`), a header, footer and page number to drop,
/// and a malformed box (three numbers) that stays text.
public enum FakeGrounding {
  public static let page = """
    ![header](80,20,920,40) Journal of Fake Results · 2026
    ![title](100,60,900,110) # A Grounded Page
    ![text](100,130,480,300) The first column starts here and
    ![text+](520,130,900,300) flows on in the second column.
    ![table](100,320,900,520)
    <table><tr><td>tokens</td><td>boxed</td></tr></table>
    ![text](1,2,3) keeps a malformed box as text: 안녕하세요.
    ![footer](80,940,700,960) Fake footer
    ![page_number](490,950,510,970) 7
    """

  /// `text` cut every `size` characters: boxes end up split across deltas.
  public static func deltas(_ text: String = page, size: Int = 7) -> [String] {
    var deltas: [String] = []
    var rest = Substring(text)
    while !rest.isEmpty {
      deltas.append(String(rest.prefix(size)))
      rest = rest.dropFirst(size)
    }
    return deltas
  }

  /// Answers grounding requests with `page` in deltas of `size` characters (batch: whole),
  /// and any other request with `plain`.
  public static func responder(
    page: String = page, size: Int = 7, plain: String = "plain text, no boxes"
  ) -> @Sendable (FakeRequest) -> FakeResponse {
    { request in
      let text =
        request.promptText?.split(separator: "\n").contains("grounding") == true
        ? page : plain
      return request.isStream
        ? .chatStream(
          deltas: deltas(text, size: size), usage: request.includeUsage ? .separateChunk : .none)
        : .chatBatch(text: text)
    }
  }
}

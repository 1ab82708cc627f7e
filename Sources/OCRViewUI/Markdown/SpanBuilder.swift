/// Collects styled text for one block of inline content: merges neighbouring runs of one style
/// and turns math placeholders (`MathProtect`) into Unicode math in the math style.
struct SpanBuilder {
  let styles: MarkdownStyles
  let math: [MathProtect.MathSpan]
  private(set) var spans: [Span] = []

  init(styles: MarkdownStyles, math: [MathProtect.MathSpan]) {
    self.styles = styles
    self.math = math
  }

  /// Text that may hold placeholders. Tabs become spaces: wrapping maps its output back to
  /// these characters one by one, and a tab would turn into several.
  mutating func text(_ text: some StringProtocol, _ style: Style) {
    appendMath(untabbed(text), math: math, style)
  }

  /// Text not seen by `MathProtect` yet (HTML's): its math found here.
  mutating func source(_ text: String, _ style: Style) {
    let protected = MathProtect.protect(untabbed(text))
    appendMath(protected.text, math: protected.math, style)
  }

  private mutating func appendMath(
    _ text: String, math: [MathProtect.MathSpan], _ style: Style
  ) {
    guard !math.isEmpty, text.contains(MathProtect.open) else { return append(text, style) }
    MathProtect.split(text) { piece in
      switch piece {
      case .text(let text): append(String(text), style)
      case .math(let index):
        guard index < math.count else { return }
        append(LaTeXText.unicode(math[index].body), mathStyle(style))
      }
    }
  }

  /// Text shown as it is (code): placeholders back to their source.
  mutating func literal(_ text: String, _ style: Style) {
    append(untabbed(MathProtect.restore(text, math: math)), style)
  }

  mutating func lineBreak() { append("\n", spans.last?.style ?? .plain) }

  /// Math keeps the surrounding weight (a formula in a bold header cell stays bold).
  private func mathStyle(_ around: Style) -> Style {
    var style = styles.math
    style.bold = style.bold || around.bold
    return style
  }

  private mutating func append(_ text: String, _ style: Style) {
    spans.append(text, style)
  }
}

/// Tabs as single spaces.
private func untabbed(_ text: some StringProtocol) -> String {
  text.contains("\t") ? String(text.map { $0 == "\t" ? " " : $0 }) : String(text)
}

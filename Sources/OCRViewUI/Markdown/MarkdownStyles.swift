/// The rendered view's styles, in colour or (NO_COLOR) in bold/dim/reverse/underline/italic
/// only. Headings share the viewer's heading colour (`Theme.heading`).
struct MarkdownStyles {
  let monochrome: Bool

  var plain: Style { .plain }
  var heading: Style { Theme(monochrome: monochrome).heading }
  /// Level 1 stands out from the rest by an underline.
  var title: Style {
    var style = heading
    style.underline = true
    return style
  }
  var code: Style { monochrome ? Style(reverse: true) : Style(foreground: .yellow) }
  var math: Style {
    monochrome ? Style(italic: true) : Style(foreground: .magenta, italic: true)
  }
  var quoteGutter: Style { monochrome ? Style(dim: true) : Style(foreground: .blue) }
  var rule: Style { Style(dim: true) }
  var border: Style { Style(dim: true) }
  var bullet: Style { monochrome ? .plain : Style(foreground: .cyan) }
  var link: Style { Style(underline: true) }
}

import OCRKit

/// Styles, in colour or (NO_COLOR, vt100) in bold/reverse/dim only.
struct Theme {
  let monochrome: Bool

  var plain: Style { .plain }
  var bar: Style { Style(reverse: true) }
  var title: Style { Style(bold: true) }
  var dim: Style { Style(dim: true) }
  var selected: Style { Style(reverse: true) }
  var selectedUnfocused: Style { Style(bold: true, underline: true) }
  var heading: Style { monochrome ? Style(bold: true) : Style(foreground: .cyan, bold: true) }
  var error: Style { monochrome ? Style(bold: true) : Style(foreground: .red, bold: true) }
  var ok: Style { monochrome ? .plain : Style(foreground: .green) }
  var warning: Style { monochrome ? Style(bold: true) : Style(foreground: .yellow) }
  /// Text on the lines where the model was unsure of its tokens (`PaneLine.doubtful`).
  var doubtful: Style { monochrome ? Style(dim: true) : Style(foreground: .magenta) }
  /// Search matches, and the one `n` went to.
  var match: Style {
    monochrome ? Style(underline: true) : Style(foreground: .black, background: .yellow)
  }
  var currentMatch: Style { Style(bold: true, reverse: true) }
  var badge: Style {
    monochrome
      ? Style(bold: true, reverse: true) : Style(foreground: .black, background: .cyan, bold: true)
  }
}

/// "0.41 s" / "412 ms", shared with the headless stats.
func seconds(_ duration: Duration?) -> String { StatsText.duration(duration) }

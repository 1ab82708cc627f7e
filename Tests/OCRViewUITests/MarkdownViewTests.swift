import OCRMarkup
import Testing

@testable import OCRViewUI

/// Rendered Markdown as whole frames: the lines drawn into a canvas of the pane's width and
/// compared row by row, plus the styles of chosen cells.
@Suite struct MarkdownViewTests {
  /// The lines drawn into a canvas `width` columns wide, as a terminal pane shows them.
  static func frame(_ markdown: String, width: Int, monochrome: Bool = false) -> Canvas {
    let lines = MarkdownView.lines(markdown, width: width, monochrome: monochrome)
    var canvas = Canvas(width: width, height: lines.count)
    for (y, line) in lines.enumerated() {
      #expect(line.displayWidth <= width, "line \(y) is wider than the pane")
      var x = 0
      for span in line { x += canvas.write(span.text, x: x, y: y, style: span.style) }
    }
    return canvas
  }

  /// Compares a frame with the expected lines (padded to its width), row by row.
  static func expectFrame(
    _ canvas: Canvas, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let lines = canvas.lines()
    #expect(lines.count == expected.count, "rows", sourceLocation: sourceLocation)
    for (index, line) in expected.enumerated() where index < lines.count {
      let padded =
        line + String(repeating: " ", count: max(0, canvas.width - DisplayWidth.of(line)))
      #expect(lines[index] == padded, "row \(index)", sourceLocation: sourceLocation)
    }
  }

  @Test func headingsEmphasisListsQuotesCodeRulesAndLinks() {
    let markdown = """
      # Title *here*

      Some **bold** and *italic* text, `code` and a [link](http://x).

      ## Sub

      - one
      - two
        1. nested
        2. more
      - three

      > quoted
      > > inner

      ```swift
      let x = 1
      ```

      ---
      """
    let canvas = Self.frame(markdown, width: 30)
    Self.expectFrame(
      canvas,
      [
        "Title here",
        "",
        "Some bold and italic text,",
        "code and a link.",
        "",
        "Sub",
        "",
        "• one",
        "• two",
        "  1. nested",
        "  2. more",
        "• three",
        "",
        "│ quoted",
        "│",
        "│ │ inner",
        "",
        "  let x = 1",
        "",
        "──────────────────────────────",
      ])
    let theme = MarkdownStyles(monochrome: false)
    #expect(canvas[0, 0].style == theme.title)  // level 1: bold, underlined, heading colour
    #expect(canvas[0, 0].style.bold && canvas[0, 0].style.underline)
    #expect(canvas[6, 0].style.italic)  // "here"
    #expect(canvas[0, 5].style == theme.heading)
    #expect(canvas[5, 2].style.bold && !canvas[5, 2].style.italic)  // "bold"
    #expect(canvas[14, 2].style.italic && !canvas[14, 2].style.bold)  // "italic"
    #expect(canvas[0, 3].style == theme.code)  // "code"
    #expect(canvas[11, 3].style.underline)  // "link"
    #expect(canvas[0, 13].style == theme.quoteGutter)
    #expect(canvas[2, 17].style == theme.code)
    #expect(canvas[0, 19].style == theme.rule)
  }

  @Test func monochromeUsesNoColour() {
    let canvas = Self.frame("# T\n\n`c` $x$ > q\n\n> quote", width: 20, monochrome: true)
    for row in canvas.allCells {
      for cell in row {
        #expect(cell.style.foreground == .default && cell.style.background == .default)
      }
    }
    #expect(canvas[2, 2].style.italic)  // math
    #expect(canvas[0, 2].style.reverse)  // code
  }

  @Test func aGFMTableWithKoreanCellsAlignedAndWrappedInANarrowPane() {
    let markdown = """
      | Name | 값 | Right |
      |:-----|:--:|------:|
      | 가나다 | b | 1 |
      | long cell text here | 한국어 텍스트 | 22 |
      """
    Self.expectFrame(
      Self.frame(markdown, width: 50),
      [
        "┌─────────────────────┬───────────────┬───────┐",
        "│ Name                │      값       │ Right │",
        "├─────────────────────┼───────────────┼───────┤",
        "│ 가나다              │       b       │     1 │",
        "│ long cell text here │ 한국어 텍스트 │    22 │",
        "└─────────────────────┴───────────────┴───────┘",
      ])
    // 24 columns: the widest columns shrink first, "Right" keeps its width, cells wrap.
    let narrow = Self.frame(markdown, width: 24)
    Self.expectFrame(
      narrow,
      [
        "┌──────┬───────┬───────┐",
        "│ Name │  값   │ Right │",
        "├──────┼───────┼───────┤",
        "│ 가나 │   b   │     1 │",
        "│ 다   │       │       │",
        "├──────┼───────┼───────┤",
        "│ long │ 한국  │    22 │",
        "│ cell │  어   │       │",
        "│ text │ 텍스  │       │",
        "│ here │  트   │       │",
        "└──────┴───────┴───────┘",
      ])
    #expect(narrow[2, 1].style.bold)  // header
    #expect(!narrow[2, 3].style.bold)
  }

  @Test func anHTMLTableWithRowspanColspanAndLineBreaks() {
    let html = """
      <table>
      <thead><tr><th>A</th><th>B</th><th>C</th></tr></thead>
      <tr><td rowspan="2">r</td><td colspan="2">wide<br>two</td></tr>
      <tr><td>x</td><td>$x^2$</td></tr>
      </table>
      """
    let canvas = Self.frame(html, width: 30)
    Self.expectFrame(
      canvas,
      [
        "┌───┬───┬────┐",
        "│ A │ B │ C  │",
        "├───┼───┴────┤",
        "│ r │ wide   │",
        "│   │ two    │",
        "│   ├───┬────┤",
        "│   │ x │ x² │",
        "└───┴───┴────┘",
      ])
    #expect(canvas[2, 1].style.bold)  // <th>
    #expect(!canvas[2, 3].style.bold)
    #expect(canvas[10, 6].style == MarkdownStyles(monochrome: false).math)
  }

  @Test func tablesCutOffMidRowShowTheRowsSoFar() {
    Self.expectFrame(
      Self.frame("| a | b |\n|---|---|\n| 1 | 2 |\n| 3", width: 30),
      [
        "┌───┬───┐",
        "│ a │ b │",
        "├───┼───┤",
        "│ 1 │ 2 │",
        "│ 3 │   │",
        "└───┴───┘",
      ])
    Self.expectFrame(
      Self.frame("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td rowsp", width: 30),
      [
        "┌───┬───┐",
        "│ a │ b │",
        "│ c │   │",
        "└───┴───┘",
      ])
  }

  @Test func mathBecomesUnicodeAndWhatCannotBeMappedStaysSource() {
    let canvas = Self.frame(
      #"$\alpha^2 + x_1 \times \frac{1}{2} \leq \sqrt{x} \mathbf{v} \overset{a}{b} e^{i\pi}$"#,
      width: 60)
    Self.expectFrame(canvas, ["α² + x₁ × 1⁄2 ≤ √x v \\overset{a}{b} e^{iπ}"])
    #expect(canvas[0, 0].style == MarkdownStyles(monochrome: false).math)
    #expect(
      LaTeXText.unicode(#"\frac{a+b}{c} \cdot \sum_{i} \partial \nabla \infty \approx \neq \pm"#)
        == "(a+b)⁄c · ∑ᵢ ∂ ∇ ∞ ≈ ≠ ±")
    Self.expectFrame(
      Self.frame(#"\(a \cdot b\) and \[x \rightarrow y\]"#, width: 30), ["a · b and x → y"])
    Self.expectFrame(Self.frame("$$\n\\int_0^1 f\n$$", width: 30), ["∫₀¹ f"])
  }

  @Test func anUnbalancedDollarIsLiteralAndSwallowsNothing() {
    Self.expectFrame(
      Self.frame("Cost $5 and $10, *then* $a\n\nNext `$x` paragraph $y$.", width: 40),
      ["Cost $5 and $10, then $a", "", "Next $x paragraph y."])
    let canvas = Self.frame("a $b\n\n# Heading", width: 20)
    Self.expectFrame(canvas, ["a $b", "", "Heading"])
    #expect(canvas[0, 2].style.bold)
  }

  @Test func malformedHTMLRendersItsText() {
    Self.expectFrame(
      Self.frame("<div><b>bold</b><p>para <i>it</i></p><table><tr><td>x</td></tr>", width: 30),
      ["bold", "", "para it", "", "┌───┐", "│ x │", "└───┘"])
    // Junk of every kind: no crash, lines within the width.
    for html in [
      "<table><tr><td colspan=\"99999\">", "<<<>>></td></tr>", "<table><td rowspan=-3>a",
    ] {
      _ = Self.frame(html, width: 12)
    }
  }

  @Test func hostileInputTakesBoundedTimeAndOutput() {
    // A megabyte of one table row.
    let row = "| " + String(repeating: "cell | ", count: 150_000)
    let wide = "| a | b |\n|---|---|\n" + row
    // A megabyte header of 40 000 columns on one line.
    let columns =
      String(repeating: "| h ", count: 40_000) + "|\n"
      + String(repeating: "|---", count: 40_000) + "|\n"
    for markdown in [
      wide, columns, row,
      String(repeating: "> ", count: 5_000) + "deep",
      String(repeating: "- ", count: 3_000) + "deep",
      String(repeating: "*", count: 50_000) + "x",
      String(repeating: "$a ", count: 100_000),
      String(repeating: "{", count: 2_000).map { "$\($0)$" }.joined(),
    ] {
      let lines = MarkdownMemo().lines(markdown, width: 80, monochrome: false)
      #expect(lines.allSatisfy { $0.displayWidth <= 80 })
      #expect(lines.count < 40_000)
    }
    // Bounded work, not time (a loaded machine took 24 s where a quiet one takes 0.7): no
    // line reaches cmark-gfm's table extension, quadratic in a row's cells, with more than
    // its 128 pipes.
    for markdown in [wide, columns, row] {
      let bytes = Array(markdown.utf8)
      let fed = CMarkDocument.boundedRanges(bytes).flatMap { bytes[$0] }
      let widest =
        fed.split(separator: UInt8(ascii: "\n")).map {
          $0.count { $0 == UInt8(ascii: "|") }
        }.max() ?? 0
      #expect(widest <= CMarkDocument.maxPipesPerLine)
      #expect(fed.count < 4 * 128 * 4)
    }
    // The wide table: its two columns, the megabyte cell cut.
    let table = MarkdownMemo().lines(wide, width: 40, monochrome: false)
    #expect(table.count < 200)
    // 40 000 columns: laid out up to the limit, the rest said.
    let many = MarkdownMemo().lines(columns, width: 200, monochrome: false)
    #expect(many.last?.map(\.text).joined().contains("more columns") == true)
  }
}

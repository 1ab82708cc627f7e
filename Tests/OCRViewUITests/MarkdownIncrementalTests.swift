import Testing

@testable import OCRViewUI

/// The memo (`MarkdownMemo`) renders a growing page from its last block on; these tests check
/// that it always draws what rendering the whole page from scratch draws.
@Suite struct MarkdownIncrementalTests {
  static let page = """
    # 3. Results

    The fit gives $E_a = 52.3 \\pm 1.2$ kJ/mol and $R^2 = 0.98$. 결과는 표 2에 정리하였다.

    Setext heading
    ---

    | Sample | T (°C) | 수율 (%) |
    |:-------|-------:|--------:|
    | A-1 | 25 | 41.2 |
    | A-2 | 50 | *57.9* |

    <table><tr><th>Catalyst</th><th colspan="2">Conversion</th></tr>
    <tr><td rowspan="2">Pd/C</td><td>1 h</td><td>82%</td></tr><tr><td>2 h<br>(repeat)</td><td>91%</td></tr></table>

    $$\\frac{d[A]}{dt} = -k[A]^2$$

    - Rate constants follow Arrhenius behaviour.

    - The order is $n = 2$.
      > quoted $x$
    1. one
    2. two

    ```
    code $x$ here
    ```
    Last paragraph with a $ sign and \\(a \\cdot b\\).

    """

  /// Every prefix of the page, grown a few characters at a time as a stream does, through one
  /// memo: each result equals the page rendered from scratch.
  @Test func aGrowingPageRendersAsTheWholePageDoes() {
    let memo = MarkdownMemo()
    let characters = Array(Self.page + Self.page)
    var end = 0
    while end < characters.count {
      end = min(characters.count, end + 2)
      let text = String(characters[..<end])
      let fromScratch = MarkdownMemo().lines(text, width: 40, monochrome: false)
      let grown = memo.lines(text, width: 40, monochrome: false)
      #expect(
        grown == fromScratch,
        "after \(end) characters: \(grown.map { $0.map(\.text).joined() }) vs \(fromScratch.map { $0.map(\.text).joined() })"
      )
      if grown != fromScratch { break }
    }
  }

  @Test func anEditedPageIsRenderedAfresh() {
    let memo = MarkdownMemo()
    _ = memo.lines("# One\n\ntext", width: 30, monochrome: false)
    let lines = memo.lines("# Two\n\ntext", width: 30, monochrome: false)
    #expect(lines.map { $0.map(\.text).joined() } == ["Two", "", "text"])
    // Other widths and colour settings are remembered apart.
    #expect(memo.lines("# Two\n\ntext", width: 2, monochrome: false).count > 3)
    #expect(
      memo.lines("# Two\n\ntext", width: 30, monochrome: true)[0][0].style.foreground == .default)
  }
}

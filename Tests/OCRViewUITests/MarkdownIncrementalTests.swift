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

  /// A 67 KB table streaming in 4-character deltas: while the page is live the open table is
  /// laid out again only once a quarter of it (at least 2 KB, at most 64 KB) has arrived — a
  /// few dozen layouts instead of one a delta — and the newest text shows as it came; once the
  /// page is finished it is laid out whole, as from scratch.
  @Test func aStreamingTableIsLaidOutAgainOnlyAfterAQuarterOfItArrived() {
    let rows = (1...3_000).map { "| A-\($0) | \($0 % 97) | 41.\($0 % 10) |\n" }.joined()
    let page = "| Sample | T | Yield |\n|---|--:|--:|\n" + rows
    let memo = MarkdownMemo()
    var end = page.startIndex
    var deltas = 0
    var last: [StyledLine] = []
    while end < page.endIndex {
      end = page.index(end, offsetBy: 4, limitedBy: page.endIndex) ?? page.endIndex
      last = memo.lines(String(page[..<end]), width: 60, monochrome: false, live: true)
      deltas += 1
    }
    #expect(deltas > 15_000)
    #expect(memo.layouts < 60, "\(memo.layouts) layouts for \(deltas) deltas")
    // The newest text is on screen while live: the last row, as it came or laid out.
    #expect(last.contains { $0.map(\.text).joined().contains("A-3000") })
    let finished = memo.lines(page, width: 60, monochrome: false)
    #expect(finished == MarkdownMemo().lines(page, width: 60, monochrome: false))
  }
}

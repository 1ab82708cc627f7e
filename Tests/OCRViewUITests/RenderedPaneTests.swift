import OCRKit
import Testing

@testable import OCRViewUI

/// `M` in the text pane: Markdown rendered (tables as grids) for reading, the raw text saved.
@Suite struct RenderedPaneTests {
  static let table = """
    ## Measured latency

    | Page | Mode | TTFT (s) |
    |---|---|---:|
    | 1 | stream | 0.42 |
    | 1 | batch | 6.93 |
    """

  @Test func mRendersTheTableAsAGridAndSavingKeepsTheRawText() {
    var model = Fixtures.document(size: Size(width: 80, height: 24))
    model.document?.pages[0].text = Self.table
    _ = update(&model, .key(.character("M")))
    #expect(model.rendered)
    let layout = Layout(model.size)
    let pane = render(model).lines().map {
      String($0.dropFirst(layout.textPane.x).prefix(layout.textPane.width))
    }
    let body = Array(pane[(layout.textPane.y + 1)...].prefix(9)).map {
      $0.replacingTrailingSpaces()
    }
    #expect(
      body == [
        "Measured latency",
        "",
        "┌──────┬────────┬──────────┐",
        "│ Page │ Mode   │ TTFT (s) │",
        "├──────┼────────┼──────────┤",
        "│ 1    │ stream │     0.42 │",
        "│ 1    │ batch  │     6.93 │",
        "└──────┴────────┴──────────┘",
        "",
      ], "\(body.joined(separator: "\n"))")
    // The saved transcript is the model's raw Markdown.
    guard case .save(let text, _)? = update(&model, .key(.character("s"))).first else {
      Issue.record("no save")
      return
    }
    #expect(text.contains("| Page | Mode | TTFT (s) |\n|---|---|---:|"))
    _ = update(&model, .key(.character("M")))
    #expect(render(model).lines().contains { $0.contains("| 1 | stream | 0.42 |") })
  }
}

extension String {
  func replacingTrailingSpaces() -> String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}

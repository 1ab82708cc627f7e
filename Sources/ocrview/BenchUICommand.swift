import ArgumentParser
import Foundation
import OCRKit
import OCRViewUI

/// `ocrview bench-ui`: can the viewer keep up with a fast stream? Feeds a page growing at
/// `--rate` deltas per second through `update`, and per 33 ms frame `render` plus the cell
/// diff a terminal would be sent — the whole per-frame cost but the terminal's own write.
/// `--rendered` streams a realistic LightOnOCR page instead (headings, paragraphs, a GFM and an
/// HTML table, math) and adds `MarkdownView.lines` on the whole page text at the text pane's
/// width to every frame, as the rendered view draws it.
/// `--text FILE` streams that file's text instead (in 4-character deltas, a token's size);
/// with `--keys` it measures keys: `j` pressed on a finished page holding the file's text (a
/// giant one-line table, thousands of grounding boxes), update + render + diff per key.
struct BenchUICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-ui",
    abstract: "Measure the viewer's per-frame cost with a page streaming at a given rate.")

  @Option(help: "Deltas per second.") var rate = 2000
  @Option(help: "Seconds of stream to simulate.") var seconds = 10
  @Option(help: "Terminal width.") var width = 120
  @Option(help: "Terminal height.") var height = 40
  @Flag(help: "Also render the page's Markdown every frame (the rendered view).")
  var rendered = false
  @Option(help: "Stream this file's text (4-character deltas) instead of the built-in page.")
  var text: String?
  @Flag(help: "With --text: measure keys (j) on a finished page holding the file's text.")
  var keys = false

  func run() throws {
    if let text, keys { return try measureKeys(on: text) }
    let frame = Duration.milliseconds(33)
    let start = ContinuousClock.now
    var model = pageStarted(mode: .stream, at: start)
    let words =
      try text.map { Self.deltas(of: try String(contentsOfFile: $0, encoding: .utf8)) }
      ?? (rendered
        ? Self.markdownDeltas
        : [
          "스트리밍 ", "stream ", "mode ", "shows ", "text ", "as ", "it ", "comes.\n\n", "페이지가 ",
          "# Heading\n",
        ])
    let columns = Layout(Size(width: width, height: height)).textColumns
    var renderedLines = 0
    let deltasPerFrame = max(1, rate * 33 / 1000)
    let frames = seconds * 1000 / 33
    var previous: Canvas?
    var costs: [Double] = []
    var behind = 0
    var sent = 0
    let clock = ContinuousClock()
    do {
      for index in 0..<frames {
        let began = clock.now
        for _ in 0..<deltasPerFrame {
          _ = update(&model, .run(.delta(page: 1, text: words[sent % words.count]), run: 1))
          sent += 1
        }
        _ = update(&model, .tick(start + frame * index))
        let canvas = render(model)
        if rendered {
          renderedLines =
            MarkdownView.lines(
              model.document!.pages[0].text, width: columns, monochrome: false, live: true
            ).count
        }
        _ = canvas.changes(since: previous)
        previous = canvas
        costs.append((clock.now - began).millisecondsValue)
        // The frame shows the newest delta: the text pane ends with it (plus the cursor mark).
        let last = words[(sent - 1) % words.count].trimmingCharacters(in: .whitespacesAndNewlines)
        if !rendered && !canvas.lines().joined().contains(last) { behind += 1 }
      }
    }
    let cpu = costs.reduce(0, +) / 1000 / (Double(frames) * 0.033) * 100
    costs.sort()
    print(
      "\(rate) deltas/s for \(seconds) s at \(width)×\(height): \(frames) frames, \(sent) deltas, page \(model.document!.pages[0].text.utf8.count / 1024) KB"
    )
    if rendered { print("rendered Markdown: \(renderedLines) lines at \(columns) columns") }
    print(
      "frame cost (update + render + diff\(rendered ? " + Markdown" : "")): p50 \(fmt(costs[costs.count / 2])) ms, p90 \(fmt(costs[costs.count * 9 / 10])) ms, max \(fmt(costs.last!)) ms"
    )
    print(
      "CPU: \(fmt(cpu)) % of one core for the frames (budget 25 %); frames missing the newest delta: \(behind)"
    )
  }

  /// A viewer at `--width`×`--height` with a one-page document whose page has just started.
  func pageStarted(mode: OCRMode, at start: ContinuousClock.Instant) -> Model {
    var model = Model(size: Size(width: width, height: height), directory: "/", now: start)
    _ = update(&model, .engineSelected(EngineInfo(kind: .builtIn, label: "bench", reason: "bench")))
    model.opening = Model.Opening(id: 1, path: "/bench.pdf")
    _ = update(&model, .documentOpened(id: 1, path: "/bench.pdf", pageCount: 1))
    _ = update(&model, .run(.pageStarted(page: 1, mode: mode), run: 1))
    return model
  }

  /// `j` pressed 50 times on a finished page of `path`'s text, in the text view (the page
  /// view's boxes are drawn only over an image, which this does not make).
  func measureKeys(on path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let start = ContinuousClock.now
    var model = pageStarted(mode: .batch, at: start)
    _ = update(&model, .run(.delta(page: 1, text: text), run: 1))
    let stats = PageTimer(mode: .batch, sentAt: start).stats(
      endedAt: start, info: nil,
      image: PageImage(number: 1, bytes: [], mimeType: "image/png", width: 1, height: 1))
    _ = update(&model, .run(.pageFinished(page: 1, text: text, stats: stats), run: 1))
    let clock = ContinuousClock()
    var previous = render(model)
    var costs: [Double] = []
    for _ in 0..<50 {
      let began = clock.now
      _ = update(&model, .key(.character("j")))
      let canvas = render(model)
      _ = canvas.changes(since: previous)
      previous = canvas
      costs.append((clock.now - began).millisecondsValue)
    }
    costs.sort()
    // The reference, in this run: what one key paid at least before the memos — a wrap of the
    // whole page for the scroll and again for the frame, and a parse of its boxes.
    let columns = Layout(Size(width: width, height: height)).textColumns
    let began = clock.now
    _ = TextWrap.wrap(text, width: columns)
    let wrap = (clock.now - began).millisecondsValue
    let parsing = clock.now
    _ = GroundedBlock.parse(text)
    let parse = (clock.now - parsing).millisecondsValue
    print(
      "reference: one plain wrap of the page \(fmt(wrap)) ms, one parse of its boxes "
        + "\(fmt(parse)) ms (\(GroundedBlock.parse(text).count) boxes)")
    print(
      "a key (j) on a finished page of \(text.utf8.count / 1024) KB at \(width)×\(height): "
        + "p50 \(fmt(costs[costs.count / 2])) ms, p90 \(fmt(costs[costs.count * 9 / 10])) ms, "
        + "max \(fmt(costs.last!)) ms")
  }

  /// Text cut into 4-character deltas.
  static func deltas(of text: String) -> [String] {
    var deltas: [String] = []
    var rest = text[...]
    while !rest.isEmpty {
      deltas.append(String(rest.prefix(4)))
      rest = rest.dropFirst(4)
    }
    return deltas
  }

  /// A LightOnOCR-like page (its Markdown, tables and LaTeX) cut into 4-character deltas, the
  /// size of a token; repeated, it makes the page grow as a long answer does.
  static let markdownDeltas: [String] = {
    let page = """
      # 3. Results and discussion

      The measured yield rose with temperature (Table 2); the fit gives $E_a = 52.3 \\pm 1.2$ kJ/mol
      and $R^2 = 0.98$. 결과는 표 2에 정리하였다. Higher loadings did **not** improve it.

      | Sample | T (°C) | 수율 (%) | Note |
      |:-------|-------:|--------:|------|
      | A-1 | 25 | 41.2 | baseline |
      | A-2 | 50 | 57.9 | 안정적 |
      | A-3 | 75 | 63.4 | *slight* drift |

      <table><tr><th>Catalyst</th><th colspan="2">Conversion</th></tr><tr><td rowspan="2">Pd/C</td><td>1 h</td><td>82%</td></tr><tr><td>2 h<br>(repeat)</td><td>91%</td></tr></table>

      $$\\frac{d[A]}{dt} = -k[A]^2, \\quad k = A e^{-E_a/RT}$$

      - Rate constants follow Arrhenius behaviour.
      - The order is $n = 2$ within $\\alpha = 0.05$.


      """
    var deltas: [String] = []
    var rest = Substring(page)
    while !rest.isEmpty {
      deltas.append(String(rest.prefix(4)))
      rest = rest.dropFirst(4)
    }
    return deltas
  }()

  private func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
}

import ArgumentParser
import Foundation
import OCRKit
import OCRViewUI

/// `ocrview bench-ui`: can the viewer keep up with a fast stream? Feeds a page growing at
/// `--rate` deltas per second through `update`, and per 33 ms frame `render` plus the cell
/// diff a terminal would be sent — the whole per-frame cost but the terminal's own write.
struct BenchUICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-ui",
    abstract: "Measure the viewer's per-frame cost with a page streaming at a given rate.")

  @Option(help: "Deltas per second.") var rate = 2000
  @Option(help: "Seconds of stream to simulate.") var seconds = 10
  @Option(help: "Terminal width.") var width = 120
  @Option(help: "Terminal height.") var height = 40

  func run() {
    let frame = Duration.milliseconds(33)
    let start = ContinuousClock.now
    var model = Model(size: Size(width: width, height: height), directory: "/", now: start)
    _ = update(&model, .engineSelected(EngineInfo(kind: .builtIn, label: "bench", reason: "bench")))
    model.opening = Model.Opening(id: 1, path: "/bench.pdf")
    _ = update(&model, .documentOpened(id: 1, path: "/bench.pdf", pageCount: 1))
    _ = update(&model, .run(.pageStarted(page: 1, mode: .stream), run: 1))
    let words = [
      "스트리밍 ", "stream ", "mode ", "shows ", "text ", "as ", "it ", "comes.\n\n", "페이지가 ",
      "# Heading\n",
    ]
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
        _ = canvas.changes(since: previous)
        previous = canvas
        costs.append((clock.now - began).millisecondsValue)
        // The frame shows the newest delta: the text pane ends with it (plus the cursor mark).
        let last = words[(sent - 1) % words.count].trimmingCharacters(in: .whitespacesAndNewlines)
        if !canvas.lines().joined().contains(last) { behind += 1 }
      }
    }
    let cpu = costs.reduce(0, +) / 1000 / (Double(frames) * 0.033) * 100
    costs.sort()
    print(
      "\(rate) deltas/s for \(seconds) s at \(width)×\(height): \(frames) frames, \(sent) deltas, page \(model.document!.pages[0].text.utf8.count / 1024) KB"
    )
    print(
      "frame cost (update + render + diff): p50 \(fmt(costs[costs.count / 2])) ms, p90 \(fmt(costs[costs.count * 9 / 10])) ms, max \(fmt(costs.last!)) ms"
    )
    print(
      "CPU: \(fmt(cpu)) % of one core for the frames (budget 25 %); frames missing the newest delta: \(behind)"
    )
  }

  private func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
}

import ArgumentParser
import Foundation
import OCRKit

/// `ocrview bench-tesseract FILE`: the built-in engine against the `tesseract` command line on
/// the same page images, alternating runs so machine noise hits both alike; stream mode's
/// first text against its whole page, and how alike stream, batch and command line read.
struct BenchTesseractCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-tesseract",
    abstract: "Time the built-in engine against the tesseract command line on the same pages.")

  @Argument(help: "A PDF or image.") var file: String
  @Option(help: "Pages, e.g. 1-3 (default: all).") var pages: String?
  @Option(help: "Runs per page and engine.") var runs = 5
  @Option(help: "Languages, e.g. eng or kor+eng.") var lang = "eng"
  @Option(help: "Longest side of the page images, in pixels.") var maxSide = 1540

  func run() async throws {
    let document = try await OpenedDocument.open(path: file)
    let selected =
      try pages.map { try PageRange.parse($0, pageCount: document.pageCount) }
      ?? Array(1...document.pageCount)
    let engine = try TesseractEngine(languages: lang, workers: 1)
    defer { engine.shutdown() }
    let directory = NSTemporaryDirectory() + "ocrview-bench-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }

    print(
      "page  cli ms  batch ms  stream ms  stream TTFT ms  TTFT/stream  stream/cli  batch/cli"
        + "  words s/b/cli  stream~batch  batch~cli")
    var streamRatios: [Double] = []
    var batchRatios: [Double] = []
    for number in selected {
      let image = try await document.render(page: number, maxSide: maxSide)
      let path = directory + "/page-\(number).png"
      try Data(image.bytes).write(to: URL(fileURLWithPath: path))
      _ = try await read(engine, image, mode: .batch)  // warm up: first use loads the models
      var cli: [Double] = []
      var batch: [Double] = []
      var stream: [Double] = []
      var ttft: [Double] = []
      var cliText = ""
      var streamText = ""
      var batchText = ""
      for _ in 0..<runs {
        let started = ContinuousClock.now
        cliText = try await TesseractCommandLine.read(imageAt: path, languages: lang)
        cli.append((ContinuousClock.now - started).millisecondsValue)
        let b = try await read(engine, image, mode: .batch)
        batch.append(b.total)
        batchText = b.text
        let s = try await read(engine, image, mode: .stream)
        stream.append(s.total)
        ttft.append(s.ttft)
        streamText = s.text
      }
      let (c, bm, sm) = (median(cli), median(batch), median(stream))
      streamRatios.append(sm / c)
      batchRatios.append(bm / c)
      let counts = [streamText, batchText, cliText].map {
        String(TesseractCommandLine.words($0).count)
      }
      let alike = { (a: String, b: String) in
        String(format: "%.3f", TesseractCommandLine.similarity(a, b))
      }
      print(
        [
          pad("\(number)", 4), pad(fmt(c), 6), pad(fmt(bm), 8), pad(fmt(sm), 9),
          pad(fmt(median(ttft)), 14), pad(String(format: "%.2f", median(ttft) / sm), 11),
          pad(String(format: "%.2f", sm / c), 10), pad(String(format: "%.2f", bm / c), 9),
          pad(counts.joined(separator: "/"), 14), pad(alike(streamText, batchText), 12),
          pad(alike(batchText, cliText), 9),
        ].joined(separator: "  "))
    }
    print(
      "median ratio: stream/cli \(String(format: "%.2f", median(streamRatios))), batch/cli \(String(format: "%.2f", median(batchRatios))) (\(runs) runs per page, cli with OMP_THREAD_LIMIT=1)"
    )
  }

  private func read(_ engine: TesseractEngine, _ image: PageImage, mode: OCRMode) async throws -> (
    total: Double, ttft: Double, text: String
  ) {
    let started = ContinuousClock.now
    var ttft: Duration?
    var text = ""
    for try await output in engine.recognize(image, mode: mode) {
      if case .delta(let delta) = output {
        if ttft == nil { ttft = .now - started }
        text += delta
      }
    }
    let total = ContinuousClock.now - started
    return (total.millisecondsValue, (ttft ?? total).millisecondsValue, text)
  }

  private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
  private func fmt(_ value: Double) -> String { String(Int(saturating: value.rounded())) }
  private func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
}

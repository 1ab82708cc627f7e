import Foundation
import OCRKit
import OCRTestSupport

/// Issue 14: how many pages a second one `ocrview ocr` can push — render, encode, upload — to a
/// server that answers at once, against `pdftoppm` only rendering the same pages to PPM in one
/// process; with one render worker and with one per core, alternating run by run.
enum CeilingBenchmark {
  static let defaultDocuments = [
    "/usr/share/R/doc/manual/R-intro.pdf",  // r-doc-pdf: 113 pages of text, letter
    "/usr/share/doc/gnuplot/gnuplot.pdf",  // gnuplot-doc: 311 pages, text and colour plots
  ]

  static func run(pdfs: [String], pageLimit: Int, rounds: Int) async throws {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    // Instant answers, more slots than pages in flight: only the client limits the pace.
    let server = try FakeOCRServer(slots: 64, responder: FakeResponder.transcript(["text"]))
    print(
      "ceiling: `ocrview ocr` to an instant server (--concurrency 16) vs `pdftoppm -scale-to 1540` "
        + "to PPM, \(rounds) rounds alternating; medians")
    for pdf in pdfs {
      guard FileManager.default.fileExists(atPath: pdf) else {
        print("  \(pdf): missing (see BENCHMARKS.md for its Debian package); skipped")
        continue
      }
      let count = try await OpenedDocument.open(path: pdf).pageCount
      let last = min(pageLimit, count)
      let workerCounts = Array(Set([1, cores])).sorted()
      var walls: [String: [Double]] = [:]
      var cpus: [String: [Double]] = [:]
      var serverCPU: [Double] = []
      for _ in 0..<rounds {
        let ppm = scratch + "/ppm"
        try FileManager.default.createDirectory(atPath: ppm, withIntermediateDirectories: true)
        let reference = try Child(
          ["/usr/bin/pdftoppm", "-scale-to", "1540", "-f", "1", "-l", "\(last)", pdf, ppm + "/p"]
        ).wait()
        try FileManager.default.removeItem(atPath: ppm)
        guard reference.status == 0 else { throw BenchmarkError("pdftoppm failed") }
        walls["pdftoppm", default: []].append(reference.elapsed.millisecondsValue)
        cpus["pdftoppm", default: []].append(reference.cpuSeconds)
        if cores > 1 {
          walls["split", default: []].append(
            try splitPdftoppm(pdf, pages: last, processes: cores, into: ppm))
        }
        for workers in workerCounts {
          let before = RenderPoolBenchmark.cpuSeconds()
          let child = try OcrviewProcess.startOCR(
            file: pdf, server: server.baseURL,
            extra: [
              "--pages", "1-\(last)", "--concurrency", "16", "--render-workers", "\(workers)",
              "--batch",
            ], scratch: scratch)
          let exit = child.wait()
          guard exit.status == 0 else {
            throw BenchmarkError("ocrview exited \(exit.status); see \(scratch)/stderr.log")
          }
          if workers == cores { serverCPU.append(RenderPoolBenchmark.cpuSeconds() - before) }
          walls["\(workers)", default: []].append(exit.elapsed.millisecondsValue)
          cpus["\(workers)", default: []].append(exit.cpuSeconds)
        }
      }
      report(pdf: pdf, pages: last, cores: cores, walls: walls, cpus: cpus, server: serverCPU)
    }
  }

  /// The machine's own scaling for the same work: `pdftoppm` in `processes` processes at once,
  /// each rendering its share of the pages — nothing shared but the cores, caches and memory.
  /// Wall milliseconds until the last ends.
  private static func splitPdftoppm(_ pdf: String, pages: Int, processes: Int, into folder: String)
    throws -> Double
  {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let started = ContinuousClock.now
    let share = (pages + processes - 1) / processes
    let children = try stride(from: 1, through: pages, by: share).map { first in
      try Child([
        "/usr/bin/pdftoppm", "-scale-to", "1540", "-f", "\(first)", "-l",
        "\(min(pages, first + share - 1))", pdf, folder + "/p\(first)",
      ])
    }
    guard children.map({ $0.wait().status }).allSatisfy({ $0 == 0 }) else {
      throw BenchmarkError("pdftoppm failed")
    }
    return (ContinuousClock.now - started).millisecondsValue
  }

  private static func report(
    pdf: String, pages: Int, cores: Int, walls: [String: [Double]], cpus: [String: [Double]],
    server: [Double]
  ) {
    func rate(_ key: String) -> Double { Double(pages) / (Figures.median(walls[key]!) / 1000) }
    func cpuPerPage(_ key: String) -> Double { Figures.median(cpus[key]!) * 1000 / Double(pages) }
    let reference = Figures.median(walls["pdftoppm"]!)
    print("  \(URL(fileURLWithPath: pdf).lastPathComponent), pages 1–\(pages):")
    print(
      "    pdftoppm: \(Figures.format(reference, 0)) ms, \(Figures.format(rate("pdftoppm"))) pages/s, "
        + "CPU \(Figures.format(cpuPerPage("pdftoppm"))) ms a page")
    for key in Array(Set(["1", "\(cores)"])).sorted() {
      let wall = Figures.median(walls[key]!)
      // The target is for the default, one worker per core.
      let target =
        key == "\(cores)"
        ? " (target ≤ 0.8×) " + Figures.verdict(wall / reference <= 0.8) : ""
      print(
        "    ocrview, \(key) render worker\(key == "1" ? "" : "s"): \(Figures.format(wall, 0)) ms, "
          + "\(Figures.format(rate(key))) pages/s, CPU \(Figures.format(cpuPerPage(key))) ms a page, "
          + "\(Figures.format(wall / reference, 2))× pdftoppm\(target)")
    }
    if cores > 1 {
      let scaling = rate("\(cores)") / rate("1")
      print(
        "    \(cores) workers / 1: \(Figures.format(scaling, 2))× (target ≥ \(Figures.format(0.8 * Double(cores), 1))×) "
          + Figures.verdict(scaling >= 0.8 * Double(cores)))
      let machine = reference / Figures.median(walls["split"]!)
      print(
        "    the machine's own: pdftoppm in \(cores) processes at once, each a share of the pages, "
          + "\(Figures.format(machine, 2))× one process")
    }
    print(
      "    the fake server's own CPU (this process) per page: "
        + "\(Figures.format(Figures.median(server) * 1000 / Double(pages))) ms")
  }
}

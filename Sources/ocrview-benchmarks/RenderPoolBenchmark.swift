import Foundation
import OCRKit

/// Issue 14: pages per second when two pages are always asked for at once (two slots), with one
/// render worker against two, alternating round by round on freshly opened documents.
enum RenderPoolBenchmark {
  static func run(pdf: String, pages: ClosedRange<Int>, rounds: Int) async throws {
    var rates: [Int: [Double]] = [:]
    var cores: [Int: [Double]] = [:]
    for _ in 0..<rounds {
      for workers in [1, 2] {
        let document = try await OpenedDocument.open(path: pdf, workers: workers)
        let pages = pages.clamped(to: 1...document.pageCount)
        let started = ContinuousClock.now
        let cpuStarted = cpuSeconds()
        try await withThrowingTaskGroup(of: Void.self) { group in
          var next = pages.makeIterator()
          for _ in 0..<2 {
            if let page = next.next() {
              group.addTask { _ = try await document.render(page: page, maxSide: 1540) }
            }
          }
          while try await group.next() != nil {
            if let page = next.next() {
              group.addTask { _ = try await document.render(page: page, maxSide: 1540) }
            }
          }
        }
        let seconds = (ContinuousClock.now - started).millisecondsValue / 1000
        rates[workers, default: []].append(Double(pages.count) / seconds)
        cores[workers, default: []].append((cpuSeconds() - cpuStarted) / seconds)
      }
    }
    let (one, two) = (Figures.median(rates[1]!), Figures.median(rates[2]!))
    print(
      "render pool: \(pdf) pages \(pages.lowerBound)–\(pages.upperBound), 2 at a time, \(rounds) rounds"
    )
    print(
      "  1 worker: \(Figures.format(one)) pages/s; 2 workers: \(Figures.format(two)) pages/s;"
        + " ratio \(Figures.format(two / one, 2))×")
    print(
      "  cores busy (process CPU time / wall time): 1 worker \(Figures.format(Figures.median(cores[1]!), 2)),"
        + " 2 workers \(Figures.format(Figures.median(cores[2]!), 2))")
  }

  /// CPU time of this process so far: how many cores the renders kept busy, whatever else the
  /// shared machine runs.
  static func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }
}

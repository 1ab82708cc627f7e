import Testing

@testable import OCRKit

@Suite struct BenchSummaryTests {
  @Test func percentilesInterpolateBetweenRanksAsNumpyDoes() {
    let values = percentiles([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])!
    #expect(values.p50 == 55)
    #expect(abs(values.p90 - 91) < 1e-9)
    #expect(values.mean == 55)
    #expect(percentiles([7])! == BenchSummary.Percentiles(p50: 7, p90: 7, mean: 7))
    #expect(percentiles([]) == nil)
  }

  @Test func summarisesEachModeApartAndLeavesBatchWithoutITL() {
    var summary = BenchSummary()
    var stream = PageStats.unmeasured(.stream)
    stream.ttft = .milliseconds(100)
    stream.e2e = .milliseconds(1000)
    stream.itl = .milliseconds(5)
    var batch = PageStats.unmeasured(.batch)
    batch.ttft = .milliseconds(1000)
    batch.e2e = .milliseconds(1000)
    var document = DocumentStats()
    document.total = .seconds(2)
    summary.add(mode: .stream, pages: [stream, stream], failed: 0, document: document)
    summary.add(mode: .batch, pages: [batch], failed: 1, document: document)
    #expect(summary.modes[.stream]?.pages == 2)
    #expect(summary.modes[.stream]?.ttftMs?.p50 == 100)
    #expect(summary.modes[.stream]?.itlMs?.p50 == 5)
    #expect(summary.modes[.batch]?.itlMs == nil)
    #expect(summary.modes[.batch]?.failed == 1)
    #expect(summary.modes[.batch]?.documentTotalMs?.p50 == 2000)
    let table = BenchReport.table(
      summary,
      BenchReport.Header(file: "a.pdf", pages: [1, 2], runs: 1, engine: "x", concurrency: 1))
    #expect(table.contains("batch waits 10.0× longer than stream for the first text"))
    #expect(table.contains("1 page run(s) failed"))
  }
}

import Testing

@testable import OCRKit
@testable import OCRTestSupport

@Suite struct PagePrefetcherTests {
  static func image(_ page: Int) -> PageImage {
    PageImage(number: page, bytes: [], mimeType: "image/png", width: 1, height: 1)
  }

  /// Slots of one server free up together; with one page rendered ahead the others queued
  /// behind a single renderer (40 pages on 4 slots took 1.15× the ideal time).
  @Test func rendersUpToOnePagePerWorkerAheadAndNoMore() async throws {
    let rendered = Locked([Int]())
    let prefetcher = PagePrefetcher(pages: Array(1...10), aheadLimit: 3) { page in
      rendered.withLock { $0.append(page) }
      return Self.image(page)
    }
    for _ in 0..<6 { await prefetcher.prefetch() }
    let first = await prefetcher.next()
    #expect(first?.0 == 1)
    // Pages 1–3 were rendered ahead; taking page 1 made room for one more, not more.
    await prefetcher.prefetch()
    await prefetcher.prefetch()
    let left = await prefetcher.drain()
    #expect(left == Array(2...10))
    #expect(rendered.withLock { $0 }.sorted() == [1, 2, 3, 4])
  }
}

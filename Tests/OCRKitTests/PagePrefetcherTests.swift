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
    let prefetcher = PagePrefetcher(pages: Array(1...10), aheadLimit: 3) { page, _ in
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

  /// Slots asking at once (two render workers) must not delay the first request: page 2 starts
  /// rendering only once page 1 has.
  @Test func otherSlotsWaitForPageOneToRenderAlone() async throws {
    let started = Locked([Int]())
    let (gate, open) = AsyncStream<Void>.makeStream()
    let prefetcher = PagePrefetcher(pages: [1, 2, 3], aheadLimit: 2) { page, _ in
      started.withLock { $0.append(page) }
      if page == 1 { for await _ in gate { break } }
      return Self.image(page)
    }
    async let one = prefetcher.next()
    async let two = prefetcher.next()
    while started.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
    try await Task.sleep(for: .milliseconds(200))  // time for page 2 to start, were it let
    #expect(started.withLock { $0 } == [1])
    open.yield()
    let pages = await [one?.0, two?.0]
    #expect(Set(pages) == [1, 2])
    #expect(started.withLock { $0 } == [1, 2])
  }

  /// Pages rendered ahead say so (they take one render worker, `OpenedDocument.render`); a
  /// page a worker asks for with none ahead is needed now.
  @Test func pagesRenderedAheadAreAskedForAhead() async throws {
    let asked = Locked([Int: RenderUrgency]())
    let prefetcher = PagePrefetcher(pages: [1, 2, 3], aheadLimit: 1) { page, urgency in
      asked.withLock { $0[page] = urgency }
      return Self.image(page)
    }
    #expect(await prefetcher.next()?.0 == 1)
    await prefetcher.prefetch()
    #expect(await prefetcher.next()?.0 == 2)
    #expect(await prefetcher.next()?.0 == 3)
    #expect(asked.withLock { $0 } == [1: .now, 2: .ahead, 3: .now])
  }
}

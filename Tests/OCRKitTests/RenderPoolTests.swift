import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// Pages of a PDF render on several workers at once, each with its own poppler document.
@Suite struct RenderPoolTests {
  static func pdf(pages: Int) -> String {
    let path = TestFiles.scratchDirectory() + "/pool.pdf"
    SyntheticPDF.write(pages: pages, to: path, linesPerPage: 30)
    return path
  }

  @Test func pagesRenderedAtOnceOnTwoWorkersAreTheOnesAskedForAndTheSameBytesAsOne() async throws {
    let path = Self.pdf(pages: 6)
    let pool = try await OpenedDocument.open(path: path, workers: 2)
    let serial = try await OpenedDocument.open(path: path, workers: 1)
    let rendered = try await withThrowingTaskGroup(of: PageImage.self) { group in
      for page in 1...6 { group.addTask { try await pool.render(page: page, maxSide: 800) } }
      return try await group.reduce(into: [Int: PageImage]()) { $0[$1.number] = $1 }
    }
    #expect(rendered.keys.sorted() == Array(1...6))
    for page in 1...6 {
      let expected = try await serial.render(page: page, maxSide: 800)
      #expect(rendered[page]?.bytes == expected.bytes)
    }
    #expect(await pool.openedSources() == 2)
  }

  /// A worker draws each page over the last one's raster: nothing of the last page may show,
  /// and a page of another size gets a raster of its own.
  @Test func aReusedRasterKeepsNothingOfTheLastPage() async throws {
    let path = Self.pdf(pages: 3)
    let fresh = try await OpenedDocument.open(path: path, workers: 1)
    let first = try await fresh.render(page: 1, maxSide: 800)
    let reused = try await OpenedDocument.open(path: path, workers: 1)
    let second = try await reused.render(page: 2, maxSide: 800)
    #expect(second.bytes != first.bytes)
    #expect(try await reused.render(page: 1, maxSide: 800).bytes == first.bytes)
    let small = try await reused.render(page: 1, maxSide: 400)
    #expect(max(small.width, small.height) == 400)
    #expect(try await reused.render(page: 1, maxSide: 800).bytes == first.bytes)
  }

  @Test func oneRenderAtATimeOpensOnlyTheFirstDocument() async throws {
    let document = try await OpenedDocument.open(path: Self.pdf(pages: 3), workers: 4)
    for page in 1...3 { _ = try await document.render(page: page, maxSide: 400) }
    #expect(await document.openedSources() == 1)
  }

  /// Pages rendered ahead of need all queue on the last worker, however many at once: the
  /// others stay free for a page needed now.
  @Test func pagesRenderedAheadTakeTheLastWorkerOnly() async throws {
    let path = Self.pdf(pages: 4)
    let document = try await OpenedDocument.open(path: path, workers: 3)
    let ahead = try await withThrowingTaskGroup(of: PageImage.self) { group in
      for page in 1...4 {
        group.addTask { try await document.render(page: page, maxSide: 400, urgency: .ahead) }
      }
      return try await group.reduce(into: [Int: PageImage]()) { $0[$1.number] = $1 }
    }
    // The first worker's document is opened with the file; the last one's rendered them all.
    #expect(await document.openedSources() == 2)
    let serial = try await OpenedDocument.open(path: path, workers: 1)
    for page in 1...4 {
      #expect(try await ahead[page]?.bytes == serial.render(page: page, maxSide: 400).bytes)
    }
  }

  @Test func aWarmedPageIsTakenWhateverWorkerIsFree() async throws {
    let document = try await OpenedDocument.open(path: Self.pdf(pages: 3), workers: 2)
    document.warm(page: 1, maxSide: 400)
    async let second = document.render(page: 2, maxSide: 400)
    let first = try await document.render(page: 1, maxSide: 400)
    #expect(first.number == 1)
    #expect(try await second.number == 2)
  }

  @Test func imagesHaveOneWorker() async throws {
    let document = try await OpenedDocument.open(
      path: TestFiles.fixture("small.gif"), workers: 2)
    _ = try await document.render(page: 1, maxSide: 400)
    #expect(await document.openedSources() == 1)
  }
}

import Foundation
import OCRKitDoubles
import OCRTestSupport
import Testing

@testable import OCRKit

/// Bad files are refused with a clear error, or opened without doing anything up front.
@Suite struct HostileInputTests {
  @Test func anImageClaimingAbsurdDimensionsIsRefusedBeforeDecoding() async throws {
    let path = TestFiles.fixture("huge-dimensions.png")
    do {
      _ = try await OpenedDocument.open(path: path)
      Issue.record("a 100000×100000 image must not open")
    } catch {
      #expect(error == .imageTooLarge(path: path, width: 100_000, height: 100_000))
    }
  }

  @Test func aTenThousandPagePDFOpensWithoutRenderingAnything() async throws {
    let path = TestFiles.scratchDirectory() + "/long.pdf"
    TestFiles.makePDF(pages: 10_000, at: path)
    let document = try await OpenedDocument.open(path: path)
    #expect(document.pageCount == 10_000)
    let engine = ScriptedEngine { .text(["page \($0)"]) }
    var rendered: [Int] = []
    for await event in RunRecipe(
      document: document, engine: engine, plan: RunPlan(pages: [9_999], mode: .stream)
    ).start().events {
      if case .pageRendering(let page) = event { rendered.append(page) }
    }
    #expect(rendered == [9_999])
    #expect(engine.pagesCalled == [9_999])
  }

  @Test func absurdPDFPageSizesRenderWithinThePixelBudget() async throws {
    let folder = TestFiles.scratchDirectory()
    let huge = folder + "/huge.pdf"
    SyntheticPDF.write(pages: 1, to: huge, size: (14_400, 14_400))  // PDF's largest page
    let big = try await OpenedDocument.open(path: huge).render(page: 1, maxSide: 10_000)
    #expect(big.width * big.height <= 25_000_000)
    #expect(big.width == big.height && big.width >= 4_990)
    let tiny = folder + "/tiny.pdf"
    SyntheticPDF.write(pages: 1, to: tiny, size: (1, 1))
    let small = try await OpenedDocument.open(path: tiny).render(page: 1, maxSide: 1540)
    #expect(small.width >= 1 && small.height >= 1)
  }

  @Test func aPDFWithABrokenXrefOpensRepairedOrSaysItIsDamaged() async throws {
    var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: TestFiles.asset("sample.pdf"))))
    // Garble every offset in the cross-reference table (and the startxref pointer).
    let marker = Array("\nxref\n".utf8)
    let start =
      try #require(
        (0...(bytes.count - marker.count)).reversed().first {
          Array(bytes[$0..<$0 + marker.count]) == marker
        }) + marker.count
    for index in start..<bytes.count where (0x30...0x39).contains(bytes[index]) {
      bytes[index] = 0x37
    }
    let path = TestFiles.scratchDirectory() + "/broken-xref.pdf"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    do {
      let document = try await OpenedDocument.open(path: path)
      // poppler rebuilt the table by scanning the file: the pages must render.
      let page = try await document.render(page: 1, maxSide: 400)
      #expect(page.width > 0)
    } catch {
      guard case .corrupt = error else {
        Issue.record("expected a damaged-file error, got \(error)")
        return
      }
    }
  }
}

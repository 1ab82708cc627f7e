import Foundation
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
      #expect(error == .corrupt(path: path, detail: "100000×100000 pixels is too large"))
    }
  }

  @Test func aTenThousandPagePDFOpensWithoutRenderingAnything() async throws {
    let path = TestFiles.scratchDirectory() + "/long.pdf"
    TestFiles.makePDF(pages: 10_000, at: path)
    let document = try await OpenedDocument.open(path: path)
    #expect(document.pageCount == 10_000)
    let engine = ScriptedEngine { .text(["page \($0)"]) }
    var rendered: [Int] = []
    for await event in DocumentRun(
      document: document, engine: engine, plan: RunPlan(pages: [9_999], mode: .stream)
    ).start().events {
      if case .pageRendering(let page) = event { rendered.append(page) }
    }
    #expect(rendered == [9_999])
    #expect(engine.pagesCalled == [9_999])
  }
}

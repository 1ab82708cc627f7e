import Foundation
import Testing

@testable import OCRKit

/// A grounded page restored from the journal still gives its boxes in page pixels: the image
/// size is journaled with the page's stats.
@Suite struct RestoredBoxesTests {
  @Test func theImageSizeSurvivesTheJournalAndGivesPixelBoxes() throws {
    var stats = PageStats.unmeasured(.stream)
    stats.imageWidth = 1000
    stats.imageHeight = 2000
    let record = try JSONDecoder().decode(
      StatsRecord.self, from: JSONEncoder().encode(StatsRecord(stats)))
    let restored = PageStats(record: record, mode: .stream)
    #expect(restored.restored && restored.imageWidth == 1000 && restored.imageHeight == 2000)
    let line = JSONLine.page(
      file: "a.pdf", page: 1,
      end: PageEnd(
        text: "![title](100,100,500,200)\nTitle", status: .done, error: nil, stats: restored),
      grounding: GroundingOutput())
    #expect(line.contains(#""box_px":[100,200,500,400]"#), "\(line)")
  }
}

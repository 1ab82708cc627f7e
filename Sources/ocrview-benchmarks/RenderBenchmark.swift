import Foundation
import OCRKit

/// Target 2: render + encode of a page at 1540 px against `pdftoppm -png -scale-to 1540`,
/// alternating the two page by page so drift cancels; payload sizes beside the times.
enum RenderBenchmark {
  static let maxSide = 1540

  static func run(pdf: String, pages: ClosedRange<Int>, rounds: Int) async throws {
    let document = try await OpenedDocument.open(path: pdf)
    let pages = pages.clamped(to: 1...document.pageCount)
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    var ours: [Double] = []
    var reference: [Double] = []
    var ourBytes: [Double] = []
    var referenceBytes: [Double] = []
    for _ in 0..<rounds {
      for page in pages {
        let prefix = scratch + "/page"
        let child = try Child([
          "/usr/bin/pdftoppm", "-png", "-scale-to", "\(maxSide)", "-f", "\(page)", "-l",
          "\(page)", "-singlefile", pdf, prefix,
        ])
        let exit = child.wait()
        guard exit.status == 0 else { throw BenchmarkError("pdftoppm failed on page \(page)") }
        reference.append(exit.elapsed.millisecondsValue)
        let size =
          (try? FileManager.default.attributesOfItem(atPath: prefix + ".png")[.size]) as? Int
        referenceBytes.append(Double(size ?? 0))

        let image = try await document.render(page: page, maxSide: maxSide)
        ours.append(image.renderTime.millisecondsValue)
        ourBytes.append(Double(image.bytes.count))
      }
    }
    let ratio = Figures.median(ours) / Figures.median(reference)
    print("render: \(pdf) pages \(pages.lowerBound)–\(pages.upperBound), \(rounds) rounds, 1540 px")
    print(
      "  pdftoppm -png -scale-to 1540 (process): median \(Figures.format(Figures.median(reference))) ms,"
        + " \(Figures.format(Figures.median(referenceBytes) / 1024)) KB")
    print(
      "  ocrview render+encode (grey PNG, zlib 6): median \(Figures.format(Figures.median(ours))) ms,"
        + " \(Figures.format(Figures.median(ourBytes) / 1024)) KB")
    print("  ratio \(Figures.format(ratio, 2))× (target ≤ 0.35×) \(Figures.verdict(ratio <= 0.35))")
  }
}

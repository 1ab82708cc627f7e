import Foundation
import OCRKit

/// Issue 14: which libpng settings to upload pages with. Renders real pages at 1540 px with each
/// candidate encoding, candidates alternating page by page so drift cancels, and prints per
/// form (grey, palette, RGB — the form `chosen` gives the page) the median render + encode
/// time and size, and their ratios to what ocrview did before (libpng defaults, no palette).
enum EncodingBenchmark {
  static let maxSide = 1540
  typealias Settings = PNGEncoding.Settings

  static let candidates: [(name: String, encoding: PNGEncoding)] = [
    ("before: libpng defaults, zlib 6, no palette", .libpngDefaults),
    ("libpng defaults, zlib 6, palette", uniform(Settings(level: 6))),
    ("filter none, Z_RLE", uniform(Settings(level: 6, filters: .unfiltered, strategy: .rle))),
    ("filter none, zlib 1", uniform(Settings(level: 1, filters: .unfiltered))),
    ("filter sub, zlib 1", uniform(Settings(level: 1, filters: .sub))),
    ("filter sub, Z_RLE", uniform(Settings(level: 6, filters: .sub, strategy: .rle))),
    ("chosen", .chosen),
  ]

  static func uniform(_ settings: Settings) -> PNGEncoding {
    PNGEncoding(grey: settings, palette: settings, rgb: settings)
  }

  static func run(folders: [String], rounds: Int) async throws {
    let pdfs = folders.flatMap { folder in
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        .filter { $0.hasSuffix(".pdf") }.map { folder + "/" + $0 }
    }
    var pages: [(documents: [OpenedDocument], page: Int, form: String)] = []
    for pdf in pdfs {
      var documents: [OpenedDocument] = []
      for candidate in candidates {
        guard let document = try? await OpenedDocument.open(path: pdf, encoding: candidate.encoding)
        else { break }
        documents.append(document)
      }
      guard documents.count == candidates.count else { continue }
      for page in 1...min(documents[0].pageCount, 10) {
        guard let image = try? await documents.last!.render(page: page, maxSide: maxSide),
          let decoded = LeptonicaImage(png: image.bytes)
        else { continue }
        let form = decoded.hasPalette ? "palette" : decoded.depth == 8 ? "grey" : "rgb"
        pages.append((documents, page, form))
      }
    }
    // [form][candidate] → times and sizes.
    var times: [String: [[Double]]] = [:]
    var sizes: [String: [[Double]]] = [:]
    for _ in 0..<rounds {
      for entry in pages {
        for (index, document) in entry.documents.enumerated() {
          let image = try await document.render(page: entry.page, maxSide: maxSide)
          times[entry.form, default: Array(repeating: [], count: candidates.count)][index].append(
            image.renderTime.millisecondsValue)
          sizes[entry.form, default: Array(repeating: [], count: candidates.count)][index].append(
            Double(image.bytes.count) / 1024)
        }
      }
    }
    print("encoding: \(pages.count) real pages from \(pdfs.count) PDFs, \(rounds) rounds, 1540 px")
    for form in ["grey", "palette", "rgb"] {
      guard let formTimes = times[form], let formSizes = sizes[form] else { continue }
      let count = pages.filter { $0.form == form }.count
      print("  \(form) pages (\(count)): median render + encode ms, KB; ratios to before")
      let (beforeTime, beforeSize) = (Figures.median(formTimes[0]), Figures.median(formSizes[0]))
      for (index, candidate) in candidates.enumerated() {
        let time = Figures.median(formTimes[index])
        let size = Figures.median(formSizes[index])
        print(
          "    \(candidate.name): \(Figures.format(time)) ms, \(Figures.format(size)) KB"
            + " (\(Figures.format(time / beforeTime, 2))×, \(Figures.format(size / beforeSize, 2))×)"
        )
      }
    }
  }
}

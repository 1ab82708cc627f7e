// ocrview-benchmarks: the figures of BENCHMARKS.md (issue 5's targets), each measured as a
// ratio against a reference taken in the same run.
//
//   swift build -c release && .build/release/ocrview-benchmarks [WHICH …]
//
// WHICH: render [PDF], encoding [FOLDER …], pool [PDF], ceiling [PDF …], first-request,
// throughput, overhead, memory, fingerprint, queue, placement [PDF …], batch,
// rasterize IN OUT [DPI], text-pages IN.txt OUT.pdf FONT, synthetic DIR, all (the default).

import Foundation
import OCRKit
import OCRTestSupport

let usage = """
  usage: ocrview-benchmarks [render [PDF] | encoding [FOLDER …] | pool [PDF] | ceiling [PDF …] | first-request | throughput | overhead | memory | fingerprint | queue | placement [PDF[@FIRST-LAST] …] | batch | rasterize IN.pdf OUT.pdf [DPI] | text-pages IN.txt OUT.pdf FONT | synthetic DIR | all]
    render PDF defaults to /usr/share/doc/libtasn1-doc/libtasn1.pdf (apt-get install libtasn1-doc)
    encoding compares PNG settings on the PDFs in libtasn1-doc and each FOLDER
      (../shared/real-documents prints a folder of real ones)
    batch: export vs ocr on libtasn1 ×9 (324 pages; pdfunite), export memory, import of
      10,000 lines, the round trip
    ceiling PDF defaults to R-intro.pdf and gnuplot.pdf (apt-get install r-doc-pdf gnuplot-doc),
      pages 1–100 of each
    placement places each page's true text (pdftotext -bbox-layout) by tesseract's layout and
      scores the boxes (issue 25); without PDF: sample.pdf, generated pages, Debian manuals
      (run from the repository; PDF@FIRST-LAST picks pages, else pages 1–10, read as English
      or as OCRVIEW_PLACEMENT_LANG says, e.g. kor+eng)
    rasterize writes an image-only copy of IN.pdf (each page one image at DPI, default 150,
      on a page of the same size): a scan whose true text is IN's (scripts/searchable-pdf-benchmark)
    text-pages sets IN.txt's paragraphs (blank-line separated) in FONT on letter pages
    synthetic writes the generated pages of the tests into DIR: columns.pdf, table.pdf and
      korean.pdf (assets/sample.pdf's Korean page three times; run from the repository)
  """

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments == ["all"] {
  arguments = [
    "render", "ceiling", "first-request", "throughput", "overhead", "memory", "fingerprint",
    "queue", "batch",
  ]
}
do {
  while !arguments.isEmpty {
    switch arguments.removeFirst() {
    case "render":
      var pdf = "/usr/share/doc/libtasn1-doc/libtasn1.pdf"
      if let next = arguments.first, next.hasSuffix(".pdf") { pdf = arguments.removeFirst() }
      try await RenderBenchmark.run(pdf: pdf, pages: 1...10, rounds: 3)
    case "pool":
      var pdf = "/usr/share/doc/libtasn1-doc/libtasn1.pdf"
      if let next = arguments.first, next.hasSuffix(".pdf") { pdf = arguments.removeFirst() }
      try await RenderPoolBenchmark.run(pdf: pdf, pages: 1...20, rounds: 5)
    case "ceiling":
      var pdfs: [String] = []
      while let next = arguments.first, next.hasSuffix(".pdf") {
        pdfs.append(arguments.removeFirst())
      }
      try await CeilingBenchmark.run(
        pdfs: pdfs.isEmpty ? CeilingBenchmark.defaultDocuments : pdfs, pageLimit: 100, rounds: 3)
    case "encoding":
      var folders = ["/usr/share/doc/libtasn1-doc"]
      while let next = arguments.first, FileManager.default.fileExists(atPath: next + "/.") {
        folders.append(arguments.removeFirst())
      }
      try await EncodingBenchmark.run(folders: folders, rounds: 3)
    case "first-request": try await ServerBenchmarks.firstRequest(runs: 15)
    case "throughput": try await ServerBenchmarks.throughput(runs: 3)
    case "overhead": try await ServerBenchmarks.overhead(runs: 5)
    case "memory": try await ServerBenchmarks.memory(runs: 5)
    case "fingerprint": try FingerprintBenchmark.run()
    case "queue": try await QueueBenchmark.run(runs: 3)
    case "placement":
      var pages: [PlacementBenchmark.Page] = []
      // PDF or PDF@FIRST-LAST (pages 1–10 when not given).
      while let next = arguments.first, next.hasSuffix(".pdf") || next.contains(".pdf@") {
        let argument = arguments.removeFirst().split(separator: "@", maxSplits: 1)
        let pdf = String(argument[0])
        let count = try await OpenedDocument.open(path: pdf).pageCount
        let range =
          argument.count > 1 ? argument[1].split(separator: "-").compactMap { Int($0) } : []
        let first = range.first ?? 1
        let last = min(count, range.count > 1 ? range[1] : first + 9)
        for number in first...max(first, last) {
          pages.append(
            .init(
              pdf: pdf, number: number, kind: "given",
              languages: ProcessInfo.processInfo.environment["OCRVIEW_PLACEMENT_LANG"] ?? "eng"))
        }
      }
      try await PlacementBenchmark.run(pages: pages)
    case "batch": try await BatchBenchmark.run(rounds: 3)
    case "rasterize":
      guard arguments.count >= 2 else { throw BenchmarkError("rasterize needs IN.pdf OUT.pdf") }
      let (input, output) = (arguments.removeFirst(), arguments.removeFirst())
      var dpi = 150.0
      if let next = arguments.first, let value = Double(next) {
        dpi = value
        arguments.removeFirst()
      }
      guard RasterizedPDF.write(input, to: output, dpi: dpi) else {
        throw BenchmarkError("poppler cannot open \(input)")
      }
    case "text-pages":
      guard arguments.count >= 3 else { throw BenchmarkError("text-pages needs IN OUT FONT") }
      let (input, output, font) =
        (arguments.removeFirst(), arguments.removeFirst(), arguments.removeFirst())
      let paragraphs = try String(contentsOfFile: input, encoding: .utf8)
        .components(separatedBy: "\n\n")
        .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
      guard SyntheticPages.writeText(paragraphs, font: font, to: output) != nil else {
        throw BenchmarkError("no text in \(input)")
      }
    case "synthetic":
      guard !arguments.isEmpty else { throw BenchmarkError("synthetic needs DIR") }
      let folder = arguments.removeFirst()
      _ = SyntheticPages.writeTwoColumns(to: folder + "/columns.pdf")
      _ = SyntheticPages.writeTable(to: folder + "/table.pdf")
      _ = SyntheticPages.writeKorean(
        from: FileManager.default.currentDirectoryPath + "/assets/sample.pdf", page: 3,
        to: folder + "/korean.pdf")
    default:
      FileHandle.standardError.write(Data((usage + "\n").utf8))
      exit(2)
    }
  }
} catch {
  FileHandle.standardError.write(Data("ocrview-benchmarks: \(error)\n".utf8))
  exit(1)
}

import Foundation
import OCRKit
import OCRTestSupport

/// Issue 25's position figure without the PDF writer: for born-digital pages, whose true words
/// and boxes poppler knows (`pdftotext -bbox-layout`), render the page as ocrview does, read
/// its layout with tesseract (the `--check` pass), place the TRUE text with `WordPlacement`,
/// and count the words whose placed box has IoU ≥ 0.5 with the true one.
///
/// Two figures: the full IoU (the placed box spans its tesseract line's height) and the
/// horizontal IoU alone (the PDF writer's font metrics decide the final vertical extent).
enum PlacementBenchmark {
  /// One page to measure and the class its figure is reported under.
  struct Page {
    var pdf: String
    var number: Int
    var kind: String
    var languages: String
  }

  /// A true word: its text and box in PDF points, and its line in the text.
  struct TrueWord {
    var text: String
    var box: (x1: Double, y1: Double, x2: Double, y2: Double)
  }

  static func defaultPages(scratch: String) -> [Page] {
    var pages: [Page] = []
    let sample = FileManager.default.currentDirectoryPath + "/assets/sample.pdf"
    if FileManager.default.fileExists(atPath: sample) {
      pages.append(Page(pdf: sample, number: 1, kind: "single-column English", languages: "eng"))
      pages.append(Page(pdf: sample, number: 2, kind: "table/diagram", languages: "eng"))
      pages.append(Page(pdf: sample, number: 3, kind: "Korean", languages: "kor+eng"))
      let korean = scratch + "/korean.pdf"
      if SyntheticPages.writeKorean(from: sample, page: 3, to: korean) != nil {
        pages.append(Page(pdf: korean, number: 1, kind: "Korean", languages: "kor+eng"))
      }
    }
    let columns = scratch + "/columns.pdf"
    _ = SyntheticPages.writeTwoColumns(to: columns)
    pages.append(Page(pdf: columns, number: 1, kind: "two columns", languages: "eng"))
    let table = scratch + "/table.pdf"
    _ = SyntheticPages.writeTable(to: table)
    pages.append(Page(pdf: table, number: 1, kind: "table/diagram", languages: "eng"))
    let manual = "/usr/share/doc/libtasn1-doc/libtasn1.pdf"
    if FileManager.default.fileExists(atPath: manual) {
      for number in [5, 9, 14, 20, 27] {
        pages.append(
          Page(pdf: manual, number: number, kind: "single-column English", languages: "eng"))
      }
    }
    let spec = "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"
    if FileManager.default.fileExists(atPath: spec) {
      for number in [2, 4] {
        pages.append(
          Page(pdf: spec, number: number, kind: "single-column English", languages: "eng"))
      }
    }
    return pages
  }

  /// `OCRVIEW_PLACEMENT_MISSES=1` lists each word placed off its true box.
  static let showMisses = ProcessInfo.processInfo.environment["OCRVIEW_PLACEMENT_MISSES"] != nil

  /// `OCRVIEW_PLACEMENT_MISSES=2` prints tesseract's lines and the text too.
  static let showLayout = ProcessInfo.processInfo.environment["OCRVIEW_PLACEMENT_MISSES"] == "2"

  static func run(pages given: [Page]) async throws {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let pages = given.isEmpty ? defaultPages(scratch: scratch) : given
    var engines: [String: TesseractEngine] = [:]
    defer { for engine in engines.values { engine.shutdown() } }
    // Per class: words, words with full IoU ≥ 0.5, with horizontal IoU ≥ 0.5; then the same
    // for words with a letter or digit (dot leaders and bullets are words to pdftotext).
    var totals: [String: [Int]] = [:]
    var placementTimes: [Double] = []
    print(
      "page | class | words | tesseract words | matched | full IoU≥0.5 | horizontal IoU≥0.5 | "
        + "full, letter/digit words | place ms"
    )
    for page in pages {
      let document = try await OpenedDocument.open(path: page.pdf)
      let image = try await document.render(page: page.number, maxSide: 1540)
      let (size, lines) = try trueWords(page.pdf, page: page.number, scratch: scratch)
      guard !lines.isEmpty else {
        print(
          "\((page.pdf as NSString).lastPathComponent) p\(page.number): no words in its text layer, skipped"
        )
        continue
      }
      let engine =
        try engines[page.languages] ?? TesseractEngine(languages: page.languages, workers: 1)
      engines[page.languages] = engine
      let layout = try await engine.readWords(image).layout
      let text = lines.map { $0.map(\.text).joined(separator: " ") }.joined(separator: "\n")
      if showLayout {
        for (b, block) in layout.blocks.enumerated() {
          for line in block.lines {
            print("  T\(b) y\(line.box.y1): " + line.words.map(\.text).joined(separator: " "))
          }
        }
        print(text.split(separator: "\n").map { "  M: " + $0 }.joined(separator: "\n"))
      }
      let clock = ContinuousClock()
      let start = clock.now
      let (placed, positions) = WordPlacement.placeTracing(
        text: text, layout: layout, page: page.number, imageWidth: image.width,
        imageHeight: image.height)
      placementTimes.append((clock.now - start).millisecondsValue)
      let (sx, sy) = (Double(image.width) / size.width, Double(image.height) / size.height)
      var (full, horizontal, matched) = (0, 0, 0)
      var (lettered, letteredFull, letteredHorizontal) = (0, 0, 0)
      for (truth, position) in zip(lines.flatMap { $0 }, positions) {
        let word = placed.blocks[position.block].lines[position.line].words[position.word]
        if case .matched = word.placement { matched += 1 }
        let t = (
          x1: truth.box.x1 * sx, y1: truth.box.y1 * sy, x2: truth.box.x2 * sx, y2: truth.box.y2 * sy
        )
        let b = (
          x1: Double(word.box.x1), y1: Double(word.box.y1), x2: Double(word.box.x2),
          y2: Double(word.box.y2)
        )
        let ix = overlap(t.x1, t.x2, b.x1, b.x2)
        let iy = overlap(t.y1, t.y2, b.y1, b.y2)
        let horizontalIoU = ix / max(1e-9, (t.x2 - t.x1) + (b.x2 - b.x1) - ix)
        let area = (t.x2 - t.x1) * (t.y2 - t.y1) + (b.x2 - b.x1) * (b.y2 - b.y1)
        let fullIoU = ix * iy / max(1e-9, area - ix * iy)
        if fullIoU >= 0.5 { full += 1 }
        let hasLetter = truth.text.contains { $0.isLetter || $0.isNumber }
        if hasLetter {
          lettered += 1
          if fullIoU >= 0.5 { letteredFull += 1 }
          if horizontalIoU >= 0.5 { letteredHorizontal += 1 }
        }
        if showMisses, horizontalIoU < 0.5 {
          let at = { (x: Double, y: Double) in "\(Int(x)),\(Int(y))" }
          print(
            "  miss: \(truth.text) \(word.placement) true \(at(t.x1, t.y1))–\(at(t.x2, t.y2)) "
              + "placed \(at(b.x1, b.y1))–\(at(b.x2, b.y2))")
        }
        if horizontalIoU >= 0.5 { horizontal += 1 }
      }
      let count = positions.count
      let figures = [count, full, horizontal, lettered, letteredFull, letteredHorizontal]
      totals[page.kind] = zip(totals[page.kind] ?? [0, 0, 0, 0, 0, 0], figures).map { $0 + $1 }
      print(
        "\((page.pdf as NSString).lastPathComponent) p\(page.number) | \(page.kind) | \(count) | "
          + "\(layout.words.count) | \(percent(matched, count)) | \(percent(full, count)) | "
          + "\(percent(horizontal, count)) | \(percent(letteredFull, lettered)) | "
          + Figures.format(placementTimes.last!))
    }
    print(
      "\nclass | words | full IoU≥0.5 | horizontal IoU≥0.5 | letter/digit words | full | horizontal"
    )
    for (kind, t) in totals.sorted(by: { $0.key < $1.key }) {
      print(
        "\(kind) | \(t[0]) | \(percent(t[1], t[0])) | \(percent(t[2], t[0])) | \(t[3]) | "
          + "\(percent(t[4], t[3])) | \(percent(t[5], t[3]))")
    }
    timeLargePage()
  }

  /// Placement alone on a page of ~1,000 words: a generated layout of 12-word lines, the
  /// text with one word in ten misspelled and two lines swapped.
  static func timeLargePage() {
    var rng = SplitMix64(seed: 25)
    var blocks: [TesseractLayout.Block] = []
    var lines: [[String]] = []
    var y = 0
    while lines.flatMap({ $0 }).count < 1000 {
      var words: [TesseractLayout.Word] = []
      var x = 10
      var text: [String] = []
      for _ in 0..<12 {
        let length = 2 + rng.below(8)
        let word = String((0..<length).map { _ in Character(Unicode.Scalar(97 + rng.below(26))!) })
        words.append(
          TesseractLayout.Word(
            word, box: PixelBox(x1: x, y1: y + 2, x2: x + 9 * length, y2: y + 18)))
        x += 9 * (length + 1)
        text.append(rng.below(10) == 0 ? word + "x" : word)
      }
      let box = PixelBox(x1: 10, y1: y, x2: x, y2: y + 20)
      blocks.append(
        .init(
          box: box,
          lines: [
            .init(
              box: box, baselineLeft: Double(y + 16), baselineRight: Double(y + 16), words: words)
          ]))
      lines.append(text)
      y += 22
    }
    lines.swapAt(10, 60)
    let text = lines.map { $0.joined(separator: " ") }.joined(separator: "\n")
    let layout = TesseractLayout(blocks: blocks)
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<5 {
      let start = clock.now
      _ = WordPlacement.place(text: text, layout: layout, page: 1, imageWidth: 1200, imageHeight: y)
      times.append((clock.now - start).millisecondsValue)
    }
    print(
      "\nplacement of \(lines.flatMap { $0 }.count) words: median \(Figures.format(Figures.median(times))) ms"
    )
  }

  static func overlap(_ a1: Double, _ a2: Double, _ b1: Double, _ b2: Double) -> Double {
    max(0, min(a2, b2) - max(a1, b1))
  }

  static func percent(_ part: Int, _ whole: Int) -> String {
    whole == 0 ? "–" : Figures.format(100 * Double(part) / Double(whole)) + " %"
  }

  /// The page's size in points and its words, line by line, from `pdftotext -bbox-layout`.
  static func trueWords(_ pdf: String, page: Int, scratch: String) throws -> (
    size: (width: Double, height: Double), lines: [[TrueWord]]
  ) {
    let out = scratch + "/bbox.html"
    let child = try Child(
      ["/usr/bin/pdftotext", "-bbox-layout", "-f", "\(page)", "-l", "\(page)", pdf, out])
    guard child.wait().status == 0 else { throw BenchmarkError("pdftotext failed on \(pdf)") }
    let html = try String(contentsOfFile: out, encoding: .utf8)
    var size = (width: 1.0, height: 1.0)
    var lines: [[TrueWord]] = []
    for raw in html.split(separator: "\n") {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("<page ") {
        size = (attribute("width", line) ?? 1, attribute("height", line) ?? 1)
      } else if line.hasPrefix("<line") {
        lines.append([])
      } else if line.hasPrefix("<word "), let close = line.firstIndex(of: ">"),
        let end = line.range(of: "</word>")
      {
        let text = unescape(String(line[line.index(after: close)..<end.lowerBound]))
        guard !text.isEmpty, let x1 = attribute("xMin", line), let y1 = attribute("yMin", line),
          let x2 = attribute("xMax", line), let y2 = attribute("yMax", line), !lines.isEmpty
        else { continue }
        lines[lines.count - 1].append(TrueWord(text: text, box: (x1, y1, x2, y2)))
      }
    }
    return (size, lines.filter { !$0.isEmpty })
  }

  static func attribute(_ name: String, _ tag: String) -> Double? {
    guard let start = tag.range(of: name + "=\"") else { return nil }
    let rest = tag[start.upperBound...]
    return rest.firstIndex(of: "\"").flatMap { Double(rest[..<$0]) }
  }

  static func unescape(_ text: String) -> String {
    text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}

import Foundation
import OCRTestSupport
import Testing

/// `ocrview ocr --pdf`: the input with the model's words as an invisible text layer, read back
/// by poppler's own tools — the fake server answering each page with its true text.
@Suite struct SearchablePDFCommandTests {
  /// A scan of a 3-page PDF of 30 lines a page (images only: no text of its own) and each
  /// page's true text, as a model would write it.
  static func document() -> (path: String, answers: [String]) {
    let born = CLI.scratchDirectory() + "/three.pdf"
    SyntheticPDF.write(pages: 3, to: born, linesPerPage: 30)
    let path = CLI.scratchDirectory() + "/three-scanned.pdf"
    RasterizedPDF.write(born, to: path)
    let answers = (1...3).map { page in
      (["# Page \(page)"] + SyntheticPDF.lines(page: page, count: 30)).joined(separator: "\n\n")
    }
    return (path, answers)
  }

  static func words(_ text: some StringProtocol) -> [String: Int] {
    text.split(whereSeparator: { $0.isWhitespace }).map { $0.trimmingCharacters(in: ["#"]) }
      .filter { !$0.isEmpty }.reduce(into: [:]) { $0[$1, default: 0] += 1 }
  }

  /// Served words found in `found`, as a share (a bag of words: each counted as often as
  /// served).
  static func recall(_ served: String, in found: String) -> Double {
    let (want, have) = (words(served), words(found))
    let total = want.values.reduce(0, +)
    return Double(want.reduce(0) { $0 + min($1.value, have[$1.key] ?? 0) }) / Double(total)
  }

  @Test(arguments: [false, true])
  func theOutputHasEveryPagesTextWhereTheInputHasIt(checking: Bool) async throws {
    let (path, answers) = Self.document()
    let out = CLI.scratchDirectory() + "/searchable.pdf"
    let server = try FakeOCRServer(responder: FakeResponder.transcript(answers, wordsPerDelta: 5))
    let result = try await CLI.run(
      ["ocr", path, "--pdf", out, "-o", out + ".md", "--server", server.baseURL]
        + (checking ? ["--check"] : []))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try await Command.run(["qpdf", "--check", out]).status == 0)
    for page in 1...3 {
      let text = try await Command.run(["pdftotext", "-f", "\(page)", "-l", "\(page)", out, "-"])
      #expect(Self.recall(answers[page - 1], in: text.stdout) >= 0.99, "page \(page)")
    }
    // The scan had no text: all of it is the model's, in the model's order.
    let input = try await Command.run(["pdftotext", path, "-"]).stdout
    #expect(input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(input)")
    let all = try await Command.run(["pdftotext", out, "-"]).stdout
    #expect(all.components(separatedBy: "pack my box").count - 1 == 90)
    #expect(all.contains("2.17 The quick brown fox jumps over the lazy dog;"), "\(all)")
    // Nothing said but what a check finds: a searchable PDF written is a quiet success.
    #expect(!result.stderr.contains("searchable"), "\(result.stderr)")
  }

  /// A run whose pages come back from the journal — resumed after a kill, or with the server
  /// gone — writes the very file the first run wrote.
  @Test func aRunFromTheJournalWritesTheSameFileWithNoServer() async throws {
    let (path, answers) = Self.document()
    let state = CLI.scratchDirectory()
    let environment = ["XDG_STATE_HOME": state]
    let server = try FakeOCRServer(responder: FakeResponder.transcript(answers, wordsPerDelta: 5))
    let (first, second) = (CLI.scratchDirectory() + "/1.pdf", CLI.scratchDirectory() + "/2.pdf")
    let same = ["--engine", "server", "--model", "lightonocr", "--max-tokens", "2048"]
    let live = try await CLI.run(
      ["ocr", path, "--pdf", first, "-o", first + ".md", "--server", server.baseURL] + same,
      environment: environment)
    #expect(live.status == 0, "\(live.stderr)")
    let restored = try await CLI.run(
      ["ocr", path, "--pdf", second, "-o", second + ".md", "--server", "http://127.0.0.1:9"]
        + same, environment: environment)
    #expect(restored.status == 0, "\(restored.stderr)")
    #expect(restored.stderr.contains("3 pages restored from the journal"), "\(restored.stderr)")
    let bytes = { (path: String) in FileManager.default.contents(atPath: path) }
    #expect(bytes(first) != nil && bytes(first) == bytes(second))
  }

  /// `--linearize`: fast web view, as qpdf judges it; without it the file is not.
  @Test func linearizeWritesAFastWebViewPDF() async throws {
    let (path, answers) = Self.document()
    let server = try FakeOCRServer(responder: FakeResponder.transcript(answers, wordsPerDelta: 5))
    let (fast, plain) = (
      CLI.scratchDirectory() + "/fast.pdf", CLI.scratchDirectory() + "/plain.pdf"
    )
    for (out, flags) in [(fast, ["--linearize"]), (plain, [])] {
      let result = try await CLI.run(
        ["ocr", path, "--pdf", out, "-o", out + ".md", "--server", server.baseURL] + flags)
      #expect(result.status == 0, "\(result.stderr)")
    }
    // qpdf 11.3 has no --is-linearized: --check-linearization says which it is.
    let checked = try await Command.run(["qpdf", "--check-linearization", fast])
    #expect(checked.status == 0 && checked.stdout.contains("no linearization errors"))
    let other = try await Command.run(["qpdf", "--check-linearization", plain])
    #expect(other.stdout.contains("is not linearized"), "\(other.stdout)")
    // A born-digital page asked for is kept and said; pages not asked for are not named.
    let born = CLI.scratchDirectory() + "/born.pdf"
    SyntheticPDF.write(pages: 3, to: born, linesPerPage: 2)
    let kept = try await CLI.run([
      "ocr", born, "--pages", "2", "--pdf", CLI.scratchDirectory() + "/kept.pdf", "--engine",
      "tesseract", "-o", CLI.scratchDirectory() + "/kept.md",
    ])
    #expect(kept.status == 0, "\(kept.stderr)")
    #expect(kept.stderr.contains("page 2 has visible text of its own"), "\(kept.stderr)")
    #expect(!kept.stderr.contains("pages"), "\(kept.stderr)")
    let misuse = try await CLI.run(["ocr", path, "--linearize"])
    #expect(misuse.status == 2 && misuse.stderr.contains("--linearize goes with --pdf"))
  }

  @Test func anImageBecomesAOnePagePDFWithItsText() async throws {
    let image = CLI.asset("sample-scan.png")
    let out = CLI.scratchDirectory() + "/scan.pdf"
    let answer = FakeResponder.pages(
      fromTranscript: try String(
        contentsOfFile: CLI.asset("sample-scan.expected.md"), encoding: .utf8))[0]
    let server = try FakeOCRServer(responder: FakeResponder.transcript([answer]))
    let result = try await CLI.run([
      "ocr", image, "--pdf", out, "-o", out + ".md", "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let info = try await Command.run(["pdfinfo", out]).lines
    #expect(info.contains { $0.hasPrefix("Pages:") && $0.hasSuffix(" 1") } == true, "\(info)")
    let text = try await Command.run(["pdftotext", out, "-"]).stdout
    #expect(Self.recall(answer, in: text) >= 0.99, "\(text)")
  }

  /// hOCR on stdout: every one of the model's words once, boxes in the image file's pixels
  /// (the page was read at 1540 px, the file is 1275 × 1650), nothing streamed before it.
  @Test func hocrHasEveryWordOnceInTheImagesOwnPixels() async throws {
    let answer = FakeResponder.pages(
      fromTranscript: try String(
        contentsOfFile: CLI.asset("sample-scan.expected.md"), encoding: .utf8))[0]
    let server = try FakeOCRServer(responder: FakeResponder.transcript([answer]))
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--format", "hocr", "--max-side", "1000", "--server",
      server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
    #expect(result.stdout.contains("bbox 0 0 1275 1650; ppageno 0"))
    let words = result.stdout.components(separatedBy: "class=\"ocrx_word\"").count - 1
    let served = answer.replacingOccurrences(of: "#", with: " ").split(
      whereSeparator: \.isWhitespace)
    #expect(words == served.count, "\(result.stdout)")
    // Boxes lie on the page, in its pixels.
    let boxes = result.stdout.matches(
      of: /ocrx_word" id="[^"]+" title="bbox (\d+) (\d+) (\d+) (\d+)/)
    #expect(!boxes.isEmpty)
    #expect(boxes.allSatisfy { Int($0.3)! <= 1275 && Int($0.4)! <= 1650 })
    #expect(boxes.contains { Int($0.3)! > 1000 })
  }

  /// Several documents' hOCR: one file each in --out-dir, each a whole XHTML document.
  @Test func hocrOfSeveralDocumentsGoesToOneFileEach() async throws {
    let folder = CLI.scratchDirectory()
    let out = CLI.scratchDirectory()
    for name in ["a", "b"] {
      try FileManager.default.copyItem(
        atPath: CLI.asset("sample-scan.png"), toPath: folder + "/\(name).png")
    }
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["Memo: streaming OCR"]))
    let result = try await CLI.run([
      "ocr", folder + "/a.png", folder + "/b.png", "--format", "hocr", "--out-dir", out,
      "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    for name in ["a", "b"] {
      let text = try String(contentsOfFile: out + "/\(name).ocr.hocr", encoding: .utf8)
      #expect(text.hasPrefix("<?xml") && text.hasSuffix("</html>\n"), "\(text)")
      #expect(text.components(separatedBy: "<html").count == 2)
      #expect(text.contains("image &quot;\(name).png&quot;"))
    }
  }

  @Test func whatWouldBeLostOrIsAmbiguousIsRefusedBeforeAnythingIsRead() async throws {
    let (path, _) = Self.document()
    let onInput = try await CLI.run(["ocr", path, "--pdf", path, "--server", "http://127.0.0.1:9"])
    #expect(onInput.status == 2)
    #expect(onInput.stderr.contains("is the input"), "\(onInput.stderr)")
    let other = CLI.scratchDirectory() + "/other.pdf"
    SyntheticPDF.write(pages: 1, to: other)
    let two = try await CLI.run([
      "ocr", path, other, "--pdf", CLI.scratchDirectory() + "/x.pdf", "--engine", "tesseract",
    ])
    #expect(two.status == 2)
    #expect(two.stderr.contains("one searchable PDF of one document"), "\(two.stderr)")
    // hOCR is one XHTML document: several documents need --out-dir, one file each.
    let hocr = try await CLI.run(["ocr", path, other, "--format", "hocr", "--engine", "tesseract"])
    #expect(hocr.status == 2)
    #expect(hocr.stderr.contains("or use --out-dir"), "\(hocr.stderr)")
    let exists = CLI.scratchDirectory() + "/exists.pdf"
    SyntheticPDF.write(pages: 1, to: exists)
    let taken = try await CLI.run(["ocr", path, "--pdf", exists, "--engine", "tesseract"])
    #expect(taken.status == 2)
    #expect(taken.stderr.contains("add --overwrite"), "\(taken.stderr)")
    let redo = try await CLI.run(["ocr", path, "--redo-text"])
    #expect(redo.status == 2)
    #expect(redo.stderr.contains("--redo-text goes with --pdf"), "\(redo.stderr)")
  }
}

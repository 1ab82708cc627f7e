import Foundation
import OCRTestSupport
import Testing

/// `ocrview ocr --pdf --redo-text`: another OCR's invisible layer (tesseract's own searchable
/// PDF) replaced by the model's words, a born-digital page left alone either way.
@Suite struct RedoTextCommandTests {
  /// Page 1: tesseract's image + invisible text PDF of a scanned page; page 2: born digital.
  /// The model's answer for page 1 says "vixen" where the page (and tesseract) say "fox", so
  /// the old layer's words and the new ones tell apart.
  static func document() async throws -> (path: String, answers: [String]) {
    let directory = CLI.scratchDirectory()
    let born = directory + "/born.pdf"
    SyntheticPDF.write(pages: 2, to: born, linesPerPage: 12)
    let image = directory + "/page"
    let tesseract = directory + "/tesseract"
    let path = directory + "/layered.pdf"
    for command in [
      ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", born, image],
      ["env", "OMP_THREAD_LIMIT=1", "tesseract", image + ".png", tesseract, "pdf"],
      ["qpdf", "--empty", "--pages", tesseract + ".pdf", born, "2", "--", path],
    ] {
      let run = try await Command.run(command)
      #expect(run.status == 0, "\(command)")
    }
    let answers = (1...2).map { page in
      (["# Page \(page)"] + SyntheticPDF.lines(page: page, count: 12)).joined(separator: "\n\n")
    }
    return (path, [answers[0].replacingOccurrences(of: "fox", with: "vixen"), answers[1]])
  }

  static func text(_ path: String, page: Int) async throws -> String {
    try await Command.run(["pdftotext", "-f", "\(page)", "-l", "\(page)", path, "-"]).stdout
  }

  static func rendered(_ path: String, page: Int) async throws -> Data {
    let base = CLI.scratchDirectory() + "/render"
    _ = try await Command.run([
      "pdftoppm", "-png", "-r", "60", "-f", "\(page)", "-l", "\(page)", "-singlefile", path, base,
    ])
    return try Data(contentsOf: URL(fileURLWithPath: base + ".png"))
  }

  @Test func withoutRedoTextBothPagesAreKeptAndSaid() async throws {
    let (path, answers) = try await Self.document()
    #expect(try await Self.text(path, page: 1).contains("fox"))
    let out = CLI.scratchDirectory() + "/out.pdf"
    let server = try FakeOCRServer(responder: FakeResponder.transcript(answers))
    let result = try await CLI.run(
      ["ocr", path, "--pdf", out, "-o", out + ".md", "--server", server.baseURL])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "out.pdf: page 1 already has a text layer — left as it is (--redo-text replaces it)"),
      "\(result.stderr)")
    #expect(
      result.stderr.contains("out.pdf: page 2 has visible text of its own — left as it is\n"),
      "\(result.stderr)")
    let first = try await Self.text(out, page: 1)
    #expect(first.contains("fox") && !first.contains("vixen"), "\(first)")
  }

  @Test func redoTextReplacesTheInvisibleLayerAndLeavesVisibleTextAlone() async throws {
    let (path, answers) = try await Self.document()
    let out = CLI.scratchDirectory() + "/out.pdf"
    let server = try FakeOCRServer(responder: FakeResponder.transcript(answers))
    let result = try await CLI.run(
      ["ocr", path, "--pdf", out, "--redo-text", "-o", out + ".md", "--server", server.baseURL])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "out.pdf: page 2 has visible text of its own — left as it is even with --redo-text"),
      "\(result.stderr)")
    #expect(!result.stderr.contains("page 1"), "\(result.stderr)")
    // Page 1: the model's words, none of tesseract's old layer.
    let first = try await Self.text(out, page: 1)
    #expect(first.components(separatedBy: "vixen").count - 1 == 12, "\(first)")
    #expect(!first.contains("fox"), "\(first)")
    #expect(SearchablePDFCommandTests.recall(answers[0], in: first) >= 0.99, "\(first)")
    // Page 2 keeps its own text, and no page looks any different.
    #expect(try await Self.text(out, page: 2) == Self.text(path, page: 2))
    for page in 1...2 {
      #expect(try await Self.rendered(out, page: page) == Self.rendered(path, page: page))
    }
    #expect(try await Command.run(["qpdf", "--check", out]).status == 0)
  }
}

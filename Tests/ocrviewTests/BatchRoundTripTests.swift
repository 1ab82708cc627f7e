import Foundation
import OCRTestSupport
import Testing

/// `ocrview batch export` → a run-batch imitation (the fake model, shuffled, with failures) →
/// `ocrview batch import` → `ocrview ocr`: the transcript of a live run byte for byte, with
/// requests only for the pages the batch failed.
@Suite struct BatchRoundTripTests {
  static let model = "lightonai/LightOnOCR-2-1B"
  static var fakeServer: String {
    (CLI.binary as NSString).deletingLastPathComponent + "/fake-ocr-server"
  }

  static func transcript(pages: Int) -> String {
    (1...pages).map {
      "<!-- page \($0) -->\n\n## Page \($0)\n\nText of page \($0), *with* Markdown.\n"
    }
    .joined(separator: "\n")
  }

  /// Without failures the export names the server's context (`--context`), the live runs
  /// nothing: `max_tokens` per page as live, and the journal found all the same.
  @Test(arguments: [0, 3])
  func exportRunImportThenOCRSendsOnlyTheFailedPages(failures: Int) async throws {
    let folder = CLI.scratchDirectory()
    let pdf = folder + "/doc.pdf"
    SyntheticPDF.write(pages: 9, to: pdf, linesPerPage: 3)
    // One model for the live run and the batch: the same image gets the same page text.
    let responder = FakeResponder.transcript(
      FakeResponder.pages(fromTranscript: Self.transcript(pages: 9)))
    let server = try FakeOCRServer(responder: responder)
    // max_tokens two ways: fixed on both sides, or the server's context (the fake's 8192)
    // given to export as --context, the live run asking the server.
    let budget = failures == 0 ? [String]() : ["--max-tokens", "4096"]
    let exportBudget = failures == 0 ? ["--context", "8192"] : budget
    let flags =
      ["--model", Self.model, "--engine", "server", "--server", server.baseURL] + budget
    let live = try await CLI.run(
      ["ocr", pdf, "-o", folder + "/live.md"] + flags,
      environment: ["XDG_STATE_HOME": folder + "/live-state"])
    #expect(live.status == 0, "\(live.stderr)")
    #expect(server.requests.count == 9)

    let state = ["XDG_STATE_HOME": folder + "/state"]
    let export = try await CLI.run(
      ["batch", "export", pdf, "--out", folder + "/batch", "--max-lines", "4"] + flags
        + exportBudget,
      environment: state)
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stdout.hasPrefix("exported 9 pages in 3 files"), "\(export.stdout)")
    var results: [UInt8] = []
    for number in 1...3 {
      let input = try #require(
        FileManager.default.contents(atPath: folder + "/batch/requests-000\(number).jsonl"))
      results +=
        FakeRunBatch.run(
          input: Array(input), responder: responder, failures: number == 2 ? failures : 0,
          shuffle: true, seed: UInt64(number)
        ).output
    }
    #expect(server.requests.count == 9)  // the batch went nowhere near the server
    // Back in two files, neither in page order.
    let lines = String(decoding: results, as: UTF8.self).split(separator: "\n").reversed()
      .map { $0 + "\n" }
    FileManager.default.createFile(
      atPath: folder + "/batch/results-a.jsonl", contents: Data(lines[..<5].joined().utf8))
    FileManager.default.createFile(
      atPath: folder + "/batch/results-b.jsonl", contents: Data(lines[5...].joined().utf8))
    let imported = try await CLI.run(
      ["batch", "import", folder + "/batch/results-a.jsonl", folder + "/batch/results-b.jsonl"],
      environment: state)
    #expect(imported.status == (failures == 0 ? 0 : 1), "\(imported.stderr)")
    #expect(
      imported.stdout.hasPrefix(
        "imported \(9 - failures) pages; \(failures) failed, 0 refused; \(failures) page"),
      "\(imported.stdout)")
    #expect(
      imported.stderr.split(separator: "\n").filter { $0.contains("left for a live run") }.count
        == failures)

    let resumed = try await CLI.run(
      ["ocr", pdf, "-o", folder + "/out.md"] + flags, environment: state)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(server.requests.count == 9 + failures)
    let liveText = try String(contentsOfFile: folder + "/live.md", encoding: .utf8)
    let outText = try String(contentsOfFile: folder + "/out.md", encoding: .utf8)
    #expect(outText == liveText)
    #expect(liveText.contains("Text of page 9"))
  }

  /// The imitation as a program, like `vllm run-batch -i -o`: every request answered once, in
  /// a shuffled order, with the failures asked for.
  @Test func runBatchImitationAnswersEveryLine() async throws {
    let folder = CLI.scratchDirectory()
    let pdf = folder + "/doc.pdf"
    SyntheticPDF.write(pages: 5, to: pdf)
    let export = try await CLI.run(
      ["batch", "export", pdf, "--out", folder, "--model", Self.model, "--max-side", "300"],
      environment: ["XDG_STATE_HOME": folder + "/state"])
    #expect(export.status == 0, "\(export.stderr)")
    let run = try await Command.run([
      Self.fakeServer, "run-batch", "-i", folder + "/requests-0001.jsonl", "-o",
      folder + "/results.jsonl", "--shuffle", "--fail", "2",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let text = try String(contentsOfFile: folder + "/results.jsonl", encoding: .utf8)
    let objects = text.split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
    let ids = objects.compactMap { $0["custom_id"] as? String }
    #expect(ids.count == 5 && Set(ids).count == 5)
    #expect(ids != ids.sorted())
    #expect(objects.allSatisfy { Set($0.keys) == ["id", "custom_id", "response", "error"] })
    let imported = try await CLI.run(
      ["batch", "import", folder + "/results.jsonl"],
      environment: ["XDG_STATE_HOME": folder + "/state"])
    #expect(
      imported.stdout.hasPrefix("imported 3 pages; 2 failed, 0 refused"), "\(imported.stdout)")
  }
}

import Foundation
import OCRTestSupport
import Testing

/// With no server, `ocrview ocr` reads pages with the built-in engine, progressively.
@Suite struct BuiltInEngineTests {
  @Test func withNoServerTheSampleIsReadProgressivelyByTesseract() async throws {
    let out = CLI.scratchDirectory() + "/out.jsonl"
    // The server named by the environment: with `--server` the tests' runs require it.
    let result = try await CLI.run(
      [
        "ocr", CLI.asset("sample.pdf"), "--pages", "1-2", "--format", "jsonl", "--stats", "-o", out,
      ], environment: ["OCRVIEW_SERVER": "http://127.0.0.1:9"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("no server at http://127.0.0.1:9 — using built-in Tesseract"))
    let records = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    #expect(records.count == 2)
    #expect((records[0]["text"] as? String ?? "").contains("ocrview sample document"))
    #expect((records[1]["text"] as? String ?? "").contains("Measured latency"))
    for record in records {
      let stats = try #require(record["stats"] as? [String: Any])
      #expect((stats["deltas"] as? Int ?? 0) > 1, "several deltas per page")
      #expect((stats["ttft_ms"] as? Double ?? 0) < (stats["e2e_ms"] as? Double ?? 0))
    }
  }

  @Test func theEngineComesFromTheEnvironment() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["from the server"]) }
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL, "--stats"],
      environment: ["OCRVIEW_ENGINE": "tesseract"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(server.requests.isEmpty)
    #expect(result.stdout.contains("streaming OCR for the archive"))
    #expect(result.stderr.contains("built-in Tesseract (--engine tesseract)"))
    #expect(!result.stderr.contains("LEAK"))
  }

  @Test func fallingBackToTesseractIsSaidOnceAndOnlyWhenAutoChoseIt() async throws {
    let url = "http://127.0.0.1:9"
    let line =
      "ocrview: no OCR server at \(url) — reading with the built-in Tesseract engine "
      + "(--engine server to require the server)"
    let auto = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png")], environment: ["OCRVIEW_SERVER": url])
    #expect(auto.status == 0, "\(auto.stderr)")
    #expect(auto.stderr.components(separatedBy: line).count == 2, "\(auto.stderr)")
    let chosen = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--server", url, "--engine", "tesseract",
    ])
    #expect(!chosen.stderr.contains("reading with the built-in"), "\(chosen.stderr)")
    // A path that opens nothing gets its one line, not the engine's too.
    let missing = try await CLI.run(["ocr", "/nonexistent.pdf", "--server", url])
    #expect(missing.status == 2)
    #expect(missing.stderr == "ocrview: /nonexistent.pdf: no such file — check the path\n")
  }
}

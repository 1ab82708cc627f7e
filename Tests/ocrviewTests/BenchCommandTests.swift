import Foundation
import OCRTestSupport
import Testing

@Suite struct BenchCommandTests {
  @Test func alternatesModesAndReportsStandardMetrics() async throws {
    let pages = OCRCommandTests.pages
    let server = try FakeOCRServer(
      responder: FakeResponder.transcript(
        pages, wordsPerDelta: 5, firstTokenDelay: .milliseconds(40), between: .milliseconds(10)))
    let result = try await CLI.run(
      [
        "bench", CLI.asset("sample.pdf"), "--pages", "1-2", "--runs", "2", "--json", "--server",
        server.baseURL,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    // A B A B: each run of the document in stream mode, then in batch mode.
    #expect(
      server.requests.map(\.isStream) == [true, true, false, false, true, true, false, false])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let stream = try #require(json["stream"] as? [String: Any])
    let batch = try #require(json["batch"] as? [String: Any])
    #expect(stream["completed"] as? Int == 4)
    for key in [
      "median_ttft_ms", "p90_ttft_ms", "median_e2el_ms", "median_itl_ms",
      "median_output_tokens_per_second", "median_document_time_to_first_text_ms",
      "median_document_total_ms",
    ] {
      #expect(stream[key] is Double, "stream \(key)")
    }
    #expect(batch["median_itl_ms"] == nil)
    let streamTTFT = try #require(stream["median_ttft_ms"] as? Double)
    let streamE2E = try #require(stream["median_e2el_ms"] as? Double)
    let batchTTFT = try #require(batch["median_ttft_ms"] as? Double)
    let batchE2E = try #require(batch["median_e2el_ms"] as? Double)
    #expect(streamTTFT >= 40)
    // Stream shows the first words before the page ends (its deltas come 10 ms apart); batch
    // shows nothing until the whole page is in. Compared within each mode, not across runs: a
    // loaded machine once made stream's TTFT exceed batch's.
    #expect(streamTTFT < streamE2E)
    #expect(batchTTFT >= 0.9 * batchE2E)
  }
}

import Foundation
import OCRTestSupport
import Testing

/// The model's confidence, end to end: asked of the fake (llama-server's shape), in jsonl and
/// `--stats`; a server that refuses is read without.
@Suite struct ConfidenceTests {
  static let page = "# Invoice\n\nTotal: 42 EUR\nThank you"

  func jsonl(_ out: String) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
        as? [String: Any])
  }

  @Test func lowProbabilityTokensMarkTheirLineInJsonlAndStats() async throws {
    // "42 " and "EUR\n" doubtful: two low tokens on line 3.
    let doubtful = FakeLogprobs { _, token in
      token.hasPrefix("42") || token.hasPrefix("EUR") ? -1.2 : -0.01
    }
    let server = try FakeOCRServer(
      responder: FakeResponder.transcript([Self.page], logprobs: doubtful))
    let out = CLI.scratchDirectory() + "/out.jsonl"
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--format", "jsonl", "-o", out, "--stats",
      "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(server.requests.first?.wantsLogprobs == true)
    let stats = try #require(try jsonl(out)["stats"] as? [String: Any])
    let confidence = try #require(stats["confidence"] as? [String: Any])
    #expect(confidence["tokens"] as? Int == 7)
    #expect(confidence["low_lines"] as? [Int] == [3])
    #expect(confidence["low_share"] as? Double == 0.2857)
    #expect(result.stderr.contains("28.6 % tokens p<0.5, doubtful line 3"), "\(result.stderr)")
  }

  @Test func aServerRefusingLogprobsGivesPagesWithoutConfidence() async throws {
    let server = try FakeOCRServer(model: FakeModel(server: .vllm)) { request in
      request.wantsLogprobs ? .logprobsRefused(by: .vllm) : .chatStream(deltas: ["plain"])
    }
    let out = CLI.scratchDirectory() + "/out.jsonl"
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--format", "jsonl", "-o", out, "--server",
      server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let record = try jsonl(out)
    #expect(record["text"] as? String == "plain")
    #expect((record["stats"] as? [String: Any])?["confidence"] == nil)
  }
}

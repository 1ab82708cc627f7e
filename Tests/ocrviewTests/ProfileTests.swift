import Foundation
import OCRKit
import OCRTestSupport
import Testing

/// Model profiles and grounding end to end: the built binary against a fake server that names
/// its model the way llama-server or vLLM does.
@Suite struct ProfileTests {
  func body(_ request: FakeRequest) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
  }

  func imageSize(_ request: FakeRequest) throws -> (Int, Int) {
    let dataURL = try #require(request.imageDataURL)
    return try #require(OCRCommandRequestTests().pngSize(dataURL))
  }

  /// Each model of the table: the page at its longest edge, its sampling, max_tokens from
  /// the context the server reports.
  @Test(arguments: [
    ("LightOnOCR-1B-1025-Q8_0.gguf", FakeModel.Server.llamaServer, 1540, 0.9),
    ("lightonai/LightOnOCR-2-1B", .vllm, 1540, 0.9),
    ("lightonai/LightOnOCR-3-0.8B", .vllm, 2048, 1.0),
    ("LightOnOCR-3-1B-Q8_0.gguf", .llamaServer, 1540, 1.0),
    ("lightonai/LightOnOCR-3-4B", .vllm, 2048, 1.0),
  ])
  func eachModelGetsItsRequest(id: String, kind: FakeModel.Server, side: Int, topP: Double)
    async throws
  {
    let server = try FakeOCRServer(
      model: FakeModel(id: id, server: kind, contextTokens: 18000)
    ) { _ in .chatStream(deltas: ["ok"]) }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--pages", "1", "--server", server.baseURL, "--stats",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let request = try #require(server.requests.first)
    let json = try body(request)
    let (width, height) = try imageSize(request)
    #expect(max(width, height) == side)
    #expect(json["temperature"] as? Double == 0.2)
    #expect(json["top_p"] as? Double == topP)
    let profile = try #require(ModelProfile.matching(id))
    let expected = TokenBudget.maxTokens(
      contextTokens: 18000, width: width, height: height, tokenSide: profile.imageTokenSide)
    #expect(json["max_tokens"] as? Int == expected)
    #expect(
      result.stderr.contains("engine: server \(server.baseURL) · \(profile.name) · \(side) px —"))
  }

  @Test func aSmallPageIsNeverUpscaled() async throws {
    let server = try FakeOCRServer(model: FakeModel(id: "lightonai/LightOnOCR-3-4B", server: .vllm))
    { _ in
      .chatStream(deltas: ["ok"])
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let size = try imageSize(try #require(server.requests.first))
    #expect(size == (1275, 1650))
  }

  @Test func explicitFlagsWinOverTheProfile() async throws {
    let server = try FakeOCRServer(model: FakeModel(id: "lightonai/LightOnOCR-3-4B", server: .vllm))
    { _ in
      .chatStream(deltas: ["ok"])
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--pages", "1", "--server", server.baseURL,
      "--max-side", "800", "--top-p", "0.5", "--temperature", "0.1", "--max-tokens", "77",
      "--stats",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let request = try #require(server.requests.first)
    let json = try body(request)
    let size = try imageSize(request)
    #expect(max(size.0, size.1) == 800)
    #expect(json["top_p"] as? Double == 0.5)
    #expect(json["temperature"] as? Double == 0.1)
    #expect(json["max_tokens"] as? Int == 77)
    #expect(result.stderr.contains("LightOnOCR-3-4B · 800 px"))
  }

  @Test func groundingStreamsTheTextWithoutMarkupAndDropsLabels() async throws {
    let server = try FakeOCRServer(model: FakeModel(id: "LightOnOCR-3-1B-Q8_0.gguf")) { request in
      FakeGrounding.responder()(request)
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--pages", "1", "--server", server.baseURL, "--grounding",
      "--drop", "header,footer,page_number", "--stats",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(server.requests.first?.promptText == "grounding")
    let text = GroundedText.plain(FakeGrounding.page, drop: ["header", "footer", "page_number"])
    #expect(result.stdout == "<!-- page 1 -->\n\n\(text)\n")
    #expect(result.stderr.contains("LightOnOCR-3-1B · 1540 px · grounding"))
  }

  @Test func groundingJSONLinesListTheBlocks() async throws {
    let server = try FakeOCRServer(model: FakeModel(id: "lightonai/LightOnOCR-3-4B", server: .vllm))
    { request in
      FakeGrounding.responder()(request)
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--pages", "1", "--server", server.baseURL, "--grounding",
      "--format", "jsonl",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let blocks = try #require(json["blocks"] as? [[String: Any]])
    #expect(blocks.count == 7)
    #expect(blocks.first?["box_px"] as? [Int] != nil)
  }

  @Test func groundingIsRefusedForAModelWithoutIt() async throws {
    let server = try FakeOCRServer(model: FakeModel(id: "lightonai/LightOnOCR-2-1B", server: .vllm))
    { _ in
      .chatStream(deltas: ["ok"])
    }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--server", server.baseURL, "--grounding",
    ])
    #expect(result.status == 2)
    #expect(result.stderr == "ocrview: \(ProfileError.noGrounding(model: "LightOnOCR-2-1B"))\n")
    #expect(server.requests.isEmpty)
  }

  @Test func anUnknownDropLabelIsAUsageError() async throws {
    let result = try await CLI.run(["ocr", CLI.asset("sample.pdf"), "--drop", "header,banner"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("\"banner\" is not a block label"))
  }

  @Test func doctorNamesTheProfileAndTheContext() async throws {
    let server = try FakeOCRServer(
      slots: 2, model: FakeModel(id: "LightOnOCR-3-1B-Q8_0.gguf", contextTokens: 16384)
    ) { _ in .chatStream(deltas: ["x"]) }
    let result = try await CLI.run(["doctor", "--server", server.baseURL])
    #expect(
      result.stdout.contains(
        "model LightOnOCR-3-1B-Q8_0.gguf (LightOnOCR-3-1B · 1540 px), context 8192 tokens, 2 slots"),
      "\(result.stdout)")
  }
}

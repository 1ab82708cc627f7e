import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// Token log-probabilities: parsed from llama-server's and vLLM's shapes, asked for while the
/// server gives them, and turned into a page's confidence.
@Suite struct LogprobsWireTests {
  /// A stream chunk as llama-server writes it with `logprobs: true, top_logprobs: 1`
  /// (`to_json_oaicompat_chat` of a partial result, keys in its order). An entry's `token` and
  /// `bytes` are the chunk's text (`text_to_send`); an alternative's `token` may be cut to its
  /// valid UTF-8 prefix (here: empty) while its `bytes` hold all of it.
  static let llamaChunk =
    #"data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Hello"},"logprobs":{"content":[{"id":9707,"token":"Hello","bytes":[72,101,108,108,111],"logprob":-0.0021877,"top_logprobs":[{"id":9707,"token":"Hello","bytes":[72,101,108,108,111],"logprob":-0.0021877}]}]}}],"created":1767225600,"id":"chatcmpl-x","model":"LightOnOCR-1B-1025-Q8_0.gguf","system_fingerprint":"b11434-abc","object":"chat.completion.chunk"}"#
    + "\n\n"
    + #"data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" 안"},"logprobs":{"content":[{"id":18411,"token":" 안","bytes":[32,236,149,136],"logprob":-1.2039728,"top_logprobs":[{"id":18412,"token":"","bytes":[236,149],"logprob":-1.6094379}]}]}}],"created":1767225600,"id":"chatcmpl-x","model":"LightOnOCR-1B-1025-Q8_0.gguf","system_fingerprint":"b11434-abc","object":"chat.completion.chunk"}"#
    + "\n\n"
    + #"data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1767225600,"id":"chatcmpl-x","model":"LightOnOCR-1B-1025-Q8_0.gguf","system_fingerprint":"b11434-abc","object":"chat.completion.chunk","timings":{"cache_n":0,"prompt_n":1024,"prompt_ms":85.5,"prompt_per_token_ms":0.0835,"prompt_per_second":11976.6,"predicted_n":2,"predicted_ms":25,"predicted_per_token_ms":12.5,"predicted_per_second":80}}"#
    + "\n\ndata: [DONE]\n\n"

  /// vLLM's `ChatCompletionStreamResponse` with `ChatCompletionLogProbs` (no `id`s; its
  /// `logprob` is at least -9999.0).
  static let vllmChunk =
    #"data: {"id":"chatcmpl-7f","object":"chat.completion.chunk","created":1767225600,"model":"lightonai/LightOnOCR-2-1B","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":{"content":[{"token":"Hello","logprob":-0.0021877,"bytes":[72,101,108,108,111],"top_logprobs":[{"token":"Hello","logprob":-0.0021877,"bytes":[72,101,108,108,111]}]}]},"finish_reason":null}]}"#
    + "\n\n"
    + #"data: {"id":"chatcmpl-7f","object":"chat.completion.chunk","created":1767225600,"model":"lightonai/LightOnOCR-2-1B","choices":[{"index":0,"delta":{"content":" world"},"logprobs":{"content":[{"token":" world","logprob":-9999.0,"bytes":[32,119,111,114,108,100],"top_logprobs":[]}]},"finish_reason":"stop"}]}"#
    + "\n\ndata: [DONE]\n\n"

  func parse(_ text: String, splitEvery step: Int) throws -> ChatStreamParser {
    var parser = ChatStreamParser()
    let bytes = Array(text.utf8)
    var deltas: [String] = []
    for start in stride(from: 0, to: bytes.count, by: step) {
      deltas += try parser.feed(bytes[start..<min(start + step, bytes.count)])
    }
    #expect(parser.isComplete)
    return parser
  }

  @Test func llamaServersStreamShapeGivesEachTokensBytesAndLogprob() throws {
    for step in [1, 7, 4096] {
      let parser = try parse(Self.llamaChunk, splitEvery: step)
      var hello = TokenLogprob("Hello", logprob: -0.0021877)
      hello.offset = 0
      var second = TokenLogprob(bytes: [32, 236, 149, 136], logprob: -1.2039728)
      second.offset = 5  // where its chunk's delta starts
      #expect(parser.info.tokenLogprobs == [hello, second])
    }
  }

  @Test func vllmsStreamShapeToo() throws {
    let parser = try parse(Self.vllmChunk, splitEvery: 5)
    #expect(parser.info.tokenLogprobs.map(\.bytes) == [Array("Hello".utf8), Array(" world".utf8)])
    #expect(parser.info.tokenLogprobs.map(\.logprob) == [-0.0021877, TokenLogprob.floor])
  }

  @Test func batchBodiesOfBothServers() throws {
    let llama = Array(
      #"{"choices":[{"finish_reason":"stop","index":0,"message":{"role":"assistant","content":"Hi there"},"logprobs":{"content":[{"id":1,"token":"Hi","bytes":[72,105],"logprob":-0.5,"top_logprobs":[{"id":1,"token":"Hi","bytes":[72,105],"logprob":-0.5}]},{"id":2,"token":" there","bytes":[32,116,104,101,114,101],"logprob":-3.4028234663852886e+38,"top_logprobs":[]}]}}],"created":1,"model":"m","system_fingerprint":"b","object":"chat.completion","usage":{"completion_tokens":2,"prompt_tokens":3,"total_tokens":5},"id":"chatcmpl-y"}"#
        .utf8)
    var parser = ChatStreamParser()
    #expect(try parser.parseBatch(llama) == "Hi there")
    // A probability of 0 comes as the lowest float: kept as the floor, not -3.4e38.
    #expect(parser.info.tokenLogprobs.map(\.logprob) == [-0.5, TokenLogprob.floor])
    let vllm = Array(
      #"{"id":"chatcmpl-z","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","reasoning_content":null,"tool_calls":[]},"logprobs":{"content":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[]}]},"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":3,"total_tokens":4,"completion_tokens":1}}"#
        .utf8)
    var second = ChatStreamParser()
    #expect(try second.parseBatch(vllm) == "Hi")
    #expect(second.info.tokenLogprobs == [TokenLogprob("Hi", logprob: -0.25)])
  }

  /// Garbage where the log-probabilities go costs their figures, never the text.
  @Test func garbageLogprobsLoseNoText() throws {
    let chunks = [
      #"{"choices":[{"index":0,"delta":{"content":"a"},"logprobs":"nonsense"}]}"#,
      #"{"choices":[{"index":0,"delta":{"content":"b"},"logprobs":{"content":7}}]}"#,
      #"{"choices":[{"index":0,"delta":{"content":"c"},"logprobs":{"content":[1,null,{"token":5,"logprob":"x","bytes":[999]},{"token":"c","logprob":1e400},{"token":"d","logprob":0.5}]}}]}"#,
      #"{"choices":[{"index":0,"delta":{"content":"e"},"logprobs":null,"finish_reason":"stop"}]}"#,
    ]
    let sse = chunks.map { "data: \($0)\n\n" }.joined()
    var parser = ChatStreamParser()
    let deltas = try parser.feed(Array(sse.utf8))
    #expect(deltas == ["a", "b", "c", "e"])
    #expect(parser.info.malformedChunks == 0)
    // The entry with a bad token and logprob keeps nothing but its (absent) bytes; 1e400 is
    // not a Double (skipped); a positive logprob is clamped to 0.
    #expect(parser.info.tokenLogprobs.map(\.logprob).contains(0))
    #expect(parser.info.tokenLogprobs.allSatisfy { ($0.logprob ?? 0) <= 0 })
  }

  /// A server sending endless entries fills no more than the page's text could hold.
  @Test func hugeArraysAreBounded() throws {
    let entry = #"{"token":"x","logprob":-0.1}"#
    let chunk =
      #"{"choices":[{"index":0,"delta":{"content":"x"},"logprobs":{"content":["#
      + Array(repeating: entry, count: 5000).joined(separator: ",") + "]}}]}"
    var parser = ChatStreamParser(textLimit: 1000)
    _ = try parser.feed(Array("data: \(chunk)\n\ndata: \(chunk)\n\n".utf8))
    #expect(parser.info.tokenLogprobs.count == 1000)
  }

  @Test func theRequestAsksForOneAlternativeOnlyWhenAsked() throws {
    let image = PageImage(number: 1, bytes: [1], mimeType: "image/png", width: 1, height: 1)
    func json(_ logprobs: Bool) throws -> [String: Any] {
      let body = ChatRequest.body(
        for: image, mode: .stream, settings: GenerationSettings(), logprobs: logprobs)
      return try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    }
    let asked = try json(true)
    #expect(asked["logprobs"] as? Bool == true && asked["top_logprobs"] as? Int == 1)
    let plain = try json(false)
    #expect(plain["logprobs"] == nil && plain["top_logprobs"] == nil)
  }
}

/// A page's confidence from its tokens, without I/O.
@Suite struct TokenConfidenceTests {
  func tokens(_ pairs: [(String, Double)]) -> [TokenLogprob] {
    pairs.map { TokenLogprob($0.0, logprob: $0.1) }
  }

  @Test func meanAndShareOfLowTokens() throws {
    let text = "The total is 42.\n"
    let confidence = try #require(
      TokenConfidence.measure(
        tokens([
          ("The", -0.01), (" total", -0.02), (" is", -0.01), (" 4", -1.5), ("2", -0.9),
          (".\n", -0.01),
        ]),
        text: text))
    #expect(confidence.tokens == 6)
    #expect(abs(confidence.meanLogprob - (-2.45 / 6)) < 1e-9)
    #expect(abs(confidence.lowShare - 2.0 / 6) < 1e-9)
    #expect(confidence.lowLines == [1])
  }

  @Test func linesWhereLowTokensClusterAreMarkedNotALoneDoubtInALongLine() throws {
    let text =
      "# Invoice\n\nA long line of many sure words with one odd wordd here.\n| 3 | 7 |\nEnd\n"
    var pairs: [(String, Double)] = [("# Invoice", -0.01), ("\n\n", -0.01)]
    // Line 3: one low token among fourteen — not marked.
    for word in "A long line of many sure words with one odd".split(separator: " ") {
      pairs.append(((pairs.count == 2 ? "" : " ") + word, -0.01))
    }
    pairs += [(" wordd", -2.3), (" here", -0.01), (".\n", -0.01)]
    // Line 4: two low tokens — marked.
    pairs += [("| ", -0.01), ("3", -1.2), (" | ", -0.01), ("7", -0.8), (" |\n", -0.01)]
    // Line 5: sure.
    pairs += [("End", -0.01), ("\n", -0.01)]
    let confidence = try #require(TokenConfidence.measure(tokens(pairs), text: text))
    #expect(confidence.lowLines == [4])
    // A short line with one doubtful token of three is marked.
    let short = try #require(
      TokenConfidence.measure(
        tokens([("Page", -0.01), ("\n", -0.01), ("1", -3.0), ("7", -0.01)]), text: "Page\n17"))
    #expect(short.lowLines == [2])
  }

  /// Entries whose `bytes` fall short of their chunk's text (here: only part of each
  /// character) would shift every later token; anchored at each chunk's delta, the tokens
  /// after such a line still land on their own line.
  @Test func tokensLostInsideCharactersDoNotShiftLaterLines() throws {
    let first = "가나다라마바사아자차\n"
    let text = first + "x y z\n"
    var list: [TokenLogprob] = []
    var at = 0
    for character in first {
      // Only the token finishing each character comes, with the chunk's offset.
      var token = TokenLogprob(bytes: Array(String(character).utf8).suffix(2), logprob: -0.01)
      token.offset = at
      list.append(token)
      at += String(character).utf8.count
    }
    for (word, logprob) in [("x", -2.0), (" y", -2.0), (" z\n", -0.01)] {
      var token = TokenLogprob(word, logprob: logprob)
      token.offset = at
      list.append(token)
      at += word.utf8.count
    }
    let confidence = try #require(TokenConfidence.measure(list, text: text))
    #expect(confidence.lowLines == [2])
    // Without the anchors the same tokens drift ten bytes back, onto line 1.
    let drifting = list.map { TokenLogprob(bytes: $0.bytes, logprob: $0.logprob) }
    #expect(TokenConfidence.measure(drifting, text: text)?.lowLines == [1])
  }

  @Test func tokensPastTheKeptTextDoNotCount() throws {
    // The loop guard kept "ab\n"; the tokens after it were cut off with the loop.
    let confidence = try #require(
      TokenConfidence.measure(
        tokens([("ab", -0.1), ("\n", -0.1), ("ab", -5), ("\n", -5)]), text: "ab\n"))
    #expect(confidence.tokens == 2)
    #expect(confidence.lowShare == 0)
  }

  @Test func noLogprobsNoConfidence() {
    #expect(TokenConfidence.measure([], text: "x") == nil)
    #expect(TokenConfidence.measure([TokenLogprob("x", logprob: nil)], text: "x") == nil)
    #expect(TokenConfidence.measure(tokens([("x", -0.1)]), text: "") == nil)
  }

  /// Whatever a server sends — extreme values, more tokens than text, bytes that do not match
  /// the text — the figures stay finite and in range.
  @Test func hostileTokensGiveFiniteFigures() throws {
    var random = SplitMix64(seed: 22)
    for _ in 0..<200 {
      let text = String(
        (0..<Int(random.next() % 40)).map { _ in "ab \n한".randomElement(using: &random)! })
      let list = (0..<Int(random.next() % 60)).map { _ in
        TokenLogprob(
          bytes: (0..<Int(random.next() % 5)).map { _ in UInt8(random.next() % 256) },
          logprob: [-Double.greatestFiniteMagnitude, -1e-300, 0, 3, -7, .nan, -.infinity][
            Int(random.next() % 7)])
      }
      guard let confidence = TokenConfidence.measure(list, text: text) else { continue }
      #expect(confidence.meanLogprob.isFinite && confidence.meanLogprob <= 0)
      #expect(confidence.meanLogprob >= TokenLogprob.floor)
      #expect((0...1).contains(confidence.lowShare))
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
      #expect(confidence.lowLines.allSatisfy { (1...lines).contains($0) })
    }
  }
}

/// The server engine asks for log-probabilities through libcurl, and stops asking a server
/// that refuses them.
@Suite struct LogprobsEngineTests {
  let page = PageImage(
    number: 1, bytes: Array("fake png".utf8), mimeType: "image/png", width: 10, height: 10)

  func engine(_ server: FakeOCRServer) -> ChatCompletionsEngine {
    ChatCompletionsEngine(
      endpoint: ServerEndpoint(server.baseURL)!, settings: GenerationSettings(), apiKey: nil,
      transport: ChatCompletionsEngineTests.transport)
  }

  func read(_ engine: ChatCompletionsEngine, mode: OCRMode = .stream) async throws -> (
    String, CompletionInfo
  ) {
    var text = ""
    var info: CompletionInfo?
    for try await output in engine.recognize(page, mode: mode) {
      switch output {
      case .delta(let delta): text += delta
      case .finished(let completion): info = completion
      }
    }
    return (text, try #require(info))
  }

  @Test func eachTokensLogprobComesBackInBothModes() async throws {
    let doubtful = FakeLogprobs { _, token in token.hasPrefix("4") ? -1.6 : -0.01 }
    let server = try FakeOCRServer(
      responder: FakeResponder.transcript(["Total: 42 EUR"], logprobs: doubtful))
    let engine = engine(server)
    for mode in OCRMode.allCases {
      let (text, info) = try await read(engine, mode: mode)
      #expect(text == "Total: 42 EUR")
      #expect(
        info.tokenLogprobs.map { String(decoding: $0.bytes, as: UTF8.self) } == [
          "Total: ", "42 ", "EUR",
        ])
      #expect(info.tokenLogprobs.map(\.logprob) == [-0.01, -1.6, -0.01])
    }
    #expect(server.requests.allSatisfy { $0.wantsLogprobs && $0.topLogprobs == 1 })
  }

  @Test(arguments: [FakeModel.Server.llamaServer, .vllm])
  func aServerThatRefusesIsAskedOnceAndThePageReadWithout(_ kind: FakeModel.Server) async throws {
    let server = try FakeOCRServer(model: FakeModel(server: kind)) { request in
      request.wantsLogprobs
        ? .logprobsRefused(by: kind) : .chatStream(deltas: ["page ", "text"])
    }
    let engine = engine(server)
    for _ in 0..<3 {
      let (text, info) = try await read(engine)
      #expect(text == "page text")
      #expect(info.tokenLogprobs.isEmpty)
    }
    // Asked once, refused, the page sent again at once without; never asked again.
    #expect(server.requests.map(\.wantsLogprobs) == [true, false, false, false])
  }
}

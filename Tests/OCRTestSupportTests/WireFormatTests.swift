import Foundation
import Testing

@testable import OCRTestSupport

@Suite struct WireFormatTests {
  @Test func doublesAreFormattedLikeNlohmannJSON() {
    let cases: [(Double, String)] = [
      (12.0, "12.0"), (180.025, "180.025"), (2.400333333333333, "2.400333333333333"),
      (416.60880433273155, "416.60880433273155"), (0.0001, "0.0001"), (0.00001, "1e-05"),
      (1e14, "100000000000000.0"), (1e15, "1e+15"), (1e16, "1e+16"), (123456.5, "123456.5"),
      (-0.5, "-0.5"), (0, "0.0"), (1.5e-7, "1.5e-07"), (Double.infinity, "null"),
    ]
    for (value, expected) in cases {
      #expect(JSONValue.format(value) == expected, "\(value)")
    }
  }

  @Test func stringsAreEscapedLikeNlohmannJSON() {
    let value = JSONValue.string("a\"b\\c/d\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}é한😀")
    #expect(value.serialized == #""a\"b\\c/d\n\r\t\b\f\u0001\u001f"# + "\u{7F}é한😀\"")
  }

  @Test func timingsUseLlamaServersArithmetic() {
    // prompt numbers from a real b6497 stream (llama.cpp issue #16048)
    let timings = FakeTimings(promptN: 75, promptMs: 180.025, predictedN: 31, predictedMs: 875.429)
    #expect(
      timings.json.serialized
        == #"{"cache_n":0,"prompt_n":75,"prompt_ms":180.025,"prompt_per_token_ms":2.400333333333333,"prompt_per_second":416.60880433273155,"predicted_n":31,"predicted_ms":875.429,"predicted_per_token_ms":28.239645161290323,"predicted_per_second":35.41120981827196}"#
    )
  }

  @Test(arguments: [
    "", "word", "  leading spaces", "Hello world\n\n| a | b |\n| --- | --- |\n",
    "수식 $E = mc^2$ 과\t표\n", "trailing   ", "\n\n\n", "one two three four five six seven",
  ])
  func tokensJoinBackToTheText(text: String) {
    for n in 1...4 {
      let tokens = FakeResponse.tokens(of: text, wordsPerDelta: n)
      #expect(tokens.joined() == text)
      #expect(!tokens.contains(""))
    }
  }

  @Test func tokensAreWordsWithTheirFollowingSpace() {
    #expect(
      FakeResponse.tokens(of: "# Title\n\nSome text", wordsPerDelta: 1) == [
        "# ", "Title\n\n", "Some ", "text",
      ])
    #expect(FakeResponse.tokens(of: "a b c d e", wordsPerDelta: 2) == ["a b ", "c d ", "e"])
    #expect(FakeResponse.tokens(of: "  x y", wordsPerDelta: 1) == ["  x ", "y"])
  }

  @Test func pagesSplitAtSeparatorLines() {
    let transcript = """
      <!-- page 1 -->

      # One

      text
      <!-- page 2 -->
      Two
      <!-- page 3 -->

      <!-- page 4 -->
      Four <!-- page 9 --> inline is not a separator

      """
    #expect(
      FakeResponder.pages(fromTranscript: transcript) == [
        "# One\n\ntext", "Two", "", "Four <!-- page 9 --> inline is not a separator",
      ])
    #expect(FakeResponder.pages(fromTranscript: "just text\n") == ["just text"])
    #expect(
      FakeResponder.pages(fromTranscript: "preamble\n<!-- page 1 -->\np1") == ["preamble", "p1"])
  }

  @Test func sseBytesOfEvents() {
    let env = LlamaWire.Envelope(id: "chatcmpl-X", created: 7)
    let bytes = FakeResponse.sseBytes(
      [
        .role, .delta("hi"), .delta(""), .ping, .comment("keep-alive"), .malformed("{oops"),
        .error(code: 500, message: "boom", type: "server_error"), .done,
      ],
      envelope: env)
    let tail =
      #""created":7,"id":"chatcmpl-X","model":"LightOnOCR-1B-1025-Q8_0.gguf","system_fingerprint":"b11434-fakeocr","object":"chat.completion.chunk"}"#
    let expected =
      #"data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"#
      + tail + "\n\n"
      + #"data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"hi"}}],"# + tail
      + "\n\n"
      + #"data: {"choices":[{"finish_reason":null,"index":0,"delta":{}}],"# + tail + "\n\n"
      + ":\n\n: keep-alive\n\ndata: {oops\n\n"
      + #"data: {"error":{"code":500,"message":"boom","type":"server_error"}}"# + "\n\n"
      + "data: [DONE]\n\n"
    #expect(String(decoding: bytes, as: UTF8.self) == expected)
  }

  @Test func usageReportingStyles() {
    let env = LlamaWire.Envelope(id: "chatcmpl-X", created: 7)
    let timings = FakeTimings(promptN: 10, promptMs: 100, predictedN: 2, predictedMs: 50)
    func text(_ usage: UsageReporting) -> String {
      String(
        decoding: FakeResponse.sseBytes(
          [.finish("length")], usage: usage, envelope: env, timings: timings), as: UTF8.self)
    }
    let head =
      #"data: {"choices":[{"finish_reason":"length","index":0,"delta":{}}],"created":7,"id":"chatcmpl-X","model":"LightOnOCR-1B-1025-Q8_0.gguf","system_fingerprint":"b11434-fakeocr","object":"chat.completion.chunk""#
    let usage = #""usage":{"completion_tokens":2,"prompt_tokens":10,"total_tokens":12}"#
    let timingsJSON =
      #""timings":{"cache_n":0,"prompt_n":10,"prompt_ms":100.0,"prompt_per_token_ms":10.0,"prompt_per_second":100.0,"predicted_n":2,"predicted_ms":50.0,"predicted_per_token_ms":25.0,"predicted_per_second":40.0}"#
    #expect(text(.inFinalChunk) == head + "," + usage + "," + timingsJSON + "}\n\n")
    #expect(text(.none) == head + "," + timingsJSON + "}\n\n")
    #expect(
      text(.separateChunk)
        == head + "}\n\n"
        + #"data: {"choices":[],"created":7,"id":"chatcmpl-X","model":"LightOnOCR-1B-1025-Q8_0.gguf","system_fingerprint":"b11434-fakeocr","object":"chat.completion.chunk","#
        + usage + "," + timingsJSON + "}\n\n")
  }

  @Test func completionIDsLookLikeLlamaServers() {
    let id = LlamaWire.newCompletionID()
    #expect(id.hasPrefix("chatcmpl-") && id.count == 41)
    #expect(id.dropFirst(9).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
  }
}

import Testing

@testable import OCRKit

@Suite struct ChatStreamParserTests {
  /// Bytes as llama-server sends them: role chunk, content, final chunk with timings, [DONE].
  static let llamaStream = """
    data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"object":"chat.completion.chunk"}

    data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"# 제목"}}],"object":"chat.completion.chunk"}

    : keep-alive

    data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"\\n\\nText"}}],"object":"chat.completion.chunk"}

    data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"usage":{"completion_tokens":3,"prompt_tokens":900,"total_tokens":903},"timings":{"cache_n":0,"prompt_n":900,"prompt_ms":120.5,"predicted_n":3,"predicted_ms":30.1,"predicted_per_second":99.6}}

    data: [DONE]


    """

  @Test func readsDeltasFinishReasonUsageAndTimings() throws {
    var parser = ChatStreamParser()
    let deltas = try parser.feed(Array(Self.llamaStream.utf8))
    #expect(deltas == ["# 제목", "\n\nText"])
    #expect(parser.isComplete)
    #expect(parser.info.finishReason == "stop")
    #expect(parser.info.usage?.completionTokens == 3)
    #expect(parser.info.timings?.promptN == 900)
    #expect(parser.info.timings?.predictedPerSecond == 99.6)
  }

  @Test func sameTextWhenSplitAtEveryByteIncludingInsideHangul() throws {
    var parser = ChatStreamParser()
    var text = ""
    for byte in Self.llamaStream.utf8 { text += try parser.feed([byte]).joined() }
    #expect(text == "# 제목\n\nText")
    #expect(parser.isComplete)
  }

  @Test func skipsAndCountsAMalformedChunkWithoutLosingLaterOnes() throws {
    var parser = ChatStreamParser()
    let wire = """
      data: {"choices":[{"delta":{"content":"a"}}]}

      data: {"choices":[{"delta":{"content":

      data: {"choices":[{"delta":{"content":"b"}}]}


      """
    #expect(try parser.feed(Array(wire.utf8)) == ["a", "b"])
    #expect(parser.info.malformedChunks == 1)
    #expect(!parser.isComplete)
  }

  @Test func aMidStreamErrorEventComesAfterTheTextBeforeItInTheSameRead() throws {
    var parser = ChatStreamParser()
    let wire =
      "data: {\"choices\":[{\"delta\":{\"content\":\"kept\"}}]}\n\n"
      + "data: {\"error\":{\"code\":500,\"message\":\"slot crashed\",\"type\":\"server_error\"}}\n\n"
      + "data: {\"choices\":[{\"delta\":{\"content\":\"after\"}}]}\n\n"
    // One read with text, then the error: the text is not lost (fuzzing found it was).
    #expect(try parser.feed(Array(wire.utf8)) == ["kept"])
    #expect(parser.streamError == .streamError(message: "slot crashed"))
    #expect(throws: ServerError.streamError(message: "slot crashed")) {
      try parser.feed(Array("data: [DONE]\n\n".utf8))
    }
  }

  @Test func replacesInvalidUTF8InsteadOfFailing() throws {
    var parser = ChatStreamParser()
    var wire = Array("data: {\"choices\":[{\"delta\":{\"content\":\"a".utf8)
    wire += [0xFF, 0xFE]
    wire += Array("b\"}}]}\n\n".utf8)
    #expect(try parser.feed(wire) == ["a\u{FFFD}\u{FFFD}b"])
  }

  @Test func parsesABatchBody() throws {
    var parser = ChatStreamParser()
    let body = """
      {"choices":[{"finish_reason":"length","index":0,"message":{"role":"assistant","content":"whole page"}}],"usage":{"completion_tokens":4096}}
      """
    #expect(try parser.parseBatch(Array(body.utf8)) == "whole page")
    #expect(parser.info.finishReason == "length")
    #expect(parser.info.usage?.completionTokens == 4096)
  }

  @Test func aBatchBodyThatIsNotJSONSaysSo() {
    var parser = ChatStreamParser()
    #expect(throws: ServerError.self) { try parser.parseBatch(Array("<html>".utf8)) }
  }
}

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
    #expect(parser.failure == .streamError(message: "slot crashed"))
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

  /// A server sending `n > 1` answers (or a hostile one) interleaves other choices: only index
  /// 0 is the page's text, and only its finish reason ends it.
  @Test func onlyTheFirstChoiceIsThePage() throws {
    var parser = ChatStreamParser()
    let stream = """
      data: {"choices":[{"index":0,"delta":{"content":"page"}},{"index":1,"delta":{"content":"OTHER"}}]}

      data: {"choices":[{"index":1,"delta":{"content":"MORE"},"finish_reason":"stop"}]}

      data: {"choices":[{"delta":{"content":" text"}}]}


      """
    #expect(try parser.feed(Array(stream.utf8)) == ["page", " text"])
    #expect(parser.info.finishReason == nil && !parser.isComplete)
    var batch = ChatStreamParser()
    let body = """
      {"choices":[{"index":1,"message":{"content":"OTHER"}},{"index":0,"finish_reason":"stop","message":{"content":"page"}}]}
      """
    #expect(try batch.parseBatch(Array(body.utf8)) == "page")
    #expect(batch.info.finishReason == "stop")
    var onlyOther = ChatStreamParser()
    let other = #"{"choices":[{"index":1,"message":{"content":"OTHER"}}]}"#
    #expect(throws: ServerError.self) { try onlyOther.parseBatch(Array(other.utf8)) }
  }

  @Test func aBatchBodyThatIsNotJSONSaysSo() {
    var parser = ChatStreamParser()
    #expect(throws: ServerError.self) { try parser.parseBatch(Array("<html>".utf8)) }
  }

  @Test func anEndlessLineFailsTheStreamKeepingTheTextBeforeIt() throws {
    var parser = ChatStreamParser()
    let wire =
      Array("data: {\"choices\":[{\"delta\":{\"content\":\"kept\"}}]}\n\ndata: ".utf8)
      + [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20)
    #expect(try parser.feed(wire) == ["kept"])
    #expect(parser.failure == .tooLarge(.line(bytes: 1 << 20)))
    #expect(throws: ServerError.tooLarge(.line(bytes: 1 << 20))) {
      try parser.feed(Array("\n\ndata: [DONE]\n\n".utf8))
    }
    #expect(
      ServerError.tooLarge(.line(bytes: 1 << 20)).description.hasPrefix(
        "the server sent a 1 MiB line without a newline — not an OpenAI-compatible stream?"))
  }

  @Test func moreTextThanThePageMayHaveFailsAfterTheTextThatFits() throws {
    var parser = ChatStreamParser(textLimit: 10)
    let wire = ["1234", "5678", "90", "x", "more"].map {
      "data: {\"choices\":[{\"delta\":{\"content\":\"\($0)\"}}]}\n\n"
    }.joined()
    #expect(try parser.feed(Array(wire.utf8)) == ["1234", "5678", "90"])
    #expect(parser.failure == .tooLarge(.pageText(bytes: 10)))
    #expect(ChatStreamParser.textLimit(maxTokens: 4096) == 256 << 10)
  }

  @Test func aLoneSurrogateEscapeIsAReplacementCharacterAtEverySplit() throws {
    // A lone high and a lone low surrogate, a valid pair, and an escaped backslash before
    // "ud800", which is text, not an escape.
    let wire = #"""
      data: {"choices":[{"delta":{"content":"a\ud800b\udc00c\ud83d\ude00d\\ud800"}}]}

      data: [DONE]


      """#
    let expected = "a\u{FFFD}b\u{FFFD}c😀d\\ud800"
    var whole = ChatStreamParser()
    #expect(try whole.feed(Array(wire.utf8)) == [expected])
    #expect(whole.info.malformedChunks == 0)
    var byByte = ChatStreamParser()
    var text = ""
    for byte in wire.utf8 { text += try byByte.feed([byte]).joined() }
    #expect(text == expected)
  }

  @Test func aByteOrderMarkAtTheStartKeepsTheFirstDelta() throws {
    var parser = ChatStreamParser()
    let wire: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Self.llamaStream.utf8)
    #expect(try parser.feed(wire) == ["# 제목", "\n\nText"])
    #expect(parser.isComplete)
  }

  @Test func anErrorEventsMessageBecomesOneLineWithoutTerminalControls() throws {
    var parser = ChatStreamParser()
    let wire = #"data: {"error":{"message":"bad\u001b]0;pwned\u0007\r\nnow\u001b[2J\u009b1m"}}"#
    _ = try parser.feed(Array((wire + "\n\n").utf8))
    #expect(parser.failure == .streamError(message: #"bad\x1b]0;pwned\x07 now\x1b[2J\x9b1m"#))
  }
}

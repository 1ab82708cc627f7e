import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// Servers that send too much, echo secrets, send terminal controls, malformed events, or hold
/// the connection after the last chunk: the page ends as it should, and nothing leaks.
extension ChatCompletionsEngineTests {
  @Test func anEndlessLineFailsThePageKeepsItsTextAndStopsReading() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
    let server = try FakeOCRServer { _ in
      .stream(
        [.role, .delta("kept "), .delta("text"), .rawBytes(Array("data: ".utf8))]
          + Array(repeating: FakeEvent.rawBytes(junk), count: 48)  // 3 MiB, no line end
          + [.wait(gate), .finish("stop"), .done])
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["kept ", "text"])
    #expect(result == .failure(.server(.tooLarge(.line(bytes: 1 << 20)))))
    // The client hung up before the server was done sending: memory stayed bounded.
    #expect(await server.waitUntil { server.clientDisconnectsMidResponse == 1 })
  }

  @Test func moreTextThanMaxTokensAllowsFailsThePageAfterTheTextThatFits() async throws {
    let server = try FakeOCRServer { _ in
      .stream(
        [.role] + Array(repeating: .delta("0123456789"), count: 10) + [.finish("stop"), .done])
    }
    var engine = engine(server)
    engine.settings.maxTokens = 1  // 4 × 1 × 16 = 64 bytes
    let (deltas, result) = await read(engine)
    #expect(deltas == Array(repeating: "0123456789", count: 6))
    #expect(result == .failure(.server(.tooLarge(.pageText(bytes: 64)))))
  }

  @Test func aBatchBodyOverItsLimitFailsThePage() async throws {
    let server = try FakeOCRServer { _ in
      .raw(
        status: 200, contentType: LlamaWire.jsonContentType,
        body: [UInt8](repeating: UInt8(ascii: " "), count: 2 << 20))
    }
    var engine = engine(server)
    engine.settings.maxTokens = 1
    let (deltas, result) = await read(engine, mode: .batch)
    #expect(deltas.isEmpty)
    #expect(result == .failure(.server(.tooLarge(.body(bytes: 6 * 64 + (1 << 20))))))
  }

  @Test func aServerEchoingTheKeyHasItRedacted() async throws {
    let key = "sk-echo-98765"
    let server = try FakeOCRServer { request in
      let header = request.headers["authorization"] ?? "none"
      return request.index == 0
        ? .httpError(status: 401, message: "bad key in '\(header)'", type: "auth")
        : .stream([
          .role, .delta("a"), .error(code: 500, message: "headers: \(header)", type: "x"),
        ])
    }
    let (_, first) = await read(engine(server, apiKey: key))
    #expect(first == .failure(.server(.http(status: 401, message: "bad key in 'Bearer ***'"))))
    let (_, second) = await read(engine(server, apiKey: key))
    #expect(second == .failure(.server(.streamError(message: "headers: Bearer ***"))))
  }

  @Test func credentialsInTheServerURLAreSentButNeverShown() async throws {
    let server = try FakeOCRServer { request in
      .httpError(
        status: 401, message: "no user for \(request.headers["authorization"] ?? "none")",
        type: "auth")
    }
    let url = server.baseURL.replacingOccurrences(of: "://", with: "://ann:pa55word@")
    let engine = ChatCompletionsEngine(
      endpoint: try #require(ServerEndpoint(url)), settings: GenerationSettings(), apiKey: nil,
      transport: Self.transport)
    let (_, result) = await read(engine)
    let basic = Data("ann:pa55word".utf8).base64EncodedString()
    #expect(server.requests.first?.headers["authorization"] == "Basic \(basic)")
    #expect(result == .failure(.server(.http(status: 401, message: "no user for Basic ***"))))
    let shown = server.baseURL.replacingOccurrences(of: "://", with: "://***@")
    #expect(engine.label == "server \(shown)")
    #expect(engine.outputIdentity.contains("whatever \(shown) serves"))
  }

  @Test func terminalControlsInAnErrorBodyAreEscapedOnOneLine() async throws {
    let server = try FakeOCRServer { _ in
      .httpError(status: 400, message: "bad\u{1B}]0;owned\u{07}\r\nimage\u{1B}[2J", type: "x")
    }
    let (_, result) = await read(engine(server))
    #expect(
      result == .failure(.server(.http(status: 400, message: #"bad\x1b]0;owned\x07 image\x1b[2J"#)))
    )
  }

  @Test func aStreamOfOnlyMalformedEventsFailsEvenWithDone() async throws {
    let server = try FakeOCRServer { _ in
      .stream([.malformed("{"), .malformed("not json"), .malformed("{\"choices\":"), .done])
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas.isEmpty)
    #expect(result == .failure(.server(.invalidResponse(detail: "3 events were not JSON"))))
  }

  @Test func aByteOrderMarkBeforeTheStreamKeepsTheFirstDelta() async throws {
    let server = try FakeOCRServer { _ in
      .stream([
        .rawBytes([0xEF, 0xBB, 0xBF]), .delta("first"), .delta(" second"), .finish("stop"), .done,
      ])
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["first", " second"])
    #expect(try result.get().finishReason == "stop")
  }

  @Test func aLoneSurrogateInADeltaIsAReplacementCharacterNotALostDelta() async throws {
    let server = try FakeOCRServer { _ in
      .stream([
        .role, .malformed(#"{"choices":[{"delta":{"content":"half \ud83d"}}]}"#), .delta("!"),
        .finish("stop"), .done,
      ])
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["half \u{FFFD}", "!"])
    #expect(try result.get().malformedChunks == 0)
  }

  /// With `[DONE]` or without, the page ends on the finish chunk, not after the idle timeout.
  @Test(arguments: [false, true])
  func aServerHoldingTheConnectionAfterTheLastChunkDoesNotStallThePage(sendsDone: Bool)
    async throws
  {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer { _ in
      .stream(
        [.role, .delta("once"), .finish("stop")] + (sendsDone ? [.done] : []) + [.wait(gate)],
        usage: .separateChunk)
    }
    var engine = engine(server, idle: .seconds(60))
    engine.finishGrace = .milliseconds(50)
    let (deltas, result) = await read(engine)
    #expect(deltas == ["once"])
    let info = try result.get()
    #expect(info.finishReason == "stop")
    #expect(info.usage != nil)  // vLLM's and llama-server's separate usage chunk is kept
    #expect(server.requests.count == 1)
    #expect(await server.waitUntil { server.clientDisconnectsMidResponse == 1 })
    #expect(!gate.isOpen)
  }

  @Test func aConnectionClosedRightAfterTheFinishChunkStillCompletesThePage() async throws {
    let server = try FakeOCRServer { _ in .stream([.role, .delta("whole"), .finish("stop"), .drop])
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["whole"])
    #expect(try result.get().finishReason == "stop")
  }
}

import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// The server engine against the loopback fake llama-server: real curl, real sockets.
@Suite struct ChatCompletionsEngineTests {
  static let transport = CurlTransport()
  let page = PageImage(
    number: 1, bytes: Array("fake png".utf8), mimeType: "image/png", width: 10, height: 10)

  func engine(
    _ server: FakeOCRServer, apiKey: String? = nil, idle: Duration = .seconds(10),
    transport: CurlTransport = Self.transport
  ) -> ChatCompletionsEngine {
    var engine = ChatCompletionsEngine(
      endpoint: ServerEndpoint(server.baseURL)!, settings: GenerationSettings(), apiKey: apiKey,
      transport: transport)
    engine.idleTimeout = idle
    return engine
  }

  /// Runs one page; returns the deltas received and how it ended.
  func read(_ engine: ChatCompletionsEngine, mode: OCRMode = .stream) async -> (
    [String], Result<CompletionInfo, OCRError>
  ) {
    var deltas: [String] = []
    do {
      var info: CompletionInfo?
      for try await output in engine.recognize(page, mode: mode) {
        switch output {
        case .delta(let text): deltas.append(text)
        case .finished(let completion): info = completion
        }
      }
      guard let info else { return (deltas, .failure(.engine("no finish"))) }
      return (deltas, .success(info))
    } catch {
      return (deltas, .failure(OCRError(error)))
    }
  }

  @Test func streamsDeltasInOrderAndKeepsServerTimings() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["# Title", "\n\n본문", " text"]) }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["# Title", "\n\n본문", " text"])
    let info = try result.get()
    #expect(info.finishReason == "stop")
    #expect(info.timings?.predictedN == 3)
    let request = try #require(server.requests.first)
    #expect(request.isStream)
    #expect(
      request.imageDataURL == "data:image/png;base64,\(Data(page.bytes).base64EncodedString())")
  }

  /// The page's token cap travels with its result, so the viewer and `--stats` can show it.
  @Test func theRequestsMaxTokensComesBackWithThePage() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["text"]) }
    var settings = GenerationSettings()
    settings.maxTokens = 1234
    let engine = ChatCompletionsEngine(
      endpoint: ServerEndpoint(server.baseURL)!, settings: settings, apiKey: nil,
      transport: Self.transport)
    let (_, result) = await read(engine)
    #expect(try result.get().maxTokens == 1234)
    #expect(try #require(server.requests.first).maxTokens == 1234)
  }

  @Test func sameTextWhenTheServerSplitsWritesInsideCharacters() async throws {
    let text = ["한국어 ", "문단과 ", "English."]
    let server = try FakeOCRServer { _ in
      .stream(
        [.role] + text.map { .delta($0) } + [.ping, .finish("stop"), .done], splitWritesEvery: 3)
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas.joined() == text.joined())
    #expect((try? result.get()) != nil)
  }

  @Test func batchModeGetsTheWholePageAtOnce() async throws {
    let server = try FakeOCRServer { _ in .chatBatch(text: "whole page", delay: .milliseconds(50)) }
    let (deltas, result) = await read(engine(server), mode: .batch)
    #expect(deltas == ["whole page"])
    #expect(try result.get().finishReason == "stop")
    #expect(server.requests.first?.isStream == false)
  }

  @Test func httpErrorsCarryTheServersOwnMessage() async throws {
    let server = try FakeOCRServer { _ in .imageLoadError }
    let (_, result) = await read(engine(server))
    #expect(
      result == .failure(.server(.http(status: 400, message: "Failed to load image or audio file")))
    )
  }

  @Test func a503SaysTheModelIsLoading() async throws {
    let server = try FakeOCRServer { _ in .loading }
    let (_, result) = await read(engine(server))
    #expect(result == .failure(.server(.loading(url: server.baseURL))))
  }

  @Test func noServerIsUnreachable() async throws {
    // Port 9 (discard) is privileged and unused here: nothing answers. (A stopped fake's port
    // can be taken by another test's fake running in parallel.)
    let url = "http://127.0.0.1:9"
    let engine = ChatCompletionsEngine(
      endpoint: ServerEndpoint(url)!, settings: GenerationSettings(), apiKey: nil,
      transport: Self.transport)
    let (_, result) = await read(engine)
    guard case .failure(.server(.unreachable(let reported, _))) = result else {
      Issue.record("expected unreachable, got \(result)")
      return
    }
    #expect(reported == url)
    #expect(
      OCRError.server(.unreachable(url: url, detail: "x")).description.contains(
        "no OCR server at \(url)"))
  }

  @Test func aDroppedConnectionKeepsTheTextReceived() async throws {
    let server = try FakeOCRServer { _ in .stream([.role, .delta("kept "), .delta("text"), .drop]) }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["kept ", "text"])
    guard case .failure(.server(.cutOff)) = result else {
      Issue.record("expected cutOff, got \(result)")
      return
    }
  }

  @Test func aStreamEndingWithoutDoneIsIncomplete() async throws {
    let server = try FakeOCRServer { _ in .stream([.role, .delta("half")]) }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["half"])
    #expect(result == .failure(.server(.incomplete)))
  }

  @Test func aMidStreamErrorEventFailsThePageWithItsMessage() async throws {
    let server = try FakeOCRServer { _ in
      .stream([
        .role, .delta("a"), .error(code: 500, message: "KV cache full", type: "server_error"),
      ])
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["a"])
    #expect(result == .failure(.server(.streamError(message: "KV cache full"))))
  }

  @Test func textSentInTheSameWriteAsAnErrorEventIsKept() async throws {
    let server = try FakeOCRServer { _ in
      .stream(
        [.role, .delta("kept "), .delta("text"), .error(code: 500, message: "boom", type: "x")],
        splitWritesEvery: 1 << 20)  // every event in one write, so in one network read
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["kept ", "text"])
    #expect(result == .failure(.server(.streamError(message: "boom"))))
  }

  @Test func malformedChunksAreSkippedAndCounted() async throws {
    let server = try FakeOCRServer { _ in
      .stream([
        .role, .delta("a"), .malformed("{\"choices\":[{"), .delta("b"), .finish("stop"), .done,
      ])
    }
    let (deltas, result) = await read(engine(server))
    #expect(deltas == ["a", "b"])
    #expect(try result.get().malformedChunks == 1)
  }

  @Test func aBodyThatIsNotAChatCompletionSaysSo() async throws {
    let server = try FakeOCRServer { _ in
      .raw(status: 200, contentType: "text/html", body: Array("<html>hi</html>".utf8))
    }
    let (_, result) = await read(engine(server))
    guard case .failure(.server(.invalidResponse)) = result else {
      Issue.record("expected invalidResponse, got \(result)")
      return
    }
  }

  @Test func aStalledStreamTimesOutKeepingItsText() async throws {
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("before stall"), .pause(.seconds(10)), .finish("stop"), .done])
    }
    // 2 s: the first delta must come before it even on a loaded machine (300 ms once did not).
    let (deltas, result) = await read(engine(server, idle: .seconds(2)))
    #expect(deltas == ["before stall"])
    #expect(result == .failure(.server(.idleTimeout(seconds: 2))))
  }

  @Test func cancellingClosesTheConnectionSoTheServerStops() async throws {
    let gate = FakeGate()
    defer { gate.open() }
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("first"), .wait(gate), .delta("never")])
    }
    let engine = engine(server)
    let task = Task {
      var received: [String] = []
      for try await output in engine.recognize(page, mode: .stream) {
        if case .delta(let text) = output { received.append(text) }
      }
      return received
    }
    #expect(await server.waitUntil { server.responsesInFlight == 1 })
    try await Task.sleep(for: .milliseconds(50))
    let cancelledAt = ContinuousClock.now
    task.cancel()
    #expect(
      await server.waitUntil { server.clientDisconnectsMidResponse == 1 })
    // Reported, not asserted (shared machines are noisy): the target is under 100 ms.
    print("cancel → server saw the disconnect: \(StatsText.duration(.now - cancelledAt))")
    #expect(try await task.value.contains("never") == false)
  }

  @Test func sendsTheAPIKeyAndReusesTheConnection() async throws {
    let server = try FakeOCRServer(apiKey: "sk-test") { _ in .chatStream(deltas: ["ok"]) }
    // A transport of its own: the shared one's connection cache is busy with parallel tests.
    let transport = CurlTransport()
    defer { transport.shutdown() }
    _ = await read(engine(server, apiKey: "sk-test", transport: transport))
    _ = await read(engine(server, apiKey: "sk-test", transport: transport))
    #expect(
      server.requests.map { $0.headers["authorization"] } == ["Bearer sk-test", "Bearer sk-test"])
    // Reused, unless the suite's load kept the second request waiting past the keep-alive
    // timeout, when llama-server (and the fake) close the idle connection themselves.
    let gap = server.requests[1].receivedAt - server.requests[0].receivedAt
    if gap < .seconds(LlamaWire.keepAliveTimeoutSeconds - 1) {
      #expect(server.connections.count == 1, "second request \(gap) after the first")
    }
    let (_, unauthorised) = await read(engine(server, apiKey: "wrong"))
    guard case .failure(.server(.http(status: 401, _))) = unauthorised else {
      Issue.record("expected 401, got \(unauthorised)")
      return
    }
  }
}

import Foundation
import Testing

@testable import OCRTestSupport

private let streamHead =
  "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nTransfer-Encoding: chunked\r\n"
  + "Access-Control-Allow-Origin: \r\nX-Accel-Buffering: no\r\nServer: llama.cpp\r\n"
  + "Content-Type: text/event-stream\r\n\r\n"

private func jsonHead(_ status: String, length: Int, close: Bool) -> String {
  (close
    ? "HTTP/1.1 \(status)\r\nConnection: close\r\n"
    : "HTTP/1.1 \(status)\r\nKeep-Alive: timeout=5, max=100\r\n")
    + "Content-Type: application/json; charset=utf-8\r\nServer: llama.cpp\r\n"
    + "Content-Length: \(length)\r\nAccess-Control-Allow-Origin: \r\n\r\n"
}

private func firstMatch(_ pattern: String, in text: String) -> String? {
  guard let regex = try? NSRegularExpression(pattern: pattern),
    let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
    let r = Range(m.range(at: 1), in: text)
  else { return nil }
  return String(text[r])
}

@Suite(.timeLimit(.minutes(1))) struct ServerTests {
  @Test func streamHasLlamaServersExactBytes() async throws {
    let timings = FakeTimings(promptN: 75, promptMs: 180.025, predictedN: 2, predictedMs: 50.5)
    let server = try FakeOCRServer { _ in
      .chatStream(deltas: ["Hello", " wörld"], timings: timings)
    }
    let out = try await curl(
      "-sS", "-N", "--raw", "-i", server.chatURL, "-H", "Content-Type: application/json",
      "-d", chatBody(stream: true))
    #expect(out.exitCode == 0, "\(out.stderr)")
    let text = out.text
    let id = try #require(firstMatch(#""id":"(chatcmpl-[0-9A-Za-z]{32})""#, in: text))
    let created = try #require(firstMatch(#""created":([0-9]+)"#, in: text))
    let tail =
      #","created":\#(created),"id":"\#(id)","model":"LightOnOCR-1B-1025-Q8_0.gguf","system_fingerprint":"b11434-fakeocr","object":"chat.completion.chunk""#
    let role =
      #"data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}]"#
      + tail + "}\n\n"
    let hello =
      #"data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Hello"}}]"# + tail
      + "}\n\n"
    let world =
      #"data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" wörld"}}]"# + tail
      + "}\n\n"
    let final =
      #"data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}]"# + tail
      + #","usage":{"completion_tokens":2,"prompt_tokens":75,"total_tokens":77},"timings":{"cache_n":0,"prompt_n":75,"prompt_ms":180.025,"prompt_per_token_ms":2.400333333333333,"prompt_per_second":416.60880433273155,"predicted_n":2,"predicted_ms":50.5,"predicted_per_token_ms":25.25,"predicted_per_second":39.603960396039604}}"#
      + "\n\n"
    let expected =
      streamHead + chunk(role + hello) + chunk(world) + chunk(final) + chunk("data: [DONE]\n\n")
      + "0\r\n\r\n"
    #expect(text == expected)
    #expect(server.requests.count == 1)
    #expect(server.requests.first?.isStream == true)
    #expect(server.requests.first?.imageDataURL == "data:image/png;base64,iVBORw0KGgo=")
    #expect(server.clientDisconnectsMidResponse == 0)
  }

  @Test func batchBodyCarriesContentUsageAndTimings() async throws {
    let server = try FakeOCRServer { _ in .chatBatch(text: "# Title\n\nBody \"quoted\" 한국어") }
    let out = try await curl("-sS", "-i", server.chatURL, "-d", chatBody(stream: false))
    let (head, body) = splitHead(out.text)
    #expect(head == jsonHead("200 OK", length: body.utf8.count, close: false))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    let choice = try #require((json["choices"] as? [[String: Any]])?.first)
    let message = try #require(choice["message"] as? [String: Any])
    #expect(message["content"] as? String == "# Title\n\nBody \"quoted\" 한국어")
    #expect(message["role"] as? String == "assistant")
    #expect(choice["finish_reason"] as? String == "stop")
    #expect(json["object"] as? String == "chat.completion")
    #expect((json["usage"] as? [String: Any])?["completion_tokens"] as? Int == 5)
    let timings = try #require(json["timings"] as? [String: Any])
    #expect(
      Set(timings.keys) == [
        "cache_n", "prompt_n", "prompt_ms", "prompt_per_token_ms", "prompt_per_second",
        "predicted_n", "predicted_ms", "predicted_per_token_ms", "predicted_per_second",
      ])
    #expect(
      body.hasPrefix(
        #"{"choices":[{"finish_reason":"stop","index":0,"message":{"role":"assistant","content":"#))
  }

  @Test func errorsHaveTheirStatusBodyAndConnectionClose() async throws {
    let server = try FakeOCRServer { _ in .imageLoadError }
    let out = try await curl("-sS", "-i", server.chatURL, "-d", chatBody(stream: true))
    let body =
      #"{"error":{"code":400,"message":"Failed to load image or audio file","type":"invalid_request_error"}}"#
    #expect(out.text == jsonHead("400 Bad Request", length: body.utf8.count, close: true) + body)

    let bad = try await curl("-sS", "-i", server.chatURL, "-d", "{not json")
    #expect(bad.text.hasPrefix("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"))
    #expect(
      splitHead(bad.text).body.hasPrefix(
        #"{"error":{"code":400,"message":"[json.exception.parse_error"#))

    let missing = try await curl("-sS", "-i", server.baseURL + "/v2/nothing")
    let notFound = #"{"error":{"message":"File Not Found","type":"not_found_error","code":404}}"#
    #expect(
      missing.text == jsonHead("404 Not Found", length: notFound.utf8.count, close: true) + notFound
    )
  }

  @Test func healthFollowsTheLoadingState() async throws {
    let server = try FakeOCRServer(health: .loading) { _ in .chatBatch(text: "x") }
    let loading = try await curl("-sS", "-i", server.baseURL + "/health")
    let body = #"{"error":{"message":"Loading model","type":"unavailable_error","code":503}}"#
    #expect(
      loading.text == jsonHead("503 Service Unavailable", length: body.utf8.count, close: true)
        + body)
    let chat = try await curl(
      "-sS", "-o", "/dev/null", "-w", "%{http_code}", server.chatURL, "-d", chatBody(stream: true))
    #expect(chat.text == "503")
    server.setHealth(.ok)
    let ready = try await curl("-sS", "-i", server.baseURL + "/health")
    #expect(ready.text == jsonHead("200 OK", length: 15, close: false) + #"{"status":"ok"}"#)
  }

  @Test func propsReportTotalSlotsAndModelsListTheModel() async throws {
    let server = try FakeOCRServer(slots: 3) { _ in .chatBatch(text: "x") }
    let props = try await curl("-sS", server.baseURL + "/props")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(props.stdout)) as? [String: Any])
    #expect(json["total_slots"] as? Int == 3)
    let models = try await curl("-sS", server.baseURL + "/v1/models")
    let list = try #require(
      try JSONSerialization.jsonObject(with: Data(models.stdout)) as? [String: Any])
    #expect(((list["data"] as? [[String: Any]])?.first?["id"]) as? String == LlamaWire.modelName)
  }

  @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
    let server = try FakeOCRServer { _ in .chatBatch(text: "x") }
    let out = try await curl(
      "-sS", server.baseURL + "/health", server.baseURL + "/props", server.baseURL + "/health")
    #expect(out.exitCode == 0)
    #expect(server.connections.count == 1)
    #expect(server.connections.first?.requestCount == 3)
    #expect(server.allRequests.map(\.path) == ["/health", "/props", "/health"])
    #expect(server.allRequests.allSatisfy { $0.index == -1 && $0.connection == 0 })
  }

  @Test func expectContinueWithALargeBody() async throws {
    let server = try FakeOCRServer { _ in .chatBatch(text: "done") }
    let image = "data:image/png;base64," + String(repeating: "QUJD", count: 512 * 1024)  // 2 MiB
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fake-big-\(UUID()).json")
    let body = chatBody(image: image, stream: false)
    try Data(body.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let out = try await curl(
      "-sS", "-i", server.chatURL, "-H", "Expect: 100-continue", "-H",
      "Content-Type: application/json",
      "--data-binary", "@" + file.path)
    #expect(out.text.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"))
    let request = try #require(server.requests.first)
    #expect(request.body.count == body.utf8.count)
    #expect(request.headers["expect"] == "100-continue")
    #expect(request.imageDataURL == image)
  }

  @Test func chunkedRequestBodiesAreDecoded() async throws {
    let server = try FakeOCRServer { _ in .chatBatch(text: "ok") }
    let out = try await curl(
      "-sS", server.chatURL, "-H", "Transfer-Encoding: chunked", "-d", chatBody(stream: false))
    #expect(out.exitCode == 0)
    #expect(server.requests.first?.bodyText == chatBody(stream: false))
  }

  @Test func dropClosesMidStream() async throws {
    let server = try FakeOCRServer { _ in .stream([.role, .delta("partial"), .drop]) }
    let out = try await curl("-sS", "-N", server.chatURL, "-d", chatBody(stream: true))
    #expect(out.exitCode == 18)  // CURLE_PARTIAL_FILE
    #expect(sseContents(out.text) == ["partial"])
    #expect(server.clientDisconnectsMidResponse == 0)
    #expect(await server.waitUntil { server.connections.first?.isOpen == false })
    #expect(server.connections.first?.closedByServer == true)
  }

  @Test func midStreamErrorEndsTheStreamCleanly() async throws {
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("a"), .error(code: 500, message: "boom", type: "server_error")])
    }
    let out = try await curl("-sS", "-N", server.chatURL, "-d", chatBody(stream: true))
    #expect(out.exitCode == 0)
    #expect(
      out.text.hasSuffix(
        #"data: {"error":{"code":500,"message":"boom","type":"server_error"}}"# + "\n\n"))
  }

  @Test func gateHoldsTheStreamUntilOpened() async throws {
    let gate = FakeGate()
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("before "), .wait(gate), .delta("after"), .finish("stop"), .done])
    }
    let run = try CurlRun(["-sS", "-N", server.chatURL, "-d", chatBody(stream: true)])
    #expect(await server.waitUntil { server.responsesInFlight == 1 })
    try await Task.sleep(for: .milliseconds(300))
    #expect(run.isRunning)
    gate.open()
    let out = await run.result()
    #expect(out.exitCode == 0)
    #expect(sseContents(out.text) == ["before ", "after"])
    #expect(out.text.hasSuffix("data: [DONE]\n\n"))
  }

  @Test func clientDisconnectMidResponseIsRecorded() async throws {
    let gate = FakeGate()
    let server = try FakeOCRServer { _ in .stream([.role, .delta("x"), .wait(gate)]) }
    let out = try await curl(
      "-sS", "-N", "--max-time", "1", server.chatURL, "-d", chatBody(stream: true))
    #expect(out.exitCode == 28)  // curl gave up and closed the connection
    #expect(await server.waitUntil { server.clientDisconnectsMidResponse == 1 })
    #expect(server.connections.first?.clientDisconnectedMidResponse == true)
    #expect(server.responsesInFlight == 0)
  }

  @Test func slotsLimitConcurrentAnswers() async throws {
    let gate = FakeGate()
    let server = try FakeOCRServer(slots: 1) { _ in
      .stream([.role, .wait(gate), .finish("stop"), .done])
    }
    let first = try CurlRun([
      "-sS", "-N", server.chatURL, "-d", chatBody(image: "data:a", stream: true),
    ])
    let second = try CurlRun([
      "-sS", "-N", server.chatURL, "-d", chatBody(image: "data:b", stream: true),
    ])
    #expect(await server.waitUntil { server.requests.count == 2 && server.responsesInFlight == 2 })
    try await Task.sleep(for: .milliseconds(100))
    #expect(server.peakConcurrentChats == 1)
    gate.open()
    #expect(await first.result().exitCode == 0)
    #expect(await second.result().exitCode == 0)
    #expect(server.peakConcurrentChats == 1)
  }

  @Test func splitWritesCutEventsAnywhere() async throws {
    let events: [FakeEvent] = [.role, .delta("héllo wörld"), .finish("stop"), .done]
    let server = try FakeOCRServer { _ in .stream(events, splitWritesEvery: 7) }
    let out = try await curl("-sS", "-N", "--raw", server.chatURL, "-d", chatBody(stream: true))
    // Parse the chunk framing on bytes: the cuts fall inside UTF-8 characters.
    var rest = out.stdout[...]
    var payload: [UInt8] = []
    while let cr = rest.firstIndex(of: 13) {
      let size = try #require(Int(String(decoding: rest[..<cr], as: UTF8.self), radix: 16))
      if size == 0 { break }
      #expect(size <= 7)
      let start = cr + 2
      payload += rest[start..<start + size]
      rest = rest[(start + size + 2)...]
    }
    let text = String(decoding: payload, as: UTF8.self)
    #expect(sseContents(text) == ["héllo wörld"])
    #expect(payload.count == FakeResponse.sseBytes(events).count)  // same bytes up to id/created
    #expect(text.hasSuffix("data: [DONE]\n\n"))
  }

  @Test func transcriptResponderMapsImagesToPages() async throws {
    let pages = ["# Page one\n\nFirst page text.", "Page **two**, with $x^2$.\n"]
    let server = try FakeOCRServer(responder: FakeResponder.transcript(pages, wordsPerDelta: 2))
    func ask(_ image: String, stream: Bool) async throws -> String {
      let out = try await curl(
        "-sS", "-N", server.chatURL, "-d", chatBody(image: image, stream: stream))
      if stream { return sseContents(out.text).joined() }
      let json = try JSONSerialization.jsonObject(with: Data(out.stdout)) as? [String: Any]
      let choice = (json?["choices"] as? [[String: Any]])?.first
      return (choice?["message"] as? [String: Any])?["content"] as? String ?? "<none>"
    }
    #expect(try await ask("data:image/png;base64,AAAA", stream: true) == pages[0])
    #expect(try await ask("data:image/png;base64,BBBB", stream: false) == pages[1])
    #expect(try await ask("data:image/png;base64,AAAA", stream: false) == pages[0])
    #expect(try await ask("data:image/png;base64,CCCC", stream: true) == pages[0])
    #expect(try await ask("data:image/png;base64,BBBB", stream: true) == pages[1])
    #expect(server.requests.map(\.index) == [0, 1, 2, 3, 4])
  }

  @Test func apiKeyIsRequiredWhenSet() async throws {
    let server = try FakeOCRServer(apiKey: "sekret") { _ in .chatBatch(text: "ok") }
    let denied = try await curl(
      "-sS", "-w", "%{http_code}", "-o", "/dev/null", server.chatURL, "-d", chatBody(stream: false))
    #expect(denied.text == "401")
    let allowed = try await curl(
      "-sS", "-w", "%{http_code}", "-o", "/dev/null", server.chatURL, "-H",
      "Authorization: Bearer sekret",
      "-d", chatBody(stream: false))
    #expect(allowed.text == "200")
    let health = try await curl(
      "-sS", "-w", "%{http_code}", "-o", "/dev/null", server.baseURL + "/health")
    #expect(health.text == "200")
  }

  @Test func hundredthRequestClosesTheConnection() async throws {
    let server = try FakeOCRServer { _ in .chatBatch(text: "x") }
    let urls = Array(repeating: server.baseURL + "/health", count: 101)
    let out = try await CurlRun(["-sS", "-i"] + urls).result()
    #expect(out.exitCode == 0)
    #expect(out.text.components(separatedBy: "Keep-Alive: timeout=5, max=100\r\n").count - 1 == 100)
    #expect(out.text.components(separatedBy: "Connection: close\r\n").count - 1 == 1)
    #expect(server.connections.map(\.requestCount) == [100, 1])
  }

  @Test func firstByteWaitsForTheFirstToken() async throws {
    let server = try FakeOCRServer { _ in
      .chatStream(deltas: ["a"], firstByteDelay: .milliseconds(300))
    }
    let out = try await curl(
      "-sS", "-N", "-o", "/dev/null", "-w", "%{time_starttransfer}", server.chatURL, "-d",
      chatBody(stream: true))
    let seconds = try #require(Double(out.text))
    #expect(seconds >= 0.3)
  }

  @Test func resetAbortsTheConnection() async throws {
    let server = try FakeOCRServer { _ in .stream([.role, .delta("x"), .reset]) }
    let out = try await curl("-sS", "-N", server.chatURL, "-d", chatBody(stream: true))
    #expect(out.exitCode == 56)  // CURLE_RECV_ERROR: connection reset by peer
  }

  @Test func stopClosesEverything() async throws {
    let gate = FakeGate()
    let server = try FakeOCRServer { _ in .stream([.role, .wait(gate)]) }
    let run = try CurlRun(["-sS", "-N", server.chatURL, "-d", chatBody(stream: true)])
    #expect(await server.waitUntil { server.responsesInFlight == 1 })
    server.stop()
    let out = await run.result()
    #expect(out.exitCode == 18)
    #expect(server.clientDisconnectsMidResponse == 0)
    let refused = try await curl("-sS", server.baseURL + "/health")
    #expect(refused.exitCode == 7)  // couldn't connect
  }
}

@Suite struct SocketTests {
  /// Without TCP_NODELAY (which llama-server sets) every answer on a kept-alive connection
  /// waited ~40 ms for a delayed ACK, and the overhead benchmark measured the fake, not us.
  @Test func acceptedConnectionsSendWithoutNagleLikeLlamaServer() throws {
    let (listener, port) = try Socket.listen(port: 0)
    defer { Socket.closeFD(listener) }
    let client = try #require(Socket.connect(port: port))
    defer { Socket.closeFD(client) }
    let accepted = try #require(Socket.accept(listener))
    defer { Socket.closeFD(accepted) }
    var value: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    #expect(getsockopt(accepted, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0)
    #expect(value == 1)
  }
}

/// A scripted response: optional steps before the status line, the head, then steps.
///
/// The server renders the head itself (keep-alive or `Connection: close` depends on the
/// connection), so a `Head` only says status, content type and framing.
public struct FakeResponse: Sendable {
  public enum Step: Sendable {
    /// One socket write. In a chunked response it is framed as one HTTP chunk; in a
    /// `Content-Length` response it is raw body bytes (the first one shares the head's write).
    case send([UInt8])
    /// One socket write of exactly these bytes, never framed (to break the framing itself).
    case sendRaw([UInt8])
    case sleep(Duration)
    /// Close the connection (FIN) here: no chunked terminator, no more body.
    case drop
    /// Abort the connection with a TCP reset.
    case reset
    /// Block until the gate opens (the client may disconnect meanwhile; that is recorded).
    case wait(FakeGate)
    /// `send(bytes)` every `every`, until the client leaves or the server stops.
    case sendForever([UInt8], every: Duration)
  }

  public struct Head: Sendable {
    public enum Framing: Sendable { case chunked, contentLength }
    public var status: Int
    public var contentType: String
    public var framing: Framing

    public init(status: Int, contentType: String, framing: Framing) {
      self.status = status
      self.contentType = contentType
      self.framing = framing
    }
  }

  /// Runs before the status line: llama-server sends no byte of a stream until the first token
  /// (or an error) exists, so time to first token is spent here.
  public var beforeHead: [Step]
  /// Nil: write no head at all (the steps write whatever they want).
  public var head: Head?
  public var steps: [Step]

  public init(beforeHead: [Step] = [], head: Head?, steps: [Step]) {
    self.beforeHead = beforeHead
    self.head = head
    self.steps = steps
  }
}

extension FakeResponse {
  /// An SSE response from scripted events, each byte-producing event one write (one HTTP
  /// chunk). `firstByteDelay` passes before the status line, `between` between writes.
  /// `splitWritesEvery: n` re-cuts the SSE bytes between control events into writes of at
  /// most n bytes, regardless of event boundaries (so events and UTF-8 characters split).
  public static func stream(
    _ events: [FakeEvent], firstByteDelay: Duration = .zero, between: Duration = .zero,
    splitWritesEvery: Int? = nil, usage: UsageReporting = .inFinalChunk,
    timings: FakeTimings? = nil
  ) -> FakeResponse {
    let env = LlamaWire.Envelope()
    let deltas = events.filter { if case .delta = $0 { true } else { false } }.count
    let timings =
      timings ?? .simulated(promptDelay: firstByteDelay, tokenGap: between, tokens: deltas)
    var steps: [Step] = []
    var pending: [UInt8] = []
    var wrote = false
    func write(_ bytes: [UInt8]) {
      if wrote && between > .zero { steps.append(.sleep(between)) }
      steps.append(.send(bytes))
      wrote = true
    }
    func flush() {
      guard let n = splitWritesEvery, n > 0 else { return }
      var i = 0
      while i < pending.count {
        write(Array(pending[i..<min(i + n, pending.count)]))
        i += n
      }
      pending = []
    }
    for event in events {
      if let bytes = event.bytes(env, usage: usage, timings: timings) {
        if splitWritesEvery != nil { pending += bytes } else { write(bytes) }
        continue
      }
      flush()
      switch event {
      case .pause(let d): steps.append(.sleep(d))
      case .wait(let gate): steps.append(.wait(gate))
      case .keepAlive(let every):
        steps.append(
          .sendForever(FakeEvent.ping.bytes(env, usage: usage, timings: timings)!, every: every))
      case .drop: steps.append(.drop)
      case .reset: steps.append(.reset)
      default: break
      }
    }
    flush()
    return FakeResponse(
      beforeHead: firstByteDelay > .zero ? [.sleep(firstByteDelay)] : [],
      head: Head(status: 200, contentType: LlamaWire.sseContentType, framing: .chunked),
      steps: steps)
  }

  /// A complete chat stream as llama-server writes it: after `firstByteDelay` the head, then
  /// one write with the role chunk and the first delta, one write per further delta (`between`
  /// apart), one write with the final chunk(s), one with `data: [DONE]`. Empty deltas are not
  /// sent (an empty token has no content diff); with no deltas at all there is no role chunk
  /// either (the first result is then the final one).
  public static func chatStream(
    deltas: [String], finishReason: String = "stop", firstByteDelay: Duration = .zero,
    between: Duration = .zero, usage: UsageReporting = .inFinalChunk, timings: FakeTimings? = nil,
    logprobs: FakeLogprobs? = nil
  ) -> FakeResponse {
    let env = LlamaWire.Envelope()
    let tokens = deltas.filter { !$0.isEmpty }
    let timings =
      timings ?? .simulated(promptDelay: firstByteDelay, tokenGap: between, tokens: tokens.count)
    var steps: [Step] = []
    for (i, text) in tokens.enumerated() {
      // With `logprobs`, each delta is one token carrying its log-probability.
      var bytes = LlamaWire.sse(
        logprobs.map { FakeLogprobs.contentChunk(env, text, logprob: $0.logprob(i, text)) }
          ?? LlamaWire.contentChunk(env, text))
      if i == 0 {
        bytes = LlamaWire.sse(LlamaWire.roleChunk(env)) + bytes
      } else if between > .zero {
        steps.append(.sleep(between))
      }
      steps.append(.send(bytes))
    }
    if !tokens.isEmpty && between > .zero { steps.append(.sleep(between)) }
    steps.append(
      .send(
        LlamaWire.finalChunks(env, finishReason: finishReason, usage: usage, timings: timings)
          .flatMap(LlamaWire.sse)))
    steps.append(.send(LlamaWire.doneEvent))
    return FakeResponse(
      beforeHead: firstByteDelay > .zero ? [.sleep(firstByteDelay)] : [],
      head: Head(status: 200, contentType: LlamaWire.sseContentType, framing: .chunked),
      steps: steps)
  }

  /// A `chat.completion` JSON body (`choices[0].message.content`, `usage`, `timings`) after
  /// `delay` (the whole generation: batch mode's time to first byte is its latency).
  public static func chatBatch(
    text: String, delay: Duration = .zero, finishReason: String = "stop",
    timings: FakeTimings? = nil, logprobs: FakeLogprobs? = nil
  ) -> FakeResponse {
    let tokens = tokens(of: text, wordsPerDelta: 1).count
    let timings =
      timings
      ?? .simulated(promptDelay: delay / 2, tokenGap: delay / max(2 * tokens, 1), tokens: tokens)
    let body =
      logprobs.map {
        FakeLogprobs.batchBody(
          LlamaWire.Envelope(), tokens: Self.tokens(of: text, wordsPerDelta: 1),
          finishReason: finishReason, timings: timings, logprobs: $0)
      }
      ?? LlamaWire.batchBody(
        LlamaWire.Envelope(), text: text, finishReason: finishReason, timings: timings)
    return json(status: 200, body.bytes, delay: delay)
  }

  /// An error before any byte of the answer: `{"error":{"code":…,"message":…,"type":…}}`
  /// with that HTTP status (and `Connection: close`, as cpp-httplib does for every error).
  public static func httpError(status: Int, message: String, type: String) -> FakeResponse {
    json(status: status, LlamaWire.errorObject(code: status, message: message, type: type).bytes)
  }

  /// vLLM's answer beyond its limit (as its OpenAI server words it), head written by hand for
  /// the optional `Retry-After` (seconds); the connection stays open.
  public static func tooManyRequests(retryAfter: Int?) -> FakeResponse {
    let body = Array(
      #"{"object":"error","message":"Too many requests in flight","type":"TooManyRequests","param":null,"code":429}"#
        .utf8)
    var head = ["HTTP/1.1 429 Too Many Requests", "Content-Type: application/json"]
    if let retryAfter { head.append("Retry-After: \(retryAfter)") }
    head.append("Content-Length: \(body.count)")
    let bytes = Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
    return FakeResponse(head: nil, steps: [.sendRaw(bytes)])
  }

  /// What llama-server answers when the image does not decode.
  public static let imageLoadError = httpError(
    status: 400, message: "Failed to load image or audio file", type: "invalid_request_error")

  /// The 503 every endpoint gives while the model loads.
  public static let loading = json(status: 503, LlamaWire.loading.bytes)

  /// Any body with a `Content-Length`, in one write with the head.
  public static func raw(status: Int, contentType: String, body: [UInt8]) -> FakeResponse {
    FakeResponse(
      head: Head(status: status, contentType: contentType, framing: .contentLength),
      steps: body.isEmpty ? [] : [.send(body)])
  }

  static func json(status: Int, _ body: [UInt8], delay: Duration = .zero) -> FakeResponse {
    var response = raw(status: status, contentType: LlamaWire.jsonContentType, body: body)
    if delay > .zero { response.beforeHead = [.sleep(delay)] }
    return response
  }

  /// The SSE payload bytes `stream(events)` would carry, without HTTP framing and delays:
  /// input for decoder tests that need no server.
  public static func sseBytes(
    _ events: [FakeEvent], usage: UsageReporting = .inFinalChunk,
    envelope: LlamaWire.Envelope = LlamaWire.Envelope(), timings: FakeTimings? = nil
  ) -> [UInt8] {
    let deltas = events.filter { if case .delta = $0 { true } else { false } }.count
    let timings = timings ?? .simulated(promptDelay: .zero, tokenGap: .zero, tokens: deltas)
    return events.flatMap { $0.bytes(envelope, usage: usage, timings: timings) ?? [] }
  }

  /// Splits text the way an LLM streams it: each piece is a run of words, each word with the
  /// whitespace that follows it (leading whitespace stays with the first piece). Joining the
  /// pieces gives the text back exactly.
  public static func tokens(of text: String, wordsPerDelta: Int) -> [String] {
    let perDelta = max(wordsPerDelta, 1)
    var words: [String] = []
    var current = ""
    var inGap = false
    for ch in text {
      if ch.isWhitespace {
        inGap = true
      } else if inGap && current.contains(where: { !$0.isWhitespace }) {
        words.append(current)
        current = ""
        inGap = false
      } else {
        inGap = false
      }
      current.append(ch)
    }
    if !current.isEmpty { words.append(current) }
    return stride(from: 0, to: words.count, by: perDelta).map {
      words[$0..<min($0 + perDelta, words.count)].joined()
    }
  }
}

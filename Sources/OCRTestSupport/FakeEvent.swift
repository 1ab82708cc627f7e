/// One event of a scripted SSE stream (see `FakeResponse.stream`). Each event that produces
/// bytes is one socket write and one HTTP chunk.
public enum FakeEvent: Sendable {
  /// `data: {…"delta":{"content":TEXT}…}` (an empty text gives llama-server's `"delta":{}`).
  case delta(String)
  /// The opening chunk, `"delta":{"role":"assistant","content":null}`.
  case role
  /// The closing chunk with `finish_reason` (`stop`, `length`), carrying `usage` and `timings`
  /// as the stream's `UsageReporting` says.
  case finish(String)
  /// `data: [DONE]`.
  case done
  /// An SSE comment line. Empty: llama-server's ping `:\n\n`; text starting with `:` is
  /// written as is (`": keep-alive"`); other text gets `": "` in front.
  case comment(String)
  /// A mid-stream error event, `data: {"error":{"code":…,"message":…,"type":…}}`.
  case error(code: Int, message: String, type: String)
  /// `data: <text>\n\n` with whatever (broken) JSON the text holds.
  case malformed(String)
  /// Arbitrary payload bytes (e.g. half a UTF-8 character), as one HTTP chunk.
  case rawBytes([UInt8])
  /// Wait before the next event.
  case pause(Duration)
  /// Block until the gate opens.
  case wait(FakeGate)
  /// llama-server's keep-alive ping every `every`, for ever: a stream that never ends, yet is
  /// never idle (it ends when the client leaves or the server stops).
  case keepAlive(every: Duration)
  /// Close the connection here, without the chunked terminator.
  case drop
  /// Abort the connection with a TCP reset (RST) instead of a close.
  case reset

  /// llama-server's keep-alive ping (`:\n\n`).
  public static let ping = FakeEvent.comment("")

  /// The SSE bytes of this event, or nil for control events.
  func bytes(_ env: LlamaWire.Envelope, usage: UsageReporting, timings: FakeTimings) -> [UInt8]? {
    switch self {
    case .delta(let text): LlamaWire.sse(LlamaWire.contentChunk(env, text))
    case .role: LlamaWire.sse(LlamaWire.roleChunk(env))
    case .finish(let reason):
      LlamaWire.finalChunks(env, finishReason: reason, usage: usage, timings: timings)
        .flatMap(LlamaWire.sse)
    case .done: LlamaWire.doneEvent
    case .comment(let text):
      Array((text.isEmpty ? ":" : text.hasPrefix(":") ? text : ": " + text).utf8) + [10, 10]
    case .error(let code, let message, let type):
      LlamaWire.sse(LlamaWire.errorObject(code: code, message: message, type: type))
    case .malformed(let text): Array("data: \(text)\n\n".utf8)
    case .rawBytes(let bytes): bytes
    case .pause, .wait, .keepAlive, .drop, .reset: nil
    }
  }
}

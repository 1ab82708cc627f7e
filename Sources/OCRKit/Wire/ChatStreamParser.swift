import Foundation

/// What a completed chat response said besides its text.
public struct CompletionInfo: Sendable, Equatable {
  public var finishReason: String?
  public var usage: Usage?
  public var timings: ServerTimings?
  /// Chunks that were not valid JSON; skipped without losing the ones after them.
  public var malformedChunks = 0

  public init() {}
}

/// Turns the bytes of a streamed chat response into text deltas.
///
/// Incremental: feed each network read as it arrives. Tracks whether the stream ended
/// properly (`[DONE]` or a `finish_reason`), since a cut-off stream must never pass as complete.
public struct ChatStreamParser: Sendable {
  private var decoder = SSEDecoder()
  public private(set) var info = CompletionInfo()
  public private(set) var sawDone = false
  /// The server's mid-stream `error` event. Text decoded before it in the same read is still
  /// returned by that `feed` (a read holding both lost the text, found by fuzzing); every
  /// later `feed` throws this.
  public private(set) var streamError: ServerError?

  public init() {}

  /// A stream is complete once the server said so; anything else was cut off.
  public var isComplete: Bool { sawDone || info.finishReason != nil }

  /// Returns the non-empty text deltas the bytes complete, up to a mid-stream error event
  /// (then `streamError` is set); throws once that error has been seen.
  public mutating func feed(_ bytes: some Sequence<UInt8>) throws(ServerError) -> [String] {
    if let streamError { throw streamError }
    var deltas: [String] = []
    for payload in decoder.feed(bytes) {
      if payload == "[DONE]" {
        sawDone = true
        continue
      }
      guard let chunk = try? JSONDecoder().decode(ChatCompletion.self, from: Data(payload.utf8))
      else {
        info.malformedChunks += 1
        continue
      }
      if let error = chunk.error {
        streamError = .streamError(message: error.message ?? error.type ?? "unknown error")
        return deltas
      }
      deltas += absorb(chunk, textOf: \.delta)
    }
    return deltas
  }

  /// Parses a whole non-streamed `chat.completion` body; returns its text.
  public mutating func parseBatch(_ body: [UInt8]) throws(ServerError) -> String {
    guard let completion = try? JSONDecoder().decode(ChatCompletion.self, from: Data(body)) else {
      throw .invalidResponse(detail: "the answer is not JSON: \(Self.excerpt(body))")
    }
    if let error = completion.error {
      throw .streamError(message: error.message ?? error.type ?? "unknown error")
    }
    guard completion.choices?.first?.message != nil else {
      throw .invalidResponse(detail: "the answer has no choices[0].message")
    }
    return absorb(completion, textOf: \.message).joined()
  }

  private mutating func absorb(
    _ chunk: ChatCompletion,
    textOf part: KeyPath<ChatCompletion.Choice, ChatCompletion.Choice.Message?>
  ) -> [String] {
    if let usage = chunk.usage { info.usage = usage }
    if let timings = chunk.timings { info.timings = timings }
    var texts: [String] = []
    for choice in chunk.choices ?? [] {
      if let reason = choice.finishReason { info.finishReason = reason }
      if let text = choice[keyPath: part]?.content, !text.isEmpty { texts.append(text) }
    }
    return texts
  }

  /// The first bytes of a body, as text, for an error message.
  static func excerpt(_ body: [UInt8], limit: Int = 120) -> String {
    let text = String(decoding: body.prefix(limit), as: UTF8.self)
      .replacingOccurrences(of: "\n", with: " ")
    return body.count > limit ? text + "…" : text
  }
}

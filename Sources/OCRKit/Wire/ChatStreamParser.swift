import Foundation

/// What a completed chat response said besides its text.
public struct CompletionInfo: Sendable, Equatable {
  public var finishReason: FinishReason?
  public var usage: Usage?
  public var timings: ServerTimings?
  /// Chunks that were not valid JSON; skipped without losing the ones after them.
  public var malformedChunks = 0
  /// The `max_tokens` the request asked for (set by the engine, not read from the answer).
  public var maxTokens: Int?
  /// The answer's tokens with their log-probabilities, in order (empty when the server sent
  /// none), at most `ChatStreamParser.tokenLimit` of them.
  public var tokenLogprobs: [TokenLogprob] = []

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
  /// Why the stream cannot go on: the server's mid-stream `error` event, a line too long, or
  /// more text than `textLimit`. Text decoded before it in the same read is still returned by
  /// that `feed` (a read holding both lost the text, found by fuzzing); every later `feed`
  /// throws this.
  public private(set) var failure: ServerError?
  /// The most bytes of text one page may have (nil: no limit).
  public let textLimit: Int?
  /// Kept out of the excerpt of a body that is not JSON (the cut must not split a key).
  public let secrets: Secrets
  private var textBytes = 0

  public init(textLimit: Int? = nil, secrets: Secrets = .none) {
    self.textLimit = textLimit
    self.secrets = secrets
  }

  /// The text limit for a page of `maxTokens` tokens: 4 × max_tokens × 16 bytes, far more
  /// than any tokenizer's tokens take, and still a bound on a server that ignores max_tokens.
  public static func textLimit(maxTokens: Int) -> Int { 4 * max(maxTokens, 1) * 16 }

  /// The most token log-probabilities kept for a page: a token is at least a byte of text, so
  /// more than the text limit's bytes are a server's garbage, not tokens (and memory).
  public var tokenLimit: Int { textLimit ?? (1 << 20) }

  /// A stream is complete once the server said so; anything else was cut off.
  public var isComplete: Bool { sawDone || info.finishReason != nil }

  /// Returns the non-empty text deltas the bytes complete, up to a failure (then `failure` is
  /// set); throws once a failure has been seen.
  public mutating func feed(_ bytes: some Sequence<UInt8>) throws(ServerError) -> [String] {
    if let failure { throw failure }
    var deltas: [String] = []
    for payload in decoder.feed(bytes) {
      if payload == "[DONE]" {
        sawDone = true
        continue
      }
      guard let chunk = LenientJSON.decode(ChatCompletion.self, from: Array(payload.utf8)) else {
        info.malformedChunks += 1
        continue
      }
      if let error = chunk.error {
        failure = .streamError(message: Self.message(of: error))
        return deltas
      }
      for text in absorb(chunk, textOf: \.delta) {
        textBytes += text.utf8.count
        if let textLimit, textBytes > textLimit {
          failure = .tooLarge(.pageText(bytes: textLimit))
          return deltas
        }
        deltas.append(text)
      }
    }
    if let overflow = decoder.overflow { failure = .tooLarge(overflow) }
    return deltas
  }

  /// Parses a whole non-streamed `chat.completion` body; returns its text.
  public mutating func parseBatch(_ body: [UInt8]) throws(ServerError) -> String {
    guard let completion = LenientJSON.decode(ChatCompletion.self, from: body) else {
      throw .invalidResponse(
        detail: "the answer is not JSON: \(Self.excerpt(body, secrets: secrets))")
    }
    return try parseBatch(completion)
  }

  /// A batch body decoded already (a batch result line carries it inside its own JSON).
  mutating func parseBatch(_ completion: ChatCompletion) throws(ServerError) -> String {
    if let error = completion.error { throw .streamError(message: Self.message(of: error)) }
    guard completion.choices?.first(where: \.isFirst)?.message != nil else {
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
    for choice in chunk.choices ?? [] where choice.isFirst {
      if let reason = choice.finishReason {
        info.finishReason = FinishReason(rawValue: ServerText.oneLine(reason))
      }
      if let text = choice[keyPath: part]?.content, !text.isEmpty { texts.append(text) }
      if var tokens = choice.logprobs?.content, !tokens.isEmpty {
        // A stream chunk's tokens start where its delta does (text before it: `textBytes`).
        if part == \.delta { tokens[0].offset = textBytes }
        info.tokenLogprobs += tokens.prefix(max(0, tokenLimit - info.tokenLogprobs.count))
      }
    }
    return texts
  }

  /// A server's error object as one safe line.
  private static func message(of error: ErrorBody) -> String {
    ServerText.oneLine(error.message ?? error.type ?? "unknown error")
  }

  /// The first bytes of a body, as one safe line without `secrets`, for an error message.
  ///
  /// Redacted before it is cut (a key across the cut would otherwise show all but its last
  /// characters); a few KiB are read so that echoed keys, once replaced, still leave `limit`.
  static func excerpt(_ body: [UInt8], limit: Int = 120, secrets: Secrets) -> String {
    let scanned = body.prefix(64 * limit)
    let text = ServerText.oneLine(String(decoding: scanned, as: UTF8.self))
    return secrets.redactedExcerpt(text, limit: limit, truncated: scanned.count < body.count)
  }
}

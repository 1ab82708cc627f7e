/// One generated token with the model's log-probability of it, as a server's
/// `choices[0].logprobs.content[]` gives it.
///
/// llama-server (`completion_token_output::probs_vector_to_json`, tools/server/server-task.cpp):
/// `{"id", "token", "bytes", "logprob", "top_logprobs": [{"id", "token", "bytes", "logprob"}]}`,
/// where `token` is cut to its valid UTF-8 prefix (an alternative may be half a character) and
/// `bytes` holds all of it; a probability of 0 is sent as the lowest float (-3.4e38), never
/// `-inf`.
/// vLLM (`ChatCompletionLogProbsContent`, vllm/entrypoints/openai/protocol.py):
/// `{"token", "logprob", "bytes", "top_logprobs": [...]}`, `logprob` at least -9999.0.
/// The alternatives (`top_logprobs`) are not kept.
public struct TokenLogprob: Sendable, Equatable {
  /// The token's bytes (from `bytes` when the server sends them, else `token`'s UTF-8).
  public var bytes: [UInt8]
  /// Natural log of the token's probability, clamped to `floor`...0; nil when the server sent
  /// none that is a number.
  public var logprob: Double?
  /// Where the token's text starts in the answer, in UTF-8 bytes, when the stream says (the
  /// start of the delta it came with); nil: after the token before it. Counting bytes from
  /// the start holds only while every token's entry comes and its `bytes` are exactly the
  /// text it added. llama-server keeps that (an entry's `bytes` are the chunk's whole text, a
  /// character split across tokens included), but a chunk whose entries are missing or whose
  /// `bytes` differ from its delta (another server, a proxy, garbage) would shift every later
  /// token, onto earlier lines; anchoring each chunk's tokens at its delta bounds the error
  /// to that chunk.
  public var offset: Int?

  /// The lowest log-probability kept: p = e^-100 is as good as zero, and a server's -3.4e38
  /// must not swamp a page's mean.
  public static let floor = -100.0

  public init(bytes: [UInt8], logprob: Double?) {
    self.bytes = bytes
    self.logprob = logprob.flatMap { $0.isNaN ? nil : min(0, max(Self.floor, $0)) }
  }

  public init(_ token: String, logprob: Double?) {
    self.init(bytes: Array(token.utf8), logprob: logprob)
  }
}

extension TokenLogprob: Decodable {
  enum CodingKeys: String, CodingKey { case token, bytes, logprob }

  /// Never throws for a field: a server's garbage in one entry costs that entry's figures,
  /// never the chunk (and its text).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let token = (try? container.decodeIfPresent(String.self, forKey: .token)) ?? nil
    let raw = (try? container.decodeIfPresent([Int].self, forKey: .bytes)) ?? nil
    let bytes = raw.flatMap { list in
      list.allSatisfy { (0...255).contains($0) } ? list.map { UInt8($0) } : nil
    }
    self.init(
      bytes: bytes ?? Array((token ?? "").utf8),
      logprob: (try? container.decodeIfPresent(Double.self, forKey: .logprob)) ?? nil)
  }
}

/// `choices[].logprobs`: `{"content": [TokenLogprob]}` (OpenAI's shape, llama-server's and
/// vLLM's). Lenient: anything else reads as no tokens, and an entry that is not an object is
/// skipped, so a server sending garbage here loses no text.
struct ChoiceLogprobs: Decodable {
  var content: [TokenLogprob] = []

  enum CodingKeys: String, CodingKey { case content }

  init(from decoder: any Decoder) throws {
    guard let container = try? decoder.container(keyedBy: CodingKeys.self),
      var list = try? container.nestedUnkeyedContainer(forKey: .content)
    else { return }
    while !list.isAtEnd {
      if let token = try? list.decode(TokenLogprob.self) {
        content.append(token)
      } else if (try? list.decode(Skipped.self)) == nil {
        break  // cannot step past it: the rest is lost, the text is not
      }
    }
  }

  /// Any JSON value, read and dropped.
  private struct Skipped: Decodable {
    init(from decoder: any Decoder) throws {}
  }
}

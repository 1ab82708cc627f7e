/// Token log-probabilities as the fake sends them when a request asks (`logprobs: true`): in
/// llama-server's exact shape, one token per content chunk.
///
/// llama-server (tools/server/server-task.cpp, `server_task_result_cmpl_partial::
/// to_json_oaicompat_chat`) puts `"logprobs": {"content": [...]}` after `finish_reason`,
/// `index` and `delta` in the choice of a result's last delta chunk (the content chunk, not the
/// role chunk of the first result), and nothing in the final chunk; a batch answer
/// (`to_json_oaicompat_chat`) puts the whole list after `message`. Each entry is
/// `completion_token_output::probs_vector_to_json`: `id`, `token`, `bytes`, `logprob`,
/// `top_logprobs` (its `n_probs` alternatives, each `id`, `token`, `bytes`, `logprob`).
public struct FakeLogprobs: Sendable {
  /// The log-probability of token `index` (0-based in the answer) with text `token`.
  public var logprob: @Sendable (_ index: Int, _ token: String) -> Double

  public init(_ logprob: @escaping @Sendable (_ index: Int, _ token: String) -> Double) {
    self.logprob = logprob
  }

  /// Every token at p ≈ 0.99, as a clean page reads.
  public static let confident = FakeLogprobs { _, _ in -0.0123 }

  /// `logprobs.content` for one token, with itself as its one alternative (`top_logprobs: 1`).
  static func content(_ token: String, logprob: Double) -> JSONValue {
    let id = JSONValue.int(Int(FakeResponder.fnv1a(Array(token.utf8)) % 151_936))
    let bytes = JSONValue.array(token.utf8.map { .int(Int($0)) })
    let alternative = JSONValue.obj([
      "id": id, "token": .string(token), "bytes": bytes, "logprob": .double(logprob),
    ])
    return .obj([
      "id": id, "token": .string(token), "bytes": bytes, "logprob": .double(logprob),
      "top_logprobs": .array([alternative]),
    ])
  }

  /// A content chunk carrying its token's log-probability.
  static func contentChunk(_ env: LlamaWire.Envelope, _ text: String, logprob: Double)
    -> JSONValue
  {
    var chunk = LlamaWire.contentChunk(env, text)
    chunk.appendToFirstChoice(
      "logprobs", .obj(["content": .array([content(text, logprob: logprob)])]))
    return chunk
  }

  /// The batch body with every token's log-probability after `message`.
  static func batchBody(
    _ env: LlamaWire.Envelope, tokens: [String], finishReason: String, timings: FakeTimings,
    logprobs: FakeLogprobs
  ) -> JSONValue {
    var body = LlamaWire.batchBody(
      env, text: tokens.joined(), finishReason: finishReason, timings: timings)
    let entries = tokens.enumerated().map { index, token in
      content(token, logprob: logprobs.logprob(index, token))
    }
    body.appendToFirstChoice("logprobs", .obj(["content": .array(entries)]))
    return body
  }
}

extension FakeResponse {
  /// What a server that refuses log-probabilities answers a request asking for them, as each
  /// words it: vLLM started with `--max-logprobs 0` (`SamplingParams._validate_logprobs`, a
  /// `VLLMValidationError` on `logprobs`), llama-server for a request with tools in a stream
  /// (`oaicompat_chat_params_parse`).
  public static func logprobsRefused(by server: FakeModel.Server) -> FakeResponse {
    switch server {
    case .llamaServer:
      httpError(
        status: 400, message: "logprobs is not supported with tools + stream",
        type: "invalid_request_error")
    case .vllm:
      json(
        status: 400,
        JSONValue.obj([
          "error": .obj([
            "message": .string(
              "Requested sample logprobs of 1, which is greater than max allowed: 0"),
            "type": .string("BadRequestError"), "param": .string("logprobs"), "code": .int(400),
          ])
        ]).bytes)
    }
  }
}

extension JSONValue {
  /// Adds `key` at the end of `choices[0]` (where llama-server's ordered JSON puts it).
  mutating func appendToFirstChoice(_ key: String, _ value: JSONValue) {
    guard case .object(var fields) = self,
      let at = fields.firstIndex(where: { $0.key == "choices" }),
      case .array(var choices) = fields[at].value, !choices.isEmpty
    else { return }
    choices[0].append(key, value)
    fields[at].value = .array(choices)
    self = .object(fields)
  }
}

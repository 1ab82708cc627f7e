import Foundation

/// The bytes llama-server puts on the wire, built the way llama-server builds them.
///
/// Matched against `ggml-org/llama.cpp` as stored in the public code index (read file by file;
/// the repository was too large to clone here, so the files come from these commits):
/// - `tools/server/server-context.cpp` @ 001d906a6d86 — `handle_completions_impl`: a stream
///   waits for the first result before sending the status line (an error before it is a plain
///   HTTP error); the first result's events go out in one write; each later result is one write;
///   `data: [DONE]\n\n` is its own write; a mid-stream error is `data: {"error":{…}}\n\n` and
///   ends the stream (no `[DONE]`); the keep-alive ping is `:\n\n`. Also `/health`, `/props`
///   (`total_slots`), `/v1/models`.
/// - `tools/server/server-task.cpp` @ 00efb3e184262 — chunk JSON (`choices`, `created`, `id`,
///   `model`, `system_fingerprint`, `object`), the role chunk
///   `"delta":{"role":"assistant","content":null}`, the final chunk
///   `{"finish_reason":…,"index":0,"delta":{}}`, the optional usage chunk with `"choices":[]`
///   (only with `stream_options.include_usage`), `timings` on the last chunk, and the batch
///   `chat.completion` body (`choices`, `created`, `model`, `system_fingerprint`, `object`,
///   `usage`, `id`, `timings`); `result_timings::to_json` field order.
/// - `common/chat.cpp` — `common_chat_msg::to_json_oaicompat`: the batch message is
///   `{"role":"assistant","content":…}`; a content diff is `{"content":…}`.
/// - `tools/server/server-common.cpp` @ 006639c3ff51 — `format_error_response`:
///   `{"code":…,"message":…,"type":…}`; `format_oai_sse`: `data: <json>\n\n` per event.
/// - `tools/server/server-http.cpp` @ 00dd0816129a — `Server: llama.cpp` default header,
///   `Access-Control-Allow-Origin: <request Origin or empty>`, `X-Accel-Buffering: no` on
///   streams, the loading middleware body `{"error":{"message":"Loading model",
///   "type":"unavailable_error","code":503}}` (note: message, type, code), 401
///   `Invalid API Key`, 404 `File Not Found`.
/// - `vendor/cpp-httplib/httplib.h` @ 01a4930e6558 and `httplib.cpp` @ 3ace5fa277c8
///   (cpp-httplib 0.36.0) — status line,
///   `Keep-Alive: timeout=5, max=100`, `Connection: close` on every status ≥ 400 and on the
///   100th request of a connection, `Transfer-Encoding: chunked` with lower-case hex chunk
///   sizes, `0\r\n\r\n` in its own write, `HTTP/1.1 100 Continue\r\n\r\n` before the body,
///   header block and small body in one write. Headers live in an `unordered_multimap` with a
///   case-insensitive hash, so their order is whatever libstdc++ iterates: the orders below
///   were computed by running that container (g++ 12, libstdc++) with llama-server's insertion
///   sequence. A macOS (libc++) build orders them differently; clients must not care.
///
/// Older servers differ in the usage reporting: before PR #15444 (Aug 2025) the final chunk
/// itself carried `usage` and `timings` (`UsageReporting.inFinalChunk`); from #15444 until the
/// fix for #16048 a `"choices":[]` usage chunk was always sent; now it is sent only when the
/// request asks for `stream_options.include_usage`. Real bytes from b6497 (issue #16048):
/// `data: {"choices":[],"created":1758108431,"id":"chatcmpl-…","model":"…",
/// "system_fingerprint":"b6497-cd08fc3e","object":"chat.completion.chunk","usage":{…},
/// "timings":{"cache_n":0,"prompt_n":75,"prompt_ms":180.025,"prompt_per_token_ms":2.400333333333333,…}}`.
///
/// Known differences from the real server: the fake reads a request's whole body before
/// answering (cpp-httplib answers a 401/503 from its middleware without reading it); the JSON
/// parse error message only imitates nlohmann's; `/props` and `/v1/models` are abridged; the
/// timings numbers are made up to agree with the scripted delays.
public enum LlamaWire {
  /// `model` in every chunk: llama-server reports its own model name, not the request's.
  public static let modelName = "LightOnOCR-1B-1025-Q8_0.gguf"
  /// `system_fingerprint`: llama-server's build info, `b<build>-<commit>`.
  public static let buildInfo = "b11434-fakeocr"
  /// cpp-httplib's idle keep-alive timeout and requests per connection.
  public static let keepAliveTimeoutSeconds = 5
  public static let keepAliveMaxRequests = 100
  public static let jsonContentType = "application/json; charset=utf-8"
  public static let sseContentType = "text/event-stream"

  /// `id`, `created`, `model`, `system_fingerprint`: shared by every chunk of one response.
  public struct Envelope: Sendable, Equatable {
    public var id: String
    public var created: Int
    public var model: String
    public var systemFingerprint: String

    public init(
      id: String = LlamaWire.newCompletionID(), created: Int = Int(Date().timeIntervalSince1970),
      model: String = LlamaWire.modelName, systemFingerprint: String = LlamaWire.buildInfo
    ) {
      self.id = id
      self.created = created
      self.model = model
      self.systemFingerprint = systemFingerprint
    }
  }

  /// `chatcmpl-` and 32 random characters of `[0-9A-Za-z]`, like `gen_chatcmplid()`.
  public static func newCompletionID() -> String {
    let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    var rng = SystemRandomNumberGenerator()
    return "chatcmpl-" + String((0..<32).map { _ in alphabet[Int(rng.next() % 62)] })
  }

  // MARK: - SSE events

  static func sse(_ json: JSONValue) -> [UInt8] { Array("data: \(json.serialized)\n\n".utf8) }

  static let doneEvent = Array("data: [DONE]\n\n".utf8)

  static func chunk(_ env: Envelope, delta: JSONValue, finishReason: String?) -> JSONValue {
    .obj([
      "choices": .array([
        .obj([
          "finish_reason": finishReason.map { .string($0) } ?? .null,
          "index": .int(0),
          "delta": delta,
        ])
      ]),
      "created": .int(env.created),
      "id": .string(env.id),
      "model": .string(env.model),
      "system_fingerprint": .string(env.systemFingerprint),
      "object": .string("chat.completion.chunk"),
    ])
  }

  static func roleChunk(_ env: Envelope) -> JSONValue {
    chunk(env, delta: .obj(["role": .string("assistant"), "content": .null]), finishReason: nil)
  }

  /// An empty delta has no content diff: llama-server sends `"delta":{}` for it.
  static func contentChunk(_ env: Envelope, _ text: String) -> JSONValue {
    chunk(
      env, delta: text.isEmpty ? .object([]) : .obj(["content": .string(text)]), finishReason: nil)
  }

  /// The closing chunk(s) of a stream, in one write.
  static func finalChunks(
    _ env: Envelope, finishReason: String, usage: UsageReporting, timings: FakeTimings
  ) -> [JSONValue] {
    var last = chunk(env, delta: .object([]), finishReason: finishReason)
    switch usage {
    case .none:
      last.append("timings", timings.json)
      return [last]
    case .inFinalChunk:
      last.append("usage", timings.usageJSON)
      last.append("timings", timings.json)
      return [last]
    case .separateChunk:
      let usageChunk = JSONValue.obj([
        "choices": .array([]),
        "created": .int(env.created),
        "id": .string(env.id),
        "model": .string(env.model),
        "system_fingerprint": .string(env.systemFingerprint),
        "object": .string("chat.completion.chunk"),
        "usage": timings.usageJSON,
        "timings": timings.json,
      ])
      return [last, usageChunk]
    }
  }

  /// `{"error":{"code":…,"message":…,"type":…}}`, as `format_error_response` orders it.
  static func errorObject(code: Int, message: String, type: String) -> JSONValue {
    .obj(["error": .obj(["code": .int(code), "message": .string(message), "type": .string(type)])])
  }

  /// The middleware's own bodies (server-http.cpp) put `message` first and `code` last.
  static func middlewareError(code: Int, message: String, type: String) -> JSONValue {
    .obj(["error": .obj(["message": .string(message), "type": .string(type), "code": .int(code)])])
  }

  // MARK: - Bodies

  static func batchBody(_ env: Envelope, text: String, finishReason: String, timings: FakeTimings)
    -> JSONValue
  {
    .obj([
      "choices": .array([
        .obj([
          "finish_reason": .string(finishReason),
          "index": .int(0),
          "message": .obj(["role": .string("assistant"), "content": .string(text)]),
        ])
      ]),
      "created": .int(env.created),
      "model": .string(env.model),
      "system_fingerprint": .string(env.systemFingerprint),
      "object": .string("chat.completion"),
      "usage": timings.usageJSON,
      "id": .string(env.id),
      "timings": timings.json,
    ])
  }

  static let healthOK = JSONValue.obj(["status": .string("ok")])
  static let loading = middlewareError(
    code: 503, message: "Loading model", type: "unavailable_error")
  static let invalidAPIKey = middlewareError(
    code: 401, message: "Invalid API Key", type: "authentication_error")
  static let notFound = middlewareError(
    code: 404, message: "File Not Found", type: "not_found_error")

  static let contextSize = 8192

  /// `/v1/models` of a server serving `id` (a GGUF file name, or its `--alias`).
  static func models(id: String = modelName, contextSize: Int = contextSize) -> JSONValue {
    .obj([
      "models": .array([
        .obj([
          "name": .string(id), "model": .string(id), "modified_at": .string(""),
          "size": .string(""), "digest": .string(""), "type": .string("model"),
          "description": .string(""), "tags": .array([.string("")]),
          "capabilities": .array([.string("completion"), .string("multimodal")]),
          "parameters": .string(""),
          "details": .obj([
            "parent_model": .string(""), "format": .string("gguf"), "family": .string(""),
            "families": .array([.string("")]), "parameter_size": .string(""),
            "quantization_level": .string(""),
          ]),
        ])
      ]),
      "object": .string("list"),
      "data": .array([
        .obj([
          "id": .string(id), "aliases": .array([]), "tags": .array([]),
          "object": .string("model"), "created": .int(Int(Date().timeIntervalSince1970)),
          "owned_by": .string("llamacpp"),
          "meta": .obj([
            "vocab_type": .int(2), "n_vocab": .int(151_936), "n_ctx": .int(contextSize),
            "n_ctx_train": .int(40960), "n_embd": .int(1024), "n_params": .int(596_049_920),
            "size": .int(633_180_160), "ftype": .string("Q8_0"),
          ]),
        ])
      ]),
    ])
  }

  /// `/props`, abridged to the fields a client reads (the real one also carries the sampling
  /// defaults, the chat template and its capabilities).
  static func props(slots: Int, id: String = modelName, contextSize: Int = contextSize)
    -> JSONValue
  {
    .obj([
      "default_generation_settings": .obj([
        "params": .obj([
          "temperature": .double(0.800000011920929), "top_k": .int(40),
          "top_p": .double(0.949999988079071), "max_tokens": .int(-1), "n_predict": .int(-1),
          "stream": .bool(true),
        ]),
        "n_ctx": .int(contextSize / max(slots, 1)),
      ]),
      "total_slots": .int(slots),
      "model_alias": .string(id),
      "model_ftype": .string("Q8_0"),
      "model_path": .string("/models/" + id),
      "modalities": .obj(["vision": .bool(true), "video": .bool(false), "audio": .bool(false)]),
      "media_marker": .string("<__media__>"),
      "endpoint_slots": .bool(true),
      "endpoint_props": .bool(false),
      "endpoint_metrics": .bool(false),
      "ui": .bool(true),
      "chat_template": .string(""),
      "bos_token": .string(""),
      "eos_token": .string("<|im_end|>"),
      "build_info": .string(buildInfo),
      "is_sleeping": .bool(false),
    ])
  }

  // MARK: - HTTP head

  /// The status line and headers, in the order cpp-httplib writes them on Linux (see above).
  static func head(
    status: Int, contentType: String, chunked: Bool, contentLength: Int, close: Bool,
    origin: String
  ) -> [UInt8] {
    var lines = ["HTTP/1.1 \(status) \(reasonPhrase(status))"]
    let keepAlive =
      "Keep-Alive: timeout=\(keepAliveTimeoutSeconds), max=\(keepAliveMaxRequests)"
    let acao = "Access-Control-Allow-Origin: \(origin)"
    switch (chunked, close) {
    case (true, false):
      lines += [
        keepAlive, "Transfer-Encoding: chunked", acao, "X-Accel-Buffering: no",
        "Server: llama.cpp", "Content-Type: \(contentType)",
      ]
    case (true, true):
      lines += [
        "Transfer-Encoding: chunked", acao, "X-Accel-Buffering: no", "Server: llama.cpp",
        "Connection: close", "Content-Type: \(contentType)",
      ]
    case (false, false):
      lines += [
        keepAlive, "Content-Type: \(contentType)", "Server: llama.cpp",
        "Content-Length: \(contentLength)", acao,
      ]
    case (false, true):
      lines += [
        "Connection: close", "Content-Type: \(contentType)", "Server: llama.cpp",
        "Content-Length: \(contentLength)", acao,
      ]
    }
    return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
  }

  static let continue100 = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

  /// One HTTP chunk: lower-case hex size, CRLF, payload, CRLF.
  static func chunkFrame(_ payload: [UInt8]) -> [UInt8] {
    Array((String(payload.count, radix: 16) + "\r\n").utf8) + payload + [13, 10]
  }

  static let lastChunk = Array("0\r\n\r\n".utf8)

  static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 201: "Created"
    case 204: "No Content"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 413: "Payload Too Large"
    case 415: "Unsupported Media Type"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: "Internal Server Error"
    }
  }
}

/// Where a stream reports token usage (see `LlamaWire`).
public enum UsageReporting: Sendable, Equatable {
  /// Current llama-server without `stream_options.include_usage`: the final chunk carries
  /// `timings` only.
  case none
  /// Current llama-server with `include_usage`: the final chunk, then a `"choices":[]` chunk
  /// with `usage` and `timings`.
  case separateChunk
  /// llama-server before Aug 2025: the final chunk carries `finish_reason`, `usage`, `timings`.
  case inFinalChunk
}

/// llama-server's `timings` object (and the `usage` derived from it).
public struct FakeTimings: Sendable, Equatable {
  public var cacheN: Int
  public var promptN: Int
  public var promptMs: Double
  public var predictedN: Int
  public var predictedMs: Double

  public init(
    cacheN: Int = 0, promptN: Int = 1024, promptMs: Double, predictedN: Int, predictedMs: Double
  ) {
    self.cacheN = cacheN
    self.promptN = promptN
    self.promptMs = promptMs
    self.predictedN = predictedN
    self.predictedMs = predictedMs
  }

  /// Timings that agree with a fake's own delays (or plausible numbers when there are none).
  static func simulated(promptDelay: Duration, tokenGap: Duration, tokens: Int) -> FakeTimings {
    let prompt = promptDelay.milliseconds
    let gap = tokenGap.milliseconds
    return FakeTimings(
      promptMs: prompt > 0 ? prompt : 85.5, predictedN: tokens,
      predictedMs: Double(tokens) * (gap > 0 ? gap : 12.5))
  }

  /// Same arithmetic as llama-server's `get_timings()`.
  var json: JSONValue {
    .obj([
      "cache_n": .int(cacheN),
      "prompt_n": .int(promptN),
      "prompt_ms": .double(promptMs),
      "prompt_per_token_ms": .double(promptMs / Double(promptN)),
      "prompt_per_second": .double(1e3 / promptMs * Double(promptN)),
      "predicted_n": .int(predictedN),
      "predicted_ms": .double(predictedMs),
      "predicted_per_token_ms": .double(predictedMs / Double(predictedN)),
      "predicted_per_second": .double(1e3 / predictedMs * Double(predictedN)),
    ])
  }

  /// `n_prompt_tokens` counts cached tokens too.
  var usageJSON: JSONValue {
    .obj([
      "completion_tokens": .int(predictedN),
      "prompt_tokens": .int(promptN + cacheN),
      "total_tokens": .int(predictedN + promptN + cacheN),
    ])
  }
}

extension JSONValue {
  mutating func append(_ key: String, _ value: JSONValue) {
    guard case .object(var fields) = self else { return }
    fields.append(Field(key: key, value: value))
    self = .object(fields)
  }
}

extension Duration {
  var milliseconds: Double {
    let (s, atto) = components
    return Double(s) * 1000 + Double(atto) / 1e15
  }
}

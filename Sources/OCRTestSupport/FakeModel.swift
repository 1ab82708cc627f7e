/// Which server the fake plays and which model it serves: what `/v1/models` and `/props` say,
/// so model profiles and `max_tokens` from the context are tested end to end.
public struct FakeModel: Sendable, Equatable {
  public enum Server: Sendable, Equatable {
    /// `/v1/models` with `meta`, `/props` with `model_alias`, `model_path` and the per-slot
    /// `default_generation_settings.n_ctx` (the context divided by the slots).
    case llamaServer
    /// `/v1/models` with `max_model_len`; no `/props` (404).
    case vllm
  }

  public var id: String
  public var server: Server
  /// Tokens in the whole context (llama-server's `-c`, vLLM's `--max-model-len`).
  public var contextTokens: Int
  /// A hostile server: the model id it gives is the request's `Authorization` header.
  public var echoesAuthorization = false

  public init(
    id: String = LlamaWire.modelName, server: Server = .llamaServer, contextTokens: Int = 8192
  ) {
    self.id = id
    self.server = server
    self.contextTokens = contextTokens
  }

  /// The model as a request with `authorization` sees it.
  func answering(authorization: String?) -> FakeModel {
    guard echoesAuthorization else { return self }
    var echoed = self
    echoed.id = authorization ?? ""
    return echoed
  }

  /// The `/v1/models` body.
  func modelsBody() -> JSONValue {
    switch server {
    case .llamaServer: LlamaWire.models(id: id, contextSize: contextTokens)
    case .vllm:
      .obj([
        "object": .string("list"),
        "data": .array([
          .obj([
            "id": .string(id), "object": .string("model"), "created": .int(1_767_225_600),
            "owned_by": .string("vllm"), "root": .string(id), "parent": .null,
            "max_model_len": .int(contextTokens),
            "permission": .array([]),
          ])
        ]),
      ])
    }
  }

  /// The `/props` body, nil where the server has none (vLLM).
  func propsBody(slots: Int) -> JSONValue? {
    server == .llamaServer
      ? LlamaWire.props(slots: slots, id: id, contextSize: contextTokens) : nil
  }
}

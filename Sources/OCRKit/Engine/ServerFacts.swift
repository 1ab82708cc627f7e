import Foundation

/// What a server says about itself that shapes the requests: the models it serves, its
/// parallel slots and the context a request may fill. Parsed from the bodies of llama-server's
/// `GET /props` and the `GET /v1/models` of llama-server or vLLM; pure, so tested without one.
public struct ServerFacts: Sendable, Equatable {
  /// Model ids, most telling first: `/v1/models` ids, then `/props` `model_alias` and
  /// `model_path` (llama-server names the GGUF file there).
  public var modelIDs: [String] = []
  /// llama-server's `total_slots`; nil from vLLM (no `/props`).
  public var slots: Int?
  /// Tokens one request may fill: llama-server's per-slot `default_generation_settings.n_ctx`,
  /// else vLLM's `max_model_len` from `/v1/models`.
  public var contextTokens: Int?
  /// The server answered the probe at all (with any status): one that did not is down, not
  /// a server without `/props`.
  public var answered = true
  /// Both pages answered (with any status: vLLM's `/props` 404 is an answer). A probe where one
  /// timed out says only part of what the server would (no context from a missed `/props`).
  public var complete = true
  /// The server answered 503: it is still loading its model, so what it serves (and so the
  /// model's settings, its slots and context) is not known yet.
  public var loading = false

  public init(modelIDs: [String] = [], slots: Int? = nil, contextTokens: Int? = nil) {
    self.modelIDs = modelIDs
    self.slots = slots
    self.contextTokens = contextTokens
  }

  /// The facts of a `/props` body (nil or anything not JSON: none) and a `/v1/models` body.
  public static func parse(props: [UInt8]?, models: [UInt8]?) -> ServerFacts {
    var facts = ServerFacts()
    let listed = models.flatMap { try? JSONDecoder().decode(Models.self, from: Data($0)) }
    let props = props.flatMap { try? JSONDecoder().decode(Props.self, from: Data($0)) }
    facts.modelIDs = (listed?.data ?? []).map(\.id)
    for id in [props?.modelAlias, props?.modelPath].compactMap({ $0 })
    where !id.isEmpty && !facts.modelIDs.contains(id) {
      facts.modelIDs.append(id)
    }
    // A server's own number, kept sane: slots add up across servers, and a hostile one must
    // not overflow the sum (or ask for a million pages in flight).
    facts.slots = props?.totalSlots.map { min(max($0, 1), 1024) }
    // llama-server's n_ctx is per slot already (the context divided by --parallel).
    let context =
      props?.defaultGenerationSettings?.nCtx ?? listed?.data?.compactMap(\.maxModelLen).first
    facts.contextTokens = context.flatMap { $0 > 0 ? min($0, 10_000_000) : nil }
    return facts
  }

  private struct Props: Decodable {
    struct Settings: Decodable {
      let nCtx: Int?
      enum CodingKeys: String, CodingKey { case nCtx = "n_ctx" }
    }
    let totalSlots: Int?
    let modelAlias: String?
    let modelPath: String?
    let defaultGenerationSettings: Settings?
    enum CodingKeys: String, CodingKey {
      case totalSlots = "total_slots"
      case modelAlias = "model_alias"
      case modelPath = "model_path"
      case defaultGenerationSettings = "default_generation_settings"
    }
  }

  /// Both shapes: llama-server's `data[].id` (with `meta`), vLLM's `data[].id` with
  /// `max_model_len`.
  private struct Models: Decodable {
    struct Model: Decodable {
      let id: String
      let maxModelLen: Int?
      enum CodingKeys: String, CodingKey {
        case id
        case maxModelLen = "max_model_len"
      }
    }
    let data: [Model]?
  }
}

/// What differs between the OCR models a server may serve: the page size they were trained
/// on, their sampling, whether they have a grounding mode, and how many prompt tokens a page
/// image costs. Chosen from the served model's name; every setting stays overridable by a flag.
///
/// The table follows LightOn's own client (`lightonai/LightOnOCR`, `lightonocr/models.py` and
/// its README): generations 1 and 2 are plain only at 1540 px, top_p 0.9; generation 3 has
/// grounding, top_p 1.0, 1540 px for the Pixtral-based 1B and 2048 px for the Qwen3.5-based
/// 0.8B and 4B (which are trained without thinking). Temperature is 0.2 for all.
public struct ModelProfile: Sendable, Equatable {
  /// The family's name for people, e.g. `LightOnOCR-3-4B`; for a model ocrview does not know,
  /// the name the server serves it under (`fake-lightonocr`, a renamed GGUF, an `--alias`).
  public var name: String
  /// Whether the name matched a model in the table; the others get generic settings, and
  /// headers say so.
  public var isKnown = true
  /// Longest side of the page image, in pixels (pages are never upscaled to it).
  public var maxSide: Int
  public var temperature: Double
  public var topP: Double
  /// The model writes `![label](x1,y1,x2,y2)` boxes when asked with the text part `grounding`.
  public var grounding: Bool
  /// Sends `chat_template_kwargs: {"enable_thinking": false}`: the Qwen3.5-based checkpoints
  /// were trained without thinking (other chat templates ignore the flag).
  public var disablesThinking: Bool
  /// Pixels per side of one image token: the encoder's patch size times its spatial merge
  /// (Pixtral 14 × 2; Qwen3.5 16 × 2). Unknown models: 28, the known models' most costly
  /// image. It was 16 (unmerged 16-px patches), which put a 1540-px page at ~6,800 tokens and
  /// left a renamed LightOnOCR 1,146 tokens of an 8,192-token slot against 5,500 under its own
  /// name: dense pages were cut off for being unknown.
  public var imageTokenSide: Int

  public init(
    name: String, maxSide: Int = 1540, temperature: Double = 0.2, topP: Double = 0.9,
    grounding: Bool = false, disablesThinking: Bool = false, imageTokenSide: Int = 28
  ) {
    self.name = name
    self.maxSide = maxSide
    self.temperature = temperature
    self.topP = topP
    self.grounding = grounding
    self.disablesThinking = disablesThinking
    self.imageTokenSide = imageTokenSide
  }

  /// A model ocrview does not know: generic settings (1540 px, temperature 0.2, top_p 0.9).
  public static let unknown = unknown(servedAs: nil)

  /// An unknown model by the id the server serves (its file name, for a path), so the header
  /// names what is actually answering.
  public static func unknown(servedAs id: String?) -> ModelProfile {
    let name = id.flatMap { $0.split(separator: "/").last.map(String.init) }
    var profile = ModelProfile(name: name.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown model")
    profile.isKnown = false
    return profile
  }

  public static let lightOnOCR1 = ModelProfile(name: "LightOnOCR-1B-1025", imageTokenSide: 28)
  public static let lightOnOCR2 = ModelProfile(name: "LightOnOCR-2-1B", imageTokenSide: 28)
  /// Writes `![image](image_N.png)x1,y1,x2,y2` after figures: kept as text, not grounding.
  public static let lightOnOCR2BBox = ModelProfile(
    name: "LightOnOCR-2-1B-bbox", imageTokenSide: 28)
  public static let lightOnOCR3Small = ModelProfile(
    name: "LightOnOCR-3-0.8B", maxSide: 2048, topP: 1.0, grounding: true,
    disablesThinking: true, imageTokenSide: 32)
  public static let lightOnOCR3 = ModelProfile(
    name: "LightOnOCR-3-1B", topP: 1.0, grounding: true, imageTokenSide: 28)
  public static let lightOnOCR3Large = ModelProfile(
    name: "LightOnOCR-3-4B", maxSide: 2048, topP: 1.0, grounding: true, disablesThinking: true,
    imageTokenSide: 32)
  /// A LightOnOCR-3 of a size not listed: as LightOn's client treats it (2048 px, grounding).
  public static let lightOnOCR3Other = ModelProfile(
    name: "LightOnOCR-3", maxSide: 2048, topP: 1.0, grounding: true, disablesThinking: true)

  /// Name patterns, most specific first, matched against a normalised model id.
  static let patterns: [(String, ModelProfile)] = [
    ("lightonocr-3-0.8b", lightOnOCR3Small),
    ("lightonocr-3-1b", lightOnOCR3),
    ("lightonocr-3-4b", lightOnOCR3Large),
    ("lightonocr-3-", lightOnOCR3Other),
    ("lightonocr-2-1b-bbox", lightOnOCR2BBox),
    ("lightonocr-2-", lightOnOCR2),
    ("lightonocr-1b", lightOnOCR1),
  ]

  /// The profile of a served model id: an HF id (`lightonai/LightOnOCR-2-1B`), a GGUF file
  /// name or path (`/models/LightOnOCR-1B-1025-Q8_0.gguf`), an alias; case-insensitive, `_`
  /// and spaces read as `-`. Nil when no pattern matches.
  public static func matching(_ modelID: String) -> ModelProfile? {
    let file = modelID.split(separator: "/").last.map(String.init) ?? modelID
    let name = String(
      file.lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
    return patterns.first { name.contains($0.0) }?.1
  }

  /// The first known profile among the ids (in order), else the first id as an unknown model.
  public static func choose(_ modelIDs: [String]) -> ModelProfile {
    modelIDs.lazy.compactMap(matching).first ?? .unknown(servedAs: modelIDs.first)
  }

  /// One line for headers and `--stats`: "LightOnOCR-3-4B · 2048 px · grounding", with the
  /// image size and grounding mode actually in use (flags may change both).
  public func summary(maxSide: Int, grounding: Bool) -> String {
    // A served name is marked unknown; with no name at all, "unknown model" says it already.
    let label = isKnown || name == Self.unknown.name ? name : "\(name) (unknown model)"
    return ([label, "\(maxSide) px"] + (grounding ? ["grounding"] : [])).joined(separator: " · ")
  }
}

/// A model profile as a run uses it: the image size and grounding mode after the flags.
public struct ActiveProfile: Sendable, Equatable {
  public var model: ModelProfile
  public var maxSide: Int
  public var grounding: Bool

  public init(model: ModelProfile, maxSide: Int, grounding: Bool) {
    self.model = model
    self.maxSide = maxSide
    self.grounding = grounding
  }

  /// "LightOnOCR-3-4B · 2048 px · grounding": for the viewer's header, `--stats`, `doctor`.
  public var summary: String { model.summary(maxSide: maxSide, grounding: grounding) }
}

/// What the command line asked for about requests; nil (or false) where a flag was not given,
/// so the model's profile and the server's context decide. A flag given explicitly wins.
public struct RequestedSettings: Sendable, Equatable {
  public var model: String?
  public var maxTokens: Int?
  public var temperature: Double?
  public var topP: Double?
  public var prompt: String?
  public var maxSide: Int?
  /// `--grounding`: refused for a profile without it (`groundingRefusal`).
  public var grounding = false

  /// Used when neither a flag nor a profile says (the built-in engine, before probing).
  public static let defaultMaxSide = 1540
  public static let defaultMaxTokens = 4096

  public init(
    model: String? = nil, maxTokens: Int? = nil, temperature: Double? = nil, topP: Double? = nil,
    prompt: String? = nil, maxSide: Int? = nil, grounding: Bool = false
  ) {
    self.model = model
    self.maxTokens = maxTokens
    self.temperature = temperature
    self.topP = topP
    self.prompt = prompt
    self.maxSide = maxSide
    self.grounding = grounding
  }

  /// The settings sent to a server serving a model of `profile` with `contextTokens` per
  /// request (nil: unknown, so `max_tokens` is 4096 unless given).
  public func settings(profile: ModelProfile, contextTokens: Int?) -> GenerationSettings {
    var settings = GenerationSettings(
      model: model, maxTokens: maxTokens ?? Self.defaultMaxTokens,
      temperature: temperature ?? profile.temperature, topP: topP ?? profile.topP,
      prompt: prompt)
    settings.grounding = grounding && profile.grounding
    settings.disablesThinking = profile.disablesThinking
    settings.contextTokens = maxTokens == nil ? contextTokens : nil
    settings.imageTokenSide = profile.imageTokenSide
    return settings
  }

  /// The profile of the model a server serves (`--model` first, when it names a known one),
  /// as these flags change it.
  public func profile(for facts: ServerFacts) -> ActiveProfile {
    let model = ModelProfile.choose([model].compactMap { $0 } + facts.modelIDs)
    return ActiveProfile(
      model: model, maxSide: maxSide(profile: model), grounding: grounding && model.grounding)
  }

  /// The longest side of page images for `profile` (nil: no server profile, the built-in
  /// engine).
  public func maxSide(profile: ModelProfile?) -> Int {
    maxSide ?? profile?.maxSide ?? Self.defaultMaxSide
  }

  /// Why `--grounding` cannot be honoured with this profile (nil: no server), or nil when it
  /// can (or was not asked for).
  public func groundingRefusal(profile: ModelProfile?) -> ProfileError? {
    guard grounding else { return nil }
    guard let profile else { return .groundingNeedsServer }
    return profile.grounding ? nil : .noGrounding(model: profile.name)
  }
}

/// A setting the served model cannot have.
public enum ProfileError: Error, Equatable, CustomStringConvertible {
  case noGrounding(model: String)
  case groundingNeedsServer

  public var description: String {
    switch self {
    case .noGrounding(let model):
      "--grounding needs a LightOnOCR-3 model; the server serves \(model), which has no "
        + "grounding mode (leave out --grounding, or serve LightOnOCR-3)"
    case .groundingNeedsServer:
      "--grounding needs a LightOnOCR-3 server; the built-in Tesseract engine has no grounding "
        + "mode (start the server, or leave out --grounding)"
    }
  }
}

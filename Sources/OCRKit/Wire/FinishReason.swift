/// How a page's answer ended: the server's `finish_reason`, or the loop guard stopping it.
///
/// One value, not a string compared in five places: `stop` is a clean end, `length` hit the
/// token limit, `loop` is ocrview's own stop when the model repeats itself. Anything else a
/// server says is kept as sent (`other`). The raw strings are what journals and jsonl hold —
/// `"stop"`, `"length"`, `"repetition"` (the loop guard's, since before this type) — so files
/// written by older versions read back unchanged.
public enum FinishReason: Sendable, Hashable {
  case stop
  case length
  /// The loop guard stopped a model repeating itself; the text is kept up to the loop.
  case loop
  case other(String)

  public init(rawValue: String) {
    switch rawValue {
    case "stop": self = .stop
    case "length": self = .length
    case "repetition": self = .loop
    default: self = .other(rawValue)
    }
  }

  public var rawValue: String {
    switch self {
    case .stop: "stop"
    case .length: "length"
    case .loop: "repetition"
    case .other(let raw): raw
    }
  }

  /// The page ended by itself, not stopped short: `stop`, or anything a server says that is
  /// neither the token limit nor a loop (`tool_calls`, `eos`).
  public var isClean: Bool {
    switch self {
    case .length, .loop: false
    case .stop, .other: true
    }
  }
}

extension FinishReason: Codable {
  public init(from decoder: any Decoder) throws {
    self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// Tests and fixtures write `"stop"`; it reads as the raw string would.
extension FinishReason: ExpressibleByStringLiteral {
  public init(stringLiteral value: String) { self.init(rawValue: value) }
}

extension FinishReason: CustomStringConvertible {
  public var description: String { rawValue }
}

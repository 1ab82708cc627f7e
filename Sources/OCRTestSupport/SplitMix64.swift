/// SplitMix64: a tiny deterministic generator, so property tests and simulations draw the same
/// cases every run.
public struct SplitMix64: RandomNumberGenerator {
  public var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in `0 ..< bound`, by plain modulo (the tiny bias does not matter for tests and
  /// keeps the sequence independent of the standard library's sampling algorithm).
  public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  public mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

  /// A number in `0 ..< 1`, from the top 53 bits.
  public mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

import Foundation

/// Numbers a server sends or a journal holds, brought at decoding into ranges that every later
/// sum, rate and format survives.
///
/// A server's `usage.completion_tokens` of `Int.max` once crashed `--stats`, `bench` and the
/// viewer (a rate that big trapped converting back to `Int`), and being journaled it crashed
/// every later run of that document; a journal's `ttft_ms` of 1e16 crashed `journal list`. A
/// count below zero, or a time that is not a finite number of milliseconds at or above zero,
/// says nothing and is dropped (nil); one beyond the bound is clamped to it.
public enum Plausible {
  /// Tokens, deltas, bytes or pixels: a billion is far beyond any page.
  public static let maxCount = 1_000_000_000
  /// 10^10 ms, about 116 days.
  public static let maxMilliseconds = 1e10
  /// Tokens per second.
  public static let maxRate = 1e9

  public static func count(_ value: Int?) -> Int? {
    guard let value, value >= 0 else { return nil }
    return min(value, maxCount)
  }

  public static func milliseconds(_ value: Double?) -> Double? { bounded(value, maxMilliseconds) }

  public static func rate(_ value: Double?) -> Double? { bounded(value, maxRate) }

  private static func bounded(_ value: Double?, _ bound: Double) -> Double? {
    guard let value, !value.isNaN, value >= 0 else { return nil }
    return min(value, bound)
  }
}

extension KeyedDecodingContainer {
  /// A count as `Plausible.count` keeps it. A number too big for `Int` (or written with a
  /// fraction or exponent) is clamped, not a decoding error: the error would lose the whole
  /// chunk, its text with it. Anything that is not a number is absent.
  func plausibleCount(_ key: Key) -> Int? {
    if let value = try? decodeIfPresent(Int.self, forKey: key) { return Plausible.count(value) }
    guard let value = try? decodeIfPresent(Double.self, forKey: key) else { return nil }
    return Plausible.count(Int(saturating: value))
  }

  func plausibleMilliseconds(_ key: Key) -> Double? {
    Plausible.milliseconds(try? decodeIfPresent(Double.self, forKey: key))
  }

  func plausibleRate(_ key: Key) -> Double? {
    Plausible.rate(try? decodeIfPresent(Double.self, forKey: key))
  }
}

extension Int {
  /// `value` rounded toward zero, clamped to `Int`'s range; NaN is 0. Every `Double` → `Int`
  /// conversion goes through this: `Int(_:)` traps on NaN, infinities and |value| ≥ 2^63.
  public init(saturating value: Double) {
    if value.isNaN {
      self = 0
    } else if value >= 0x1p63 {
      self = .max
    } else if value <= -0x1p63 {
      self = .min
    } else {
      self = Int(value)
    }
  }
}

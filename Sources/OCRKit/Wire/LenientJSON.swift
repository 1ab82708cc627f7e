import Foundation

/// Decodes JSON from a server, accepting lone UTF-16 surrogate escapes.
///
/// A model can emit half of a surrogate pair (`"\ud800"`) when a token boundary splits an emoji;
/// Foundation's `JSONDecoder` rejects the whole document for it, which dropped the delta. Such
/// an escape is read as U+FFFD instead, as invalid UTF-8 already is.
enum LenientJSON {
  static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> T? {
    if let value = try? JSONDecoder().decode(type, from: Data(bytes)) { return value }
    guard let repaired = replacingLoneSurrogates(bytes) else { return nil }
    return try? JSONDecoder().decode(type, from: Data(repaired))
  }

  /// `bytes` with every `\uD800`–`\uDFFF` escape that is not part of a high-low pair replaced
  /// by `\uFFFD`; nil when there is none. Escaped backslashes (`\\ud800`) are left alone.
  static func replacingLoneSurrogates(_ bytes: [UInt8]) -> [UInt8]? {
    var out: [UInt8] = []
    var changed = false
    var i = 0
    while i < bytes.count {
      guard bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count else {
        out.append(bytes[i])
        i += 1
        continue
      }
      guard bytes[i + 1] == UInt8(ascii: "u"), let unit = codeUnit(bytes, at: i) else {
        out += bytes[i...i + 1]  // any other escape, `\\` included, is two bytes
        i += 2
        continue
      }
      if (0xD800...0xDBFF).contains(unit), let low = codeUnit(bytes, at: i + 6),
        (0xDC00...0xDFFF).contains(low)
      {
        out += bytes[i..<i + 12]
        i += 12
      } else if (0xD800...0xDFFF).contains(unit) {
        out += Array("\\uFFFD".utf8)
        changed = true
        i += 6
      } else {
        out += bytes[i..<i + 6]
        i += 6
      }
    }
    return changed ? out : nil
  }

  /// The value of the `\uXXXX` escape starting at `index`, nil if there is none there.
  private static func codeUnit(_ bytes: [UInt8], at index: Int) -> UInt32? {
    guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
      bytes[index + 1] == UInt8(ascii: "u")
    else { return nil }
    var value: UInt32 = 0
    for byte in bytes[index + 2..<index + 6] {
      guard let digit = hexDigit(byte) else { return nil }
      value = value << 4 | digit
    }
    return value
  }

  private static func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }
}

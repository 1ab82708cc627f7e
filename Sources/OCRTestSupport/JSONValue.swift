/// A JSON value with ordered object keys, serialised the way llama-server's nlohmann::ordered_json
/// does with `dump(-1, ' ', false, replace)`: no whitespace, keys in insertion order, UTF-8 left
/// as is (not `\u`-escaped), `/` not escaped, control characters as `\b \f \n \r \t` or
/// `\u00xx` (lower-case hex), doubles in shortest round-trip form (`12.0`, `0.0001`, `1e-05`),
/// and non-finite doubles as `null`.
indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([Field])

  struct Field: Sendable, Equatable {
    var key: String
    var value: JSONValue
  }

  /// `.object(["a": 1, "b": 2])` keeps the written order.
  static func obj(_ fields: KeyValuePairs<String, JSONValue>) -> JSONValue {
    .object(fields.map { Field(key: $0.key, value: $0.value) })
  }

  var serialized: String {
    var out = ""
    write(to: &out)
    return out
  }

  var bytes: [UInt8] { Array(serialized.utf8) }

  private func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += JSONValue.format(d)
    case .string(let s): JSONValue.escape(s, into: &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(to: &out)
      }
      out += "]"
    case .object(let fields):
      out += "{"
      for (i, field) in fields.enumerated() {
        if i > 0 { out += "," }
        JSONValue.escape(field.key, into: &out)
        out += ":"
        field.value.write(to: &out)
      }
      out += "}"
    }
  }

  static func escape(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }

  /// nlohmann's `to_chars` layout (min_exp -4, max_exp 15) over Swift's shortest digits.
  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    let sign = value < 0 ? "-" : ""
    // Swift's description is the shortest round-trip form, e.g. "123.456", "1e-05", "5e-324".
    let text = "\(value.magnitude)"
    let parts = text.split(separator: "e", maxSplits: 1)
    let mantissa = parts[0]
    let exponent = parts.count > 1 ? Int(parts[1])! : 0
    var digits = Array(mantissa.filter { $0 != "." })
    var point =
      (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
        ?? mantissa.count) + exponent
    while digits.first == "0" {
      digits.removeFirst()
      point -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    let k = digits.count
    let n = point  // the value is 0.d1d2...dk × 10^n
    let d = String(digits)
    if k <= n && n <= 15 {
      return sign + d + String(repeating: "0", count: n - k) + ".0"
    }
    if 0 < n && n <= 15 {
      return sign + String(digits[0..<n]) + "." + String(digits[n...])
    }
    if -4 < n && n <= 0 {
      return sign + "0." + String(repeating: "0", count: -n) + d
    }
    let e = n - 1
    let exp = (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
    let lead = k == 1 ? d : String(digits[0]) + "." + String(digits[1...])
    return sign + lead + "e" + exp
  }
}

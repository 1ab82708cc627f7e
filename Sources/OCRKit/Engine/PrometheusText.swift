/// The subset of the Prometheus text exposition format (version 0.0.4) that a server's
/// `/metrics` page needs to be read for its queue: sample lines `name{label="value",…} number
/// [timestamp]`, `#` comment lines (`# HELP`, `# TYPE`) and blank lines. Pure and bounded, so
/// a garbage or hostile page costs one pass and yields nothing rather than an error.
///
/// As the servers write it (checked against their sources):
/// - llama-server (`server_task_result_metrics::to_metrics`, with `--metrics`):
///   `llamacpp:requests_processing 3` — no labels, the value as a C++ stream prints a double;
/// - vLLM (prometheus_client): `vllm:num_requests_running{engine="0",model_name="m"} 3.0` —
///   one series per engine (data parallel) and model, so a figure is the sum over its series;
///   values as Python prints floats (`3.0`, `1.5e-05`, `NaN`, `+Inf`).
///
/// Label values may hold any character, `}` and `,` included, with `\"`, `\\` and `\n`
/// escaped: the label block is skipped by its quoting, never by searching for `}`.
public enum PrometheusText {
  /// The sum over series of each metric in `names` that `text` has; a metric with a value
  /// that is not a finite number is left out. Lines that do not parse are skipped.
  public static func sums(_ text: [UInt8], names: Set<String>) -> [String: Double] {
    values(text, names: names).compactMapValues { values in
      let sum = values.reduce(0, +)
      return sum.isFinite ? sum : nil
    }
  }

  /// Every series' value of each metric in `names` that `text` has, in the page's order.
  public static func values(_ text: [UInt8], names: Set<String>) -> [String: [Double]] {
    var values: [String: [Double]] = [:]
    var start = 0
    while start < text.count {
      var end = start
      while end < text.count, text[end] != UInt8(ascii: "\n") { end += 1 }
      if let (name, value) = sample(text[start..<end]), names.contains(name) {
        values[name, default: []].append(value)
      }
      start = end + 1
    }
    return values
  }

  /// One sample line's metric name and value; nil for a comment, a blank or a malformed line.
  static func sample(_ line: ArraySlice<UInt8>) -> (String, Double)? {
    var index = line.startIndex
    let end = line.endIndex
    func skipSpaces() {
      while index < end, line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t") {
        index += 1
      }
    }
    skipSpaces()
    guard index < end, line[index] != UInt8(ascii: "#") else { return nil }
    let nameStart = index
    while index < end, isNameByte(line[index], first: index == nameStart) { index += 1 }
    guard index > nameStart else { return nil }
    let name = String(decoding: line[nameStart..<index], as: UTF8.self)
    if index < end, line[index] == UInt8(ascii: "{") {
      guard let after = labelsEnd(line, from: index + 1) else { return nil }
      index = after
    }
    // The name (or labels) and the value are separated by blanks.
    let beforeValue = index
    skipSpaces()
    guard index > beforeValue, index < end else { return nil }
    let valueStart = index
    while index < end, line[index] != UInt8(ascii: " "), line[index] != UInt8(ascii: "\t"),
      line[index] != UInt8(ascii: "\r")
    {
      index += 1
    }
    guard let value = number(line[valueStart..<index]) else { return nil }
    return (name, value)
  }

  /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
  private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "_"), UInt8(ascii: ":"):
      true
    case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
    default: false
    }
  }

  /// The index just past the `}` closing a label block that starts at `index`, skipping quoted
  /// values with their escapes; nil when the line ends first.
  private static func labelsEnd(_ line: ArraySlice<UInt8>, from start: Int) -> Int? {
    var index = start
    var quoted = false
    while index < line.endIndex {
      let byte = line[index]
      if quoted {
        if byte == UInt8(ascii: "\\") {
          index += 1
        } else if byte == UInt8(ascii: "\"") {
          quoted = false
        }
      } else if byte == UInt8(ascii: "\"") {
        quoted = true
      } else if byte == UInt8(ascii: "}") {
        return index + 1
      }
      index += 1
    }
    return nil
  }

  /// A Prometheus value: a Go-style float, `NaN`, `+Inf`, `-Inf` (the last three parse but
  /// are not finite). Long tokens are garbage, not numbers.
  private static func number(_ token: ArraySlice<UInt8>) -> Double? {
    guard !token.isEmpty, token.count <= 40,
      token.allSatisfy({ byte in
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"),
          UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"):
          true
        default: false
        }
      })
        || ["NaN", "+Inf", "-Inf", "Inf", "nan", "inf", "-nan", "-inf"].contains(
          String(decoding: token, as: UTF8.self))
    else { return nil }
    return Double(String(decoding: token, as: UTF8.self))
  }
}

/// Incremental Server-Sent-Events decoder.
///
/// Network reads split events anywhere — inside a line, between `\r` and `\n`, inside a
/// multi-byte UTF-8 character — so bytes are buffered until a whole event is seen and only
/// then decoded as text. Accepts LF, CRLF and lone CR line ends; skips `:` comments
/// (keep-alives) and fields other than `data`.
public struct SSEDecoder: Sendable {
  private var line: [UInt8] = []
  private var data: [UInt8] = []
  private var hasData = false
  private var lastWasCR = false

  public init() {}

  /// Feeds bytes from the network; returns the `data` payload of each event they complete.
  public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
    var events: [String] = []
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\n") where lastWasCR:
        lastWasCR = false
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        lastWasCR = byte == UInt8(ascii: "\r")
        if let event = endLine() { events.append(event) }
      default:
        lastWasCR = false
        line.append(byte)
      }
    }
    return events
  }

  /// Handles one complete line; a blank line dispatches the pending event.
  private mutating func endLine() -> String? {
    defer { line.removeAll(keepingCapacity: true) }
    if line.isEmpty {
      guard hasData else { return nil }
      let payload = String(decoding: data, as: UTF8.self)
      data.removeAll(keepingCapacity: true)
      hasData = false
      return payload
    }
    if line.first == UInt8(ascii: ":") { return nil }
    let field = line.prefix { $0 != UInt8(ascii: ":") }
    guard field.elementsEqual("data".utf8) else { return nil }
    var value = line.dropFirst(field.count + 1)
    if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
    if hasData { data.append(UInt8(ascii: "\n")) }
    data.append(contentsOf: value)
    hasData = true
    return nil
  }
}

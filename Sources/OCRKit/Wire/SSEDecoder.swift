/// Incremental Server-Sent-Events decoder.
///
/// Network reads split events anywhere — inside a line, between `\r` and `\n`, inside a
/// multi-byte UTF-8 character — so bytes are buffered until a whole event is seen and only
/// then decoded as text. Accepts LF, CRLF and lone CR line ends and a UTF-8 byte-order mark
/// before the first line (as the SSE spec does); skips `:` comments (keep-alives) and fields
/// other than `data`.
///
/// Bounded: a line, or an event's `data` lines together, longer than `maxLineBytes` stops
/// the decoder (`overflow`). Unbounded, one endless line from a server grew the process to
/// 17.7 GB in a minute.
public struct SSEDecoder: Sendable {
  /// 1 MiB: a chunk of a few tokens is a few hundred bytes.
  public static let maxLineBytes = 1 << 20
  private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  private var line: [UInt8] = []
  private var data: [UInt8] = []
  private var hasData = false
  private var lastWasCR = false
  /// The stream's first bytes while they may still be a byte-order mark; nil once past it.
  private var start: [UInt8]? = []
  /// Set when a line or event went over `maxLineBytes`; the decoder then ignores all input.
  public private(set) var overflow: Oversize?

  public init() {}

  /// Feeds bytes from the network; returns the `data` payload of each event they complete
  /// (those before an overflow too).
  public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
    var events: [String] = []
    for byte in bytes {
      guard overflow == nil else { break }
      if start != nil {
        skipByteOrderMark(byte, into: &events)
      } else {
        take(byte, into: &events)
      }
    }
    return events
  }

  /// Holds back the first bytes until they are known not to be a byte-order mark.
  private mutating func skipByteOrderMark(_ byte: UInt8, into events: inout [String]) {
    start!.append(byte)
    let head = start!
    if head == Self.byteOrderMark {
      start = nil
    } else if !Self.byteOrderMark.starts(with: head) {
      start = nil
      for byte in head { take(byte, into: &events) }
    }
  }

  private mutating func take(_ byte: UInt8, into events: inout [String]) {
    switch byte {
    case UInt8(ascii: "\n") where lastWasCR:
      lastWasCR = false
    case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
      lastWasCR = byte == UInt8(ascii: "\r")
      if let event = endLine() { events.append(event) }
    default:
      lastWasCR = false
      guard line.count < Self.maxLineBytes else {
        overflow = .line(bytes: Self.maxLineBytes)
        return
      }
      line.append(byte)
    }
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
    guard data.count + value.count + (hasData ? 1 : 0) <= Self.maxLineBytes else {
      overflow = .event(bytes: Self.maxLineBytes)
      return nil
    }
    if hasData { data.append(UInt8(ascii: "\n")) }
    data.append(contentsOf: value)
    hasData = true
    return nil
  }
}

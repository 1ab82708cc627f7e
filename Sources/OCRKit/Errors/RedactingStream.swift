/// Page text with the secrets taken out as it streams: a server that writes the API key into
/// the page must not get it into `-o`, stdout, jsonl, the journal or the viewer.
///
/// A key may arrive split over two deltas (or twenty), so each delta is passed on except a
/// tail that could still be the start of a secret — only that, never more, so text is not
/// delayed by more than a key's length. Pure: tested split at every character.
public struct RedactingStream: Sendable {
  public let secrets: Secrets
  /// Text received but not passed on: a proper prefix of a secret, nothing else.
  public private(set) var held = ""

  public init(secrets: Secrets) { self.secrets = secrets }

  /// The text of `delta` (and of what was held) that is safe to pass on now; may be empty.
  public mutating func feed(_ delta: String) -> String {
    let text = secrets.redactSecrets(held + delta)
    let pending = secrets.pendingPrefixLength(text)
    held = String(text.suffix(pending))
    return String(text.dropLast(pending))
  }

  /// What is still held once the text has ended. `cut`: the text stopped short (a token limit,
  /// a cut-off stream), so a start of a secret at its end may be all of a key but its last
  /// characters — masked as `***`. After a complete answer it was only text: passed on.
  public mutating func finish(cut: Bool) -> String {
    defer { held = "" }
    return cut ? secrets.maskingPrefixAtEnd(held) : held
  }
}

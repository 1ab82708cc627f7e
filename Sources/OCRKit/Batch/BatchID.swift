/// The `custom_id` of one exported page: `ocrview-<document>-<settings>-p<page>`, the document
/// by its content hash and the settings by the hash of their journal identity — the two halves
/// of the journal file's name — so a result line names the journal it belongs in, whichever
/// file, machine or order it comes back in.
public struct BatchID: Hashable, Sendable, CustomStringConvertible {
  /// The first 32 hex digits of the document's content fingerprint (`ContentHash`).
  public var document: String
  /// The 16 hex digits of `JournalStore.settingsHash(identity)`.
  public var settings: String
  public var page: Int

  public init(document: String, settings: String, page: Int) {
    self.document = String(document.prefix(32))
    self.settings = String(settings.prefix(16))
    self.page = page
  }

  public var description: String { "ocrview-\(document)-\(settings)-p\(page)" }

  /// Reads a `custom_id` back; nil for anything ocrview did not write.
  public init?(parsing text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 4, parts[0] == "ocrview", parts[1].count == 32, parts[2].count == 16,
      parts[1].allSatisfy(\.isHexDigit), parts[2].allSatisfy(\.isHexDigit),
      parts[3].first == "p", let page = Int(parts[3].dropFirst()), page > 0,
      parts[3].dropFirst().allSatisfy(\.isASCII)
    else { return nil }
    self.init(document: String(parts[1]), settings: String(parts[2]), page: page)
  }
}

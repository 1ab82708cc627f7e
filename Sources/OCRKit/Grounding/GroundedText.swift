/// How transcripts treat a grounding page: its text without box markup, leaving out the
/// blocks whose labels are in `drop` (`--drop header,footer,page_number`).
public struct GroundingOutput: Sendable, Equatable {
  public var drop: Set<String>

  public init(drop: Set<String> = []) { self.drop = drop }
}

/// Turns grounding output into Markdown as it streams: box markers removed, blocks separated
/// by a blank line (a `text+` continuation joined to the block before by a space, as LightOn's
/// `to_markdown` does), blocks with a dropped label left out. Holds back only what could still
/// become a marker and the whitespace at the end of a block (which becomes the separator when
/// a marker follows). Pure value type.
public struct GroundedText: Sendable {
  private var parser = GroundingParser()
  private let drop: Set<String>
  /// Text of the current block is written (not a dropped label).
  private var keeping = true
  /// Nothing of the current block written yet: its leading whitespace is dropped.
  private var atBlockStart = false
  /// The current block wrote text (a continuation joins it).
  private var blockWrote = false
  private var wroteAny = false
  /// Whitespace at the end of what was written, until it is known what follows.
  private var heldSpace = ""

  public init(drop: Set<String> = []) { self.drop = drop }

  /// The Markdown of a whole page's raw output.
  public static func plain(_ raw: String, drop: Set<String> = []) -> String {
    var text = GroundedText(drop: drop)
    return text.feed(raw) + text.finish()
  }

  /// The text this delta completes (often all of it).
  public mutating func feed(_ delta: String) -> String { take(parser.feed(delta)) }

  /// The rest, at the end of the page.
  public mutating func finish() -> String {
    let out = take(parser.finish()) + (wroteAny ? heldSpace : "")
    heldSpace = ""
    return out
  }

  private mutating func take(_ pieces: [GroundingParser.Piece]) -> String {
    var out = ""
    for piece in pieces {
      switch piece {
      case .marker(let marker):
        let joins = marker.continues && keeping && blockWrote
        keeping = !drop.contains(marker.label)
        if keeping { heldSpace = !wroteAny ? "" : joins ? " " : "\n\n" }
        atBlockStart = true
        blockWrote = false
      case .text(var text):
        guard keeping else { continue }
        if atBlockStart {
          text = String(text.drop(while: \.isWhitespace))
          if text.isEmpty { continue }
          atBlockStart = false
        }
        guard let last = text.lastIndex(where: { !$0.isWhitespace }) else {
          heldSpace += text
          continue
        }
        let end = text.index(after: last)
        out += heldSpace + text[..<end]
        heldSpace = String(text[end...])
        wroteAny = true
        blockWrote = true
      }
    }
    return out
  }
}

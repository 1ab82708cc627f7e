/// Text a server sent, or a file name, made safe for a terminal.
///
/// A server's bytes reach stderr, the viewer and transcripts; a file name in a folder walk or a
/// journal is anyone's bytes too. Raw, an escape sequence in them
/// can retitle the terminal, clear the screen or, with a CR, overwrite what the user reads.
public enum ServerText {
  /// A server's message as one printable line: line breaks and tabs become one space, every
  /// other C0/C1 control and DEL is shown escaped (`\x1b`), so nothing in it acts on a terminal.
  public static func oneLine(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    for scalar in text.unicodeScalars {
      if isLineBreakOrTab(scalar) {
        pendingSpace = !out.isEmpty
        continue
      }
      if pendingSpace {
        out.append(" ")
        pendingSpace = false
      }
      if isControl(scalar) {
        out.append(contentsOf: escaped(scalar).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// A file name, or a string read back from a file (a journal's document name), for a
  /// terminal: every control, line breaks and tabs included, shown escaped (`\x1b`, `\x0a`), so
  /// a name can neither act on the terminal nor pass for two lines. Names shown on stderr or
  /// stdout go through this, and only this.
  public static func name(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isControl(scalar) {
        out.append(contentsOf: escaped(scalar).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// Page text for a terminal: newlines, tabs and the form feed that separates `.txt` pages
  /// stay; every other C0/C1 control (ESC, CR, BEL, CSI, …) and DEL is dropped.
  public static func forTerminal(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { isControl($0) && !keepsOnTerminal($0) }) else {
      return text
    }
    return String(
      String.UnicodeScalarView(
        text.unicodeScalars.filter { !isControl($0) || keepsOnTerminal($0) }))
  }

  /// C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  private static func isLineBreakOrTab(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "\n", "\r", "\t", "\u{0B}", "\u{0C}", "\u{85}": true
    default: false
    }
  }

  private static func keepsOnTerminal(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "\n" || scalar == "\t" || scalar == "\u{0C}"
  }

  private static func escaped(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16)
    return "\\x" + (hex.count < 2 ? "0" + hex : hex)
  }
}

import CNcurses
import OCRViewUI

/// Maps what ncurses' `wget_wch` returns to a `Key`: a pure function of the status and the code,
/// so every mapping is unit-tested without a terminal.
///
/// Escape sequences are decoded by ncurses from terminfo (plus the common xterm sequences
/// `Terminal` adds with `define_key` where terminfo lacks them, e.g. on vt100); only a lone ESC
/// is decoded here.
enum KeyDecoder {
  /// - Parameters:
  ///   - status: `wget_wch`'s result: `OK` for a character, `KEY_CODE_YES` for a function key,
  ///     `ERR` for no input.
  ///   - code: the `wint_t` it stored: a Unicode scalar, or a `KEY_*` code.
  /// - Returns: the key, or nil for no input, `KEY_RESIZE` (the terminal reports resizes
  ///   separately) and keys ocrview has no use for (F1–F12, NUL, C1 controls, …).
  static func key(status: Int32, code: UInt32) -> Key? {
    switch status {
    case OK: return character(code)
    case KEY_CODE_YES: return functionKey(Int32(bitPattern: code))
    default: return nil
    }
  }

  private static func character(_ code: UInt32) -> Key? {
    switch code {
    case 8, 127: return .backspace  // Ctrl-H or DEL: what terminals send for Backspace
    case 9: return .tab
    case 10, 13: return .enter  // Ctrl-J / Ctrl-M (nl mode turns CR into LF)
    case 27: return .escape
    case 1...26: return .control(Character(Unicode.Scalar(UInt8(0x60) + UInt8(code))))
    case 28...31:  // Ctrl-\ Ctrl-] Ctrl-^ Ctrl-_
      return .control(Character(Unicode.Scalar(UInt8(0x40) + UInt8(code))))
    case 0, 0x80...0x9F: return nil  // NUL and C1 controls
    default:
      guard let scalar = Unicode.Scalar(code) else { return nil }  // surrogates, > U+10FFFF
      return .character(Character(scalar))
    }
  }

  private static func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    // KEY_A3/KEY_C3/KEY_A1/KEY_C1: the keypad's corner keys (PgUp/PgDn/Home/End with NumLock off).
    case KEY_PPAGE, KEY_A3: return .pageUp
    case KEY_NPAGE, KEY_C3: return .pageDown
    // xterm's terminfo calls "\e[1~" and "\e[4~" Find and Select (kfnd, kslt); tmux, screen and
    // most keyboards send them for Home and End.
    case KEY_HOME, KEY_A1, KEY_FIND: return .home
    case KEY_END, KEY_C1, KEY_SELECT, KEY_LL: return .end
    case KEY_BTAB: return .backTab
    case KEY_DC: return .delete
    case KEY_BACKSPACE: return .backspace
    case KEY_ENTER: return .enter
    default: return nil
    }
  }
}

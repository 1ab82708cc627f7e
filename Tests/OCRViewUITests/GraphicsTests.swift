import OCRKit
import Testing

@testable import OCRViewUI

/// Terminal graphics: which protocol a terminal gets, and the bytes of each for a known image.
@Suite struct GraphicsTests {
  static let image = ImageCellsTests.bitmap(width: 20, height: 20) { x, y in
    x < 10 ? (255, 0, 0) : (0, 0, 255)
  }

  @Test func detectionFromTheEnvironment() {
    #expect(GraphicsMode.detect(environment: ["TERM": "xterm-kitty"]) == .kitty)
    #expect(
      GraphicsMode.detect(environment: ["TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"]) == .kitty
    )
    #expect(GraphicsMode.detect(environment: ["TERM_PROGRAM": "iTerm.app"]) == .iterm)
    #expect(GraphicsMode.detect(environment: ["TERM": "foot"]) == .sixel)
    #expect(GraphicsMode.detect(environment: ["TERM": "xterm-256color"]) == .symbols)
    // tmux stands between: symbols, whatever the outer terminal is.
    #expect(
      GraphicsMode.detect(environment: [
        "TERM": "tmux-256color", "TMUX": "/tmp/x", "KITTY_WINDOW_ID": "1",
      ])
        == .symbols)
  }

  func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  @Test func kittyBytesAreOneGraphicsCommandSizedToTheCells() {
    let bytes = PixelImage.make(
      Self.image, columns: 4, rows: 2, cellWidth: 10, cellHeight: 20, mode: .kitty)
    let escape = text(bytes)
    #expect(escape.hasPrefix("\u{1B}_G"), "\(escape.prefix(40))")
    #expect(escape.contains("\u{1B}\\"))
    // 4 × 2 cells of 10 × 20 pixels: the image placed over 4 columns and 2 rows.
    #expect(escape.contains("c=4") && escape.contains("r=2"), "\(escape.prefix(80))")
  }

  @Test func sixelBytesAreADeviceControlStringWithBothColours() {
    let bytes = PixelImage.make(
      Self.image, columns: 4, rows: 2, cellWidth: 10, cellHeight: 20, mode: .sixel)
    let escape = text(bytes)
    #expect(escape.hasPrefix("\u{1B}P"), "\(escape.prefix(20))")
    #expect(escape.contains("q") && escape.hasSuffix("\u{1B}\\"))
    // Sixel colour registers, in percent: pure red and pure blue.
    #expect(escape.contains(";2;100;0;0") && escape.contains(";2;0;0;100"), "\(escape.prefix(120))")
  }

  @Test func itermBytesCarryAnInlineFile() {
    let escape = text(
      PixelImage.make(Self.image, columns: 4, rows: 2, cellWidth: 10, cellHeight: 20, mode: .iterm))
    #expect(escape.hasPrefix("\u{1B}]1337;File="), "\(escape.prefix(40))")
    #expect(escape.contains("inline=1"))
  }
}

import Foundation
import Testing

@testable import OCRKit

/// File names are anyone's bytes: in every message they reach a terminal escaped.
@Suite struct TerminalNameTests {
  static let hostile = "\u{1B}]0;owned\u{07}\u{1B}[2J\nx\t\u{9B}"
  static let shown = #"\x1b]0;owned\x07\x1b[2J\x0ax\x09\x9b"#

  @Test func aNameShowsEveryControlEscapedAndAnythingElseAsIs() {
    #expect(ServerText.name(Self.hostile) == Self.shown)
    #expect(ServerText.name("보고서 (2).pdf") == "보고서 (2).pdf")
    #expect(
      ServerText.name(ServerText.name(Self.hostile)) == Self.shown, "escaping twice changes nothing"
    )
  }

  @Test func everyDocumentErrorShowsItsPathEscaped() {
    let errors: [DocumentError] = [
      .notFound(path: Self.hostile), .notReadable(path: Self.hostile, reason: "r"),
      .notARegularFile(path: Self.hostile), .empty(path: Self.hostile),
      .unsupportedType(path: Self.hostile), .encrypted(path: Self.hostile),
      .wrongPassword(path: Self.hostile), .corrupt(path: Self.hostile, detail: "d"),
      .imageTooLarge(path: Self.hostile, width: 2, height: 1),
      .noPages(path: Self.hostile), .invalidPageRange(Self.hostile),
    ]
    for error in errors {
      #expect(error.description.contains(Self.shown), "\(error)")
      #expect(!error.description.unicodeScalars.contains(where: ServerText.isControl))
    }
  }

  @Test func aFolderWalkReportsASkippedNameEscaped() throws {
    let folder = TestFiles.scratchDirectory() + "/walk"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/" + Self.hostile + ".pdf", withDestinationPath: folder + "/nowhere")
    let expansion = InputFiles.expand([folder])
    #expect(expansion.skipped == ["\(folder)/\(Self.shown).pdf: skipped (a symlink to nothing)"])
  }

  @Test func aJournalErrorShowsItsPathEscaped() {
    let error = JournalError.cannotRead(path: Self.hostile, reason: "r")
    #expect(error.description == "cannot read \(Self.shown) (r)")
  }
}

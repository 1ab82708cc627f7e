import Foundation
import OCRTestSupport
import Testing

/// A folder walk, the journal and `journal list` print names someone else chose: a name with
/// escape sequences must reach stderr and stdout escaped, never acting on the terminal.
@Suite struct HostileNameTests {
  static let hostile = "\u{1B}]0;owned\u{07}\u{1B}[2J"
  static let shown = #"\x1b]0;owned\x07\x1b[2J"#

  static func noControls(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }
  }

  @Test func namesReachTheTerminalEscapedInEveryMessage() async throws {
    let scratch = CLI.scratchDirectory()
    let folder = scratch + "/in"
    let manager = FileManager.default
    try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let scan = folder + "/\(Self.hostile)scan.png"
    try manager.copyItem(atPath: CLI.asset("sample-scan.png"), toPath: scan)
    try manager.createSymbolicLink(
      atPath: folder + "/\(Self.hostile)gone.png", withDestinationPath: folder + "/nowhere")
    let empty = scratch + "/\(Self.hostile)empty.png"
    _ = manager.createFile(atPath: empty, contents: Data())
    let missing = scratch + "/\(Self.hostile)missing.pdf"
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["text"]) }
    let environment = ["XDG_STATE_HOME": scratch + "/state"]
    let run = ["ocr", folder, empty, missing, "--server", server.baseURL]

    let first = try await CLI.run(run, environment: environment)
    #expect(Self.noControls(first.stderr), "\(first.stderr)")
    for said in ["gone.png: skipped", "empty.png: the file is empty", "missing.pdf: no such file"] {
      #expect(first.stderr.contains(Self.shown + said), "\(first.stderr)")
    }

    let again = try await CLI.run(run, environment: environment)
    #expect(Self.noControls(again.stderr), "\(again.stderr)")
    #expect(again.stderr.contains(Self.shown + "scan.png: 1 page restored from the journal"))

    let onto = try await CLI.run(
      ["ocr", scan, "-o", scan, "--server", server.baseURL], environment: environment)
    #expect(onto.status == 2)
    #expect(Self.noControls(onto.stderr), "\(onto.stderr)")
    #expect(onto.stderr.contains("is the input"))

    let list = try await CLI.run(["journal", "list"], environment: environment)
    #expect(list.status == 0)
    #expect(Self.noControls(list.stdout), "\(list.stdout)")
    #expect(list.stdout.hasPrefix(Self.shown + "scan.png  1/1 pages"), "\(list.stdout)")
  }
}

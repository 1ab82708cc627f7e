import Foundation
import OCRTestSupport
import OCRViewUI
import Testing

@testable import ocrview

/// Files whose names are not UTF-8 (a Latin-1 "é" is the byte 0xE9): listed, opened, read.
@Suite struct NonUTF8NameTests {
  /// Copies `source` to `folder/<prefix><0xE9>.<suffix>`, a name Swift cannot spell.
  static func latin1Copy(of source: String, in folder: String, prefix: String, suffix: String)
    throws
  {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
    let name = Array(folder.utf8) + Array("/\(prefix)".utf8) + [0xE9] + Array(".\(suffix)".utf8)
    let fd = (name + [0]).withUnsafeBufferPointer { raw in
      raw.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
    }
    #expect(fd >= 0)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
  }

  @Test func thePickerListsThemAndAFolderRunReadsThem() async throws {
    let folder = CLI.scratchDirectory()
    try Self.latin1Copy(of: CLI.asset("sample.pdf"), in: folder, prefix: "caf", suffix: "pdf")
    try Self.latin1Copy(
      of: CLI.asset("sample-scan.png"), in: folder, prefix: "scan", suffix: "png")

    let entries = try DirectoryLister.list(folder)
    #expect(
      entries.contains { $0.name == "caf\u{FFFD}.pdf" && $0.kind == .document(.pdf, pageCount: 3) })
    #expect(
      entries.contains { $0.name == "scan\u{FFFD}.png" && $0.kind == .document(.png, pageCount: 1) }
    )

    let server = try FakeOCRServer(responder: FakeResponder.transcript(["Read it."]))
    let result = try await CLI.run(["ocr", folder, "--server", server.baseURL])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("<!-- file: \(folder)/caf\u{FFFD}.pdf -->"))
    #expect(server.requests.count == 4)  // 3 PDF pages and the scan
  }

  @Test func twoNamesThatReadTheSameAreNotGuessedBetween() async throws {
    let folder = CLI.scratchDirectory()
    try Self.latin1Copy(of: CLI.asset("sample-scan.png"), in: folder, prefix: "a", suffix: "png")
    // "a\u{E8}.png" in Latin-1: also shown as "a\u{FFFD}.png".
    let bytes = try Data(contentsOf: URL(fileURLWithPath: CLI.asset("sample-scan.png")))
    let name = Array(folder.utf8) + Array("/a".utf8) + [0xE8] + Array(".png".utf8) + [0]
    let fd = name.withUnsafeBufferPointer { raw in
      raw.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
    }
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    let entries = try DirectoryLister.list(folder)
    #expect(
      entries.filter { $0.name == "a\u{FFFD}.png" }.allSatisfy {
        $0.kind != .document(.png, pageCount: 1)
      })
  }
}

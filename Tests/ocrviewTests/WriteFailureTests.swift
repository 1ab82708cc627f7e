import Foundation
import OCRKit
import OCRTestSupport
import Testing

/// Nothing lost, nothing leaked: every write is checked, and text that could not go one way
/// is still somewhere the user is told about.
@Suite struct WriteFailureTests {
  static let page = "<!-- page 1 -->\n\nthe whole page\n\n"

  static func server() throws -> FakeOCRServer {
    try FakeOCRServer { _ in .chatStream(deltas: ["the whole ", "page"]) }
  }

  static func journal(_ state: String) -> String { JournalCLITests.journalText(state) }

  /// `-o` is the only output (stdout stays quiet): when it fails, the run stops, and the text
  /// received is in the journal.
  @Test func outputToDevFullIsReportedAndTheJournalKeepsTheText() async throws {
    let server = try Self.server()
    let state = CLI.scratchDirectory() + "/state"
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "-o", "/dev/full", "--server", server.baseURL],
      environment: ["XDG_STATE_HOME": state])
    #expect(result.status == 1, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n").filter { $0.contains("/dev/full") }
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(lines.first?.hasPrefix("ocrview: cannot write /dev/full (disk full)") == true)
    #expect(result.stdout == "")
    #expect(Self.journal(state).contains("the whole "))
  }

  /// With `-o`, stdout is never written: on a full disk it costs nothing.
  @Test(.enabled(if: FullDisk.canMount, FullDisk.skipReason))
  func withAnOutputFileAStdoutOnAFullDiskIsNeverWritten() async throws {
    let disk = try FullDisk { try Data().write(to: URL(fileURLWithPath: $0 + "/stdout")) }
    let server = try Self.server()
    let out = CLI.scratchDirectory() + "/out.md"
    let child = try CLI.Child(
      ["ocr", CLI.asset("sample-scan.png"), "-o", out, "--server", server.baseURL],
      standardOutput: FileHandle(forWritingAtPath: disk.path + "/stdout"))
    let result = await child.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "")
    #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.page)
  }

  /// `--out-dir` is the only output (stdout stays quiet): when it fails, the document's run
  /// stops, and the text received is in the journal.
  @Test(.enabled(if: FullDisk.canMount, FullDisk.skipReason))
  func anOutDirOnAFullDiskIsReportedAndTheJournalKeepsTheText() async throws {
    let disk = try FullDisk()
    let server = try Self.server()
    let state = CLI.scratchDirectory() + "/state"
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--out-dir", disk.path, "--server", server.baseURL],
      environment: ["XDG_STATE_HOME": state])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(
      result.stderr.contains("cannot write \(disk.path)/sample-scan.ocr.md (disk full)"),
      "\(result.stderr)")
    #expect(result.stdout == "")
    #expect(Self.journal(state).contains("the whole "))
  }

  @Test(.enabled(if: FullDisk.canMount, FullDisk.skipReason))
  func aJournalOnAFullDiskIsReportedAndTheTranscriptIsWhole() async throws {
    let disk = try FullDisk {
      try FileManager.default.createDirectory(
        atPath: $0 + "/ocrview/journal", withIntermediateDirectories: true)
    }
    let server = try Self.server()
    let out = CLI.scratchDirectory() + "/out.md"
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "-o", out, "--server", server.baseURL],
      environment: ["XDG_STATE_HOME": disk.path])
    #expect(result.status == 1, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n").filter { $0.contains("journal") }
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(lines.first?.contains("(disk full) — the journal stops here") == true)
    #expect(result.stdout == "")
    let written = try String(contentsOfFile: out, encoding: .utf8)
    #expect(written == Self.page, "\(written)\n\(result.stderr)")
  }

  /// A journal that cannot be written because its path is a directory or a symlink (never
  /// followed) is a failed write like the others: one line, the transcript whole, exit 1.
  @Test func aJournalPathThatIsADirectoryOrASymlinkIsAFailedWrite() async throws {
    let server = try Self.server()
    let scratch = CLI.scratchDirectory()
    let state = scratch + "/state"
    let out = scratch + "/out.md"
    let arguments = [
      "ocr", CLI.asset("sample-scan.png"), "-o", out, "--overwrite", "--server", server.baseURL,
    ]
    let first = try await CLI.run(arguments, environment: ["XDG_STATE_HOME": state])
    #expect(first.status == 0, "\(first.stderr)")
    let folder = state + "/ocrview/journal"
    let names = try FileManager.default.contentsOfDirectory(atPath: folder)
    try #require(names.count == 1, "\(names)")
    let journal = folder + "/" + names[0]
    let elsewhere = scratch + "/elsewhere"
    FileManager.default.createFile(atPath: elsewhere, contents: nil)
    let makers: [(String, (String) throws -> Void)] = [
      (
        "a directory",
        { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: false) }
      ),
      (
        "a symlink",
        { try FileManager.default.createSymbolicLink(atPath: $0, withDestinationPath: elsewhere) }
      ),
    ]
    for (what, make) in makers {
      try FileManager.default.removeItem(atPath: journal)
      try make(journal)
      let result = try await CLI.run(arguments, environment: ["XDG_STATE_HOME": state])
      #expect(result.status == 1, "\(what): \(result.stderr)")
      let lines = result.stderr.split(separator: "\n")
      #expect(lines.count == 1, "\(what): \(result.stderr)")
      #expect(lines.first?.hasPrefix("ocrview: cannot write the journal \(journal) (") == true)
      #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.page, "\(what)")
      #expect(try Data(contentsOf: URL(fileURLWithPath: elsewhere)).isEmpty, "never followed")
    }
  }

  @Test(.enabled(if: FullDisk.canMount, FullDisk.skipReason))
  func theViewersSaveOnAFullDiskSaysSoAndLeavesNoFile() throws {
    let disk = try FullDisk()
    #expect(throws: WriteError(path: disk.path + "/scan.ocr.md", code: ENOSPC)) {
      try TranscriptFile.save("text", for: "/elsewhere/scan.png", in: disk.path)
    }
    #expect(
      WriteError(path: "x.md", code: ENOSPC).localizedDescription == "cannot write x.md (disk full)"
    )
    let left = try FileManager.default.contentsOfDirectory(atPath: disk.path)
    #expect(left == ["filler"])
  }

  /// With `-o`, stdout is never written: a reader that has left (`| head`) costs nothing.
  @Test func withAnOutputFileAClosedStdoutIsNeverWritten() async throws {
    let server = try FakeOCRServer { request in .chatStream(deltas: ["page \(request.index)"]) }
    let out = CLI.scratchDirectory() + "/out.md"
    let pipe = Pipe()
    try pipe.fileHandleForReading.close()  // `| head` that has already left
    let child = try CLI.Child(
      ["ocr", CLI.asset("sample.pdf"), "-o", out, "--server", server.baseURL],
      standardOutput: pipe.fileHandleForWriting)
    try pipe.fileHandleForWriting.close()
    let result = await child.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "")
    #expect(
      try String(contentsOfFile: out, encoding: .utf8)
        == "<!-- page 1 -->\n\npage 0\n\n<!-- page 2 -->\n\npage 1\n\n<!-- page 3 -->\n\npage 2\n\n"
    )
  }

  @Test func withNowhereLeftToWriteTheRunStops() async throws {
    let server = try FakeOCRServer { request in .chatStream(deltas: ["page \(request.index)"]) }
    let pipe = Pipe()
    try pipe.fileHandleForReading.close()
    let child = try CLI.Child(
      ["ocr", CLI.asset("sample.pdf"), "--server", server.baseURL],
      standardOutput: pipe.fileHandleForWriting)
    try pipe.fileHandleForWriting.close()
    let result = await child.finish()
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("cannot write stdout (the reader closed it)"))
    #expect(server.requests.count < 3)
  }
}

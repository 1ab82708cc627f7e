import Foundation
import OCRKit
import OCRTestSupport
import Testing

/// `ocrview ocr DIR --out-dir OUT`: every document in a folder, one transcript each.
@Suite struct FolderTests {
  @Test func everyDocumentInAFolderGetsItsOwnTranscriptAndNoneIsReplaced() async throws {
    let folder = CLI.scratchDirectory()
    let manager = FileManager.default
    try manager.createDirectory(atPath: folder + "/scans", withIntermediateDirectories: true)
    try manager.createDirectory(atPath: folder + "/.cache", withIntermediateDirectories: true)
    try manager.copyItem(atPath: CLI.asset("sample.pdf"), toPath: folder + "/report.pdf")
    try manager.copyItem(atPath: CLI.asset("sample-scan.png"), toPath: folder + "/scans/memo.png")
    try manager.copyItem(
      atPath: CLI.asset("sample-scan.png"), toPath: folder + "/.cache/hidden.png")
    try "not a document".write(toFile: folder + "/notes.txt", atomically: false, encoding: .utf8)
    let server = try FakeOCRServer { request in
      .chatStream(deltas: ["text of request \(request.index)"])
    }
    let out = CLI.scratchDirectory() + "/out"

    let first = try await CLI.run(["ocr", folder, "--out-dir", out, "--server", server.baseURL])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(server.requests.count == 4)  // 3 PDF pages + the memo; hidden and text files skipped
    let report = try String(contentsOfFile: out + "/report.ocr.md", encoding: .utf8)
    #expect(report.hasPrefix("<!-- page 1 -->\n\ntext of request 0"))
    #expect(report.contains("<!-- page 3 -->"))
    #expect(
      try String(contentsOfFile: out + "/memo.ocr.md", encoding: .utf8)
        == "<!-- page 1 -->\n\ntext of request 3\n\n")
    #expect(first.stdout == "")  // the files have the text

    let second = try await CLI.run([
      "ocr", folder + "/scans", "--out-dir", out, "--format", "txt", "--server", server.baseURL,
    ])
    #expect(second.status == 0)
    #expect(manager.fileExists(atPath: out + "/memo.ocr.txt"))
    let third = try await CLI.run([
      "ocr", folder + "/scans", "--out-dir", out, "--server", server.baseURL,
    ])
    #expect(third.status == 0)
    #expect(try String(contentsOfFile: out + "/memo.ocr.md", encoding: .utf8).contains("request 3"))
    #expect(manager.fileExists(atPath: out + "/memo.ocr-2.md"))
  }

  @Test func aFolderWithoutDocumentsIsAnInputError() async throws {
    let folder = CLI.scratchDirectory()
    let result = try await CLI.run([
      "ocr", folder, "--engine", "server", "--server", "http://127.0.0.1:9",
    ])
    #expect(result.status == 2)
    #expect(result.stderr.contains("no PDFs or images in \(folder)"))
  }

  @Test func whatCannotBeReadInAFolderIsReportedAndTheRunExits1() async throws {
    let folder = CLI.scratchDirectory()
    try FileManager.default.copyItem(
      atPath: CLI.asset("sample-scan.png"), toPath: folder + "/memo.png")
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/gone.pdf", withDestinationPath: folder + "/nowhere.pdf")
    #expect(mkfifo(folder + "/pipe.pdf", 0o644) == 0)
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["memo text"]) }
    let result = try await CLI.run(["ocr", folder, "--server", server.baseURL])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("\(folder)/gone.pdf: skipped (a symlink to nothing)"))
    #expect(result.stderr.contains("\(folder)/pipe.pdf: skipped (not a regular file)"))
    #expect(result.stdout.contains("memo text"))
  }

  @Test func aFileOrFolderWithoutPermissionIsReported() async throws {
    let folder = CLI.scratchDirectory()
    try FileManager.default.copyItem(
      atPath: CLI.asset("sample-scan.png"), toPath: folder + "/memo.png")
    try FileManager.default.copyItem(
      atPath: CLI.asset("sample-scan.png"), toPath: folder + "/locked.png")
    try FileManager.default.createDirectory(
      atPath: folder + "/closed", withIntermediateDirectories: true)
    chmod(folder + "/locked.png", 0)
    chmod(folder + "/closed", 0)
    chmod(folder, 0o777)
    chmod((folder as NSString).deletingLastPathComponent, 0o777)
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["memo text"]) }
    // root reads anything: run as nobody then.
    let prefix =
      getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    let result = try await CLI.run(
      ["ocr", folder, "--server", server.baseURL], prefix: prefix)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("\(folder)/locked.png: skipped (permission denied)"))
    #expect(result.stderr.contains("\(folder)/closed: cannot list the folder (permission denied)"))
    #expect(result.stdout.contains("memo text"))

    let unlistable = try await CLI.run(
      ["ocr", folder + "/closed", "--server", server.baseURL], prefix: prefix)
    #expect(unlistable.status == 2)
    #expect(unlistable.stderr.contains("closed: cannot list the folder (permission denied)"))
    #expect(!unlistable.stderr.contains("no PDFs or images"))
  }

  @Test func theProgressLineCountsPagesFailuresRateAndETA() {
    #expect(ProgressLine.text(done: 0, total: 40, elapsed: .zero) == "0/40 pages")
    // While the total is still being counted: no total, no ETA.
    #expect(
      ProgressLine.text(done: 10, total: nil, elapsed: .seconds(60)) == "10 pages · 10.0 pages/min")
    #expect(
      ProgressLine.text(done: 10, total: 40, elapsed: .seconds(60))
        == "10/40 pages · 10.0 pages/min · ETA 3 min 0 s")
    #expect(
      ProgressLine.text(done: 40, total: 40, elapsed: .seconds(120))
        == "40/40 pages · 20.0 pages/min")
    #expect(
      ProgressLine.text(done: 5, total: 6, elapsed: .seconds(10))
        == "5/6 pages · 30.0 pages/min · ETA 2 s")
    // A page a second or faster is said per second.
    #expect(
      ProgressLine.text(done: 30, total: 100, elapsed: .seconds(12))
        == "30/100 pages · 2.5 pages/s · ETA 28 s")
    #expect(
      ProgressLine.text(done: 10, failed: 2, total: 40, elapsed: .seconds(10))
        == "10/40 pages · 2 failed · 1.0 pages/s · ETA 30 s")
    // A server without /props slots: the adaptive limit of pages in flight.
    #expect(
      ProgressLine.text(done: 5, total: 6, elapsed: .seconds(10), inFlight: 12)
        == "5/6 pages · in flight 12 · 30.0 pages/min · ETA 2 s")
  }
}

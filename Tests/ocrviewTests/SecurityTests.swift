import Foundation
import OCRTestSupport
import Testing

/// API keys: from the environment or a private config file, and nowhere else afterwards.
@Suite struct APIKeyTests {
  static let key = "sk-secret-4f7a9c"

  /// A config home whose `ocrview/config` holds the key with `mode`.
  static func configHome(mode: Int) throws -> String {
    let home = CLI.scratchDirectory() + "/config"
    try FileManager.default.createDirectory(
      atPath: home + "/ocrview", withIntermediateDirectories: true)
    let path = home + "/ocrview/config"
    try "# ocrview\napi_key = \"\(key)\"\n".write(toFile: path, atomically: false, encoding: .utf8)
    chmod(path, mode_t(mode))
    return home
  }

  @Test func aPrivateConfigFileGivesTheKeyAndItLeaksNowhere() async throws {
    let server = try FakeOCRServer(apiKey: Self.key) { _ in .chatBatch(text: "Secret page.") }
    let scratch = CLI.scratchDirectory()
    let environment = [
      "XDG_CONFIG_HOME": try Self.configHome(mode: 0o600), "XDG_STATE_HOME": scratch + "/state",
    ]
    let out = scratch + "/out.md"
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL, "-o", out, "--stats"],
      environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try String(contentsOfFile: out, encoding: .utf8).contains("Secret page."))
    #expect(server.requests.last?.headers["authorization"] == "Bearer \(Self.key)")
    // Not in the output, the transcript, the journal or the log folder.
    var written = result.stdout + result.stderr
    written += (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    let state = scratch + "/state"
    for file in FileManager.default.enumerator(atPath: state)?.allObjects as? [String] ?? [] {
      written += (try? String(contentsOfFile: state + "/" + file, encoding: .utf8)) ?? ""
    }
    #expect(written.contains("Secret page."))
    #expect(!written.contains(Self.key))
  }

  @Test func aConfigFileOthersCanReadIsRefusedWithoutShowingTheKey() async throws {
    let server = try FakeOCRServer(apiKey: Self.key) { _ in .chatBatch(text: "never") }
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL],
      environment: ["XDG_CONFIG_HOME": try Self.configHome(mode: 0o644)])
    #expect(result.status == 2)
    #expect(result.stderr.contains("others can read it (mode 644) — run chmod 600"))
    #expect(!result.stderr.contains(Self.key))
    #expect(server.requests.isEmpty)
  }

  @Test func theEnvironmentWinsAndAWrongKeyIsReportedWithoutIt() async throws {
    let server = try FakeOCRServer(apiKey: Self.key) { _ in .chatBatch(text: "never") }
    let result = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL, "--engine", "server"],
      environment: [
        "XDG_CONFIG_HOME": try Self.configHome(mode: 0o600), "OCRVIEW_API_KEY": "sk-wrong-1234",
      ])
    #expect(result.status == 1)
    #expect(server.requests.last?.headers["authorization"] == "Bearer sk-wrong-1234")
    #expect(!result.stderr.contains("sk-wrong-1234"))
    #expect(result.stderr.contains("401") || result.stderr.lowercased().contains("key"))
  }
}

/// `-o`: never replaces a file without `--overwrite`, never follows a symlink.
@Suite struct OutputFileSafetyTests {
  @Test func anExistingFileIsKeptUnlessOverwriteIsGiven() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["New text."]))
    let out = CLI.scratchDirectory() + "/out.md"
    try "precious".write(toFile: out, atomically: false, encoding: .utf8)
    let base = ["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL, "-o", out]
    let refused = try await CLI.run(base)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("it exists — pick another name, or add --overwrite"))
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "precious")
    // Refused before anything else: not even the server was probed.
    #expect(server.allRequests.isEmpty, "\(server.allRequests.map(\.path))")
    let replaced = try await CLI.run(base + ["--overwrite"])
    #expect(replaced.status == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8).contains("New text."))
  }

  /// A run stopped by a full disk leaves an empty `-o` file: the re-run writes into it.
  @Test func anEmptyFileLeftByAFailedRunDoesNotBlockTheRerun() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["New text."]))
    let out = CLI.scratchDirectory() + "/out.md"
    FileManager.default.createFile(atPath: out, contents: Data())
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL, "-o", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try String(contentsOfFile: out, encoding: .utf8).contains("New text."))
  }

  @Test func aSymlinkAtTheOutputPathIsNotFollowed() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["New text."]))
    let scratch = CLI.scratchDirectory()
    let target = scratch + "/outside.txt"
    try "keep me".write(toFile: target, atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: scratch + "/out.md", withDestinationPath: target)
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL, "-o", scratch + "/out.md",
      "--overwrite",
    ])
    #expect(result.status == 2)
    #expect(result.stderr.contains("it is a symlink — not following it"))
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
  }

  /// A named pipe gets the transcript streamed, and stdout stays quiet as with any `-o`;
  /// `/dev/null` takes it and stays the device.
  @Test func aPipeOrDevNullIsWrittenIntoNotReplaced() async throws {
    let server = try FakeOCRServer(responder: FakeResponder.transcript(["New text."]))
    let fifo = CLI.scratchDirectory() + "/pipe"
    #expect(mkfifo(fifo, 0o600) == 0)
    // Read and write ends both held here: opening never blocks, and the page fits its buffer.
    let reader = open(fifo, O_RDWR | O_NONBLOCK)
    defer { close(reader) }
    let piped = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL, "-o", fifo,
    ])
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stdout == "")
    var buffer = [UInt8](repeating: 0, count: 65536)
    let count = read(reader, &buffer, buffer.count)
    #expect(
      String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        == "<!-- page 1 -->\n\nNew text.\n\n")
    var kind = stat()
    #expect(stat(fifo, &kind) == 0 && kind.st_mode & S_IFMT == S_IFIFO)
    let nulled = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL, "-o", "/dev/null",
    ])
    #expect(nulled.status == 0, "\(nulled.stderr)")
    #expect(nulled.stdout == "")
    var status = stat()
    #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
  }
}

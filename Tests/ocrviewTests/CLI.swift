import Foundation
import OCRTestSupport

/// Runs the built `ocrview` binary as a child process, as a user or a script would.
struct CLI {
  /// A test naming a server with `--server` (and no `--engine`) tests the server's path: under
  /// `auto` a loaded machine's fake answering the start-up probe after 5 s turned such runs to
  /// the built-in engine. Tests of the fallback name their server in `OCRVIEW_SERVER`.
  static func namesItsServer(_ arguments: [String]) -> Bool {
    arguments.contains("--server") && !arguments.contains("--engine")
  }

  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The binary beside the test bundle, in the same build folder.
  static let binary: String = {
    let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return bundle.deletingLastPathComponent().appendingPathComponent("ocrview").path
  }()

  static func asset(_ name: String) -> String {
    repository.appendingPathComponent("assets/\(name)").path
  }
  static func fixture(_ name: String) -> String {
    repository.appendingPathComponent("Tests/Fixtures/\(name)").path
  }

  static func scratchDirectory() -> String {
    ScratchDirectory.make("cli")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// A started child whose stdout and stderr go to files that can be read while it runs.
  final class Child: @unchecked Sendable {
    // Safe: `process` is only started, signalled and waited on; Foundation's Process is
    // thread-safe for those.
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// - Parameter standardOutput: where the child's stdout goes instead of a file of its own
    ///   (a full disk, a pipe nobody reads).
    init(
      _ arguments: [String], environment: [String: String] = [:], prefix: [String] = [],
      standardOutput: FileHandle? = nil
    ) throws {
      let directory = CLI.scratchDirectory()
      stdoutPath = directory + "/stdout"
      stderrPath = directory + "/stderr"
      FileManager.default.createFile(atPath: stdoutPath, contents: nil)
      FileManager.default.createFile(atPath: stderrPath, contents: nil)
      let executable = prefix.first ?? CLI.binary
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments =
        Array(prefix.dropFirst()) + (prefix.isEmpty ? [] : [CLI.binary]) + arguments
      var env = ProcessInfo.processInfo.environment
      env["OCRVIEW_SERVER"] = nil
      env["OCRVIEW_API_KEY"] = nil
      // A journal of its own, so no run restores pages another test's run left behind, and
      // no config file of the developer's (an API key, or one others can read).
      env["XDG_STATE_HOME"] = directory + "/state"
      env["XDG_CONFIG_HOME"] = directory + "/config"
      if CLI.namesItsServer(arguments) { env["OCRVIEW_ENGINE"] = "server" }
      env.merge(environment) { $1 }
      process.environment = env
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = standardOutput ?? FileHandle(forWritingAtPath: stdoutPath)
      process.standardError = FileHandle(forWritingAtPath: stderrPath)
      try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for exit without blocking a thread of the cooperative pool.
    func finish() async -> Result {
      while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
      return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
  }

  static func run(_ arguments: [String], environment: [String: String] = [:], prefix: [String] = [])
    async throws -> Result
  {
    try await Child(arguments, environment: environment, prefix: prefix).finish()
  }
}

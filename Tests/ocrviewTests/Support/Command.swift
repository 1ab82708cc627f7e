import Foundation

/// Runs a program other than `ocrview` (git, dpkg-deb, ldd, a packaged binary) to its end,
/// found on the PATH. The wait happens on a Dispatch thread, never on the cooperative pool.
/// For short commands: stdout is kept in memory, stderr goes to a scratch file (so a chatty
/// stderr can never fill a pipe and stall the child).
enum Command {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
  }

  static func run(_ arguments: [String]) async throws -> Output {
    let errorPath = CLI.scratchDirectory() + "/stderr"
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(
          with: Result {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = pipe
            process.standardError = FileHandle(forWritingAtPath: errorPath)
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Output(
              status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
              stderr: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
          })
      }
    }
  }

  /// The checkout's HEAD as `--version` names it (the GitCommit build plugin's 12 digits).
  static func headCommit() async throws -> String {
    try await run(["git", "-C", CLI.repository.path, "rev-parse", "--short=12", "HEAD"])
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

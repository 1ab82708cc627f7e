import Foundation

/// Runs the `ocrview` binary built beside this one, against a server, as a user would.
enum OcrviewProcess {
  /// The sibling binary: `swift build -c release` builds both into the same folder.
  static var binary: String {
    let me =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("ocrview")
      .path
  }

  /// Starts `ocrview ocr FILE --engine server --server URL …`, with its own state folder so
  /// a journal from an earlier run cannot answer for the server.
  static func startOCR(
    file: String, server: String, extra: [String] = [], stdoutPath: String = "/dev/null",
    scratch: String
  ) throws -> Child {
    try Child(
      [binary, "ocr", file, "--engine", "server", "--server", server] + extra,
      environment: ["XDG_STATE_HOME": scratch + "/state"], stdoutPath: stdoutPath,
      stderrPath: scratch + "/stderr.log")
  }

  static func scratchDirectory() -> String {
    let path = NSTemporaryDirectory() + "ocrview-bench-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

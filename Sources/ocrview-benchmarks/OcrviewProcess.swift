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

  /// Starts `ocrview ocr FILE --engine server --server URL …` as a first run of the document:
  /// each child gets an empty state folder of its own, so no journal answers for the server
  /// (it still writes one, as a user's run does), and no config file of the machine's.
  static func startOCR(
    file: String, server: String, extra: [String] = [], stdoutPath: String = "/dev/null",
    scratch: String
  ) throws -> Child {
    let own = scratch + "/run-" + UUID().uuidString
    return try Child(
      [binary, "ocr", file, "--engine", "server", "--server", server] + extra,
      environment: ["XDG_STATE_HOME": own + "/state", "XDG_CONFIG_HOME": own + "/config"],
      stdoutPath: stdoutPath, stderrPath: scratch + "/stderr.log")
  }

  static func scratchDirectory() -> String {
    let path = NSTemporaryDirectory() + "ocrview-bench-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

import Foundation

/// The `tesseract` command line, as users run it: the reference the built-in engine is
/// compared with (text) and measured against (speed).
public enum TesseractCommandLine {
  /// What `tesseract IMAGE - -l LANGUAGES` prints (OpenMP kept to one thread, its fast setting
  /// here, so the comparison is fair). Waits on a thread of its own, not the concurrency pool.
  public static func read(imageAt path: String, languages: String) async throws -> String {
    try await BlockingQueue.onThread {
      Result { try readBlocking(imageAt: path, languages: languages) }
    }.get()
  }

  private static func readBlocking(imageAt path: String, languages: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/tesseract")
    process.arguments = [path, "-", "-l", languages]
    process.environment = ["OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  /// The words of an OCR text that carry a letter or digit: how two readings are compared
  /// (bullets and table rules come out as noise glyphs either way; whitespace may differ).
  public static func words(_ text: String) -> [Substring] {
    text.split(whereSeparator: \.isWhitespace).filter { $0.contains { $0.isLetter || $0.isNumber } }
  }
}

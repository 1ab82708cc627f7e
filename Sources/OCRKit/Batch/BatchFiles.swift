import Foundation

/// Request lines into numbered files (`requests-0001.jsonl`, …), a new file before one would
/// pass either limit: OpenAI's Batch API takes at most 50,000 lines and 200 MB a file, and
/// vLLM's `run-batch` one file per process — so each file is one job anywhere.
///
/// Not thread-safe by itself.
final class BatchFiles: @unchecked Sendable {
  // Safe: an export creates it and touches it only on its one serial queue (`BatchExport`),
  // reading `files` after the last write there has finished.
  static let defaultMaxLines = 50_000
  static let defaultMaxBytes = 200 * 1_000_000

  let directory: String
  let maxLines: Int
  let maxBytes: Int
  private(set) var files: [BatchManifest.File] = []
  private var fd: Int32 = -1

  init(directory: String, maxLines: Int = defaultMaxLines, maxBytes: Int = defaultMaxBytes) {
    self.directory = directory
    self.maxLines = max(1, maxLines)
    self.maxBytes = max(1, maxBytes)
  }

  deinit { if fd >= 0 { close(fd) } }

  static func name(_ number: Int) -> String {
    "requests-" + String(repeating: "0", count: max(0, 4 - String(number).count))
      + "\(number).jsonl"
  }

  /// Appends one line (its newline included); a line alone over `maxBytes` still gets a file
  /// of its own, where the batch engine will say so.
  func append(_ line: [UInt8]) throws(BatchError) {
    if fd < 0 || files[files.count - 1].lines >= maxLines
      || files[files.count - 1].bytes + line.count > maxBytes
    {
      try startFile()
    }
    if let code = writeAll(fd, line) {
      throw .cannotWrite(
        path: directory + "/" + files[files.count - 1].name,
        reason: WriteError(path: "", code: code).reason)
    }
    files[files.count - 1].lines += 1
    files[files.count - 1].bytes += line.count
  }

  /// Makes every line durable and closes the last file.
  func finish() {
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
    fd = -1
  }

  private func startFile() throws(BatchError) {
    finish()
    let name = Self.name(files.count + 1)
    let path = directory + "/" + name
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
    files.append(BatchManifest.File(name: name, lines: 0, bytes: 0))
  }
}

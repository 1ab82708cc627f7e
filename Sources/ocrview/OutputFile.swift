import Foundation
import OCRKit

/// Text written straight to a file descriptor with write(2): no user-space buffer, so a
/// crash or kill -9 loses nothing already written.
///
/// A transcript written to a terminal loses the control characters a server put in its text
/// (ESC, CR, BEL, …): raw, they would retitle, clear or overwrite the user's screen. Files and
/// pipes get the text as sent.
final class OutputFile: Sendable {
  let fd: Int32
  private let owned: Bool
  private let isTerminal: Bool

  static let standardOutput = OutputFile(fd: STDOUT_FILENO, owned: false)
  /// Our own reports only (their server text is already one safe line), and the progress
  /// line's escape sequences must pass.
  static let standardError = OutputFile(fd: STDERR_FILENO, owned: false, filtered: false)

  private init(fd: Int32, owned: Bool, filtered: Bool = true) {
    self.fd = fd
    self.owned = owned
    isTerminal = filtered && isatty(fd) == 1
  }

  /// Creates a file for the transcript; an existing one is emptied only with `overwrite`, and
  /// a symlink at `path` is never followed.
  convenience init(creating path: String, overwrite: Bool) throws(OutputFileError) {
    let exclusive = overwrite ? O_TRUNC : O_EXCL
    // A pipe, terminal or /dev/null (also through /dev/stdout or a shell's /dev/fd/N) is a
    // stream to write into, not a file to replace: checked again on what was opened, so a
    // path swapped for a symlink to a file meanwhile is not written through.
    if Self.isStream(path) {
      let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
      if fd >= 0, Self.isStream(fd) {
        self.init(fd: fd, owned: true)
        return
      }
      if fd >= 0 { close(fd) }
    }
    let fd = open(path, O_WRONLY | O_CREAT | exclusive | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      let reason =
        switch errno {
        case EEXIST: "it exists — pick another name, or add --overwrite"
        case ELOOP: "it is a symlink — not following it"
        default: String(cString: strerror(errno))
        }
      throw OutputFileError(path: path, reason: reason)
    }
    self.init(fd: fd, owned: true)
  }

  private static func isStream(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && isStream(status)
  }

  private static func isStream(_ fd: Int32) -> Bool {
    var status = stat()
    return fstat(fd, &status) == 0 && isStream(status)
  }

  private static func isStream(_ status: stat) -> Bool {
    let type = status.st_mode & S_IFMT
    return type == S_IFCHR || type == S_IFIFO
  }

  /// A new transcript file for a document in `directory` (`NAME.ocr.md`, or `NAME.ocr-2.md`
  /// if taken): created exclusively, so no existing file is ever replaced.
  convenience init(newFor document: String, in directory: String, format: TranscriptFormat)
    throws(OutputFileError)
  {
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for _ in 0..<100 {
      let path = TranscriptFile.path(for: document, in: directory, extension: format.rawValue) {
        FileManager.default.fileExists(atPath: $0)
      }
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      if fd >= 0 {
        self.init(fd: fd, owned: true)
        return
      }
      guard errno == EEXIST else {
        throw OutputFileError(path: path, reason: String(cString: strerror(errno)))
      }
    }
    throw OutputFileError(path: directory, reason: "no free file name")
  }

  deinit { if owned { close(fd) } }

  func write(_ text: String) {
    guard !text.isEmpty else { return }
    _ = writeAll(fd, Array((isTerminal ? ServerText.forTerminal(text) : text).utf8))
  }

  /// Makes what was written durable (at page ends, not per delta).
  func sync() { fsync(fd) }
}

struct OutputFileError: Error, CustomStringConvertible {
  let path: String
  let reason: String
  var description: String { "\(path): cannot write the output file (\(reason))" }
}

extension [OutputFile] {
  /// Writes the same text to every sink (stdout, `-o`, the per-document file).
  func write(_ text: String) {
    for file in self { file.write(text) }
  }

  func sync() {
    for file in self { file.sync() }
  }
}

import Foundation
import OCRKit
import Synchronization

/// Text written straight to a file descriptor with write(2): no user-space buffer, so a
/// crash or kill -9 loses nothing already written. Every write is checked: the first one that
/// fails (disk full, a closed pipe) is kept to be reported once, and nothing more is written
/// to that file — text after a gap would be worse than text that stops.
///
/// A transcript written to a terminal loses the control characters a server put in its text
/// (ESC, CR, BEL, …): raw, they would retitle, clear or overwrite the user's screen. Files and
/// pipes get the text as sent.
final class OutputFile: Sendable {
  /// The file as the user named it (`stdout` for standard output), for messages.
  let path: String
  /// A regular file, which can be replaced whole at the end (`replace(with:)`); a pipe,
  /// terminal or device can only be appended to.
  let isRegularFile: Bool
  private let owned: Bool
  private let isTerminal: Bool
  private let state: Mutex<State>

  private struct State {
    var fd: Int32
    var failure: WriteError?
    var failureTaken = false
  }

  static let standardOutput = OutputFile(fd: STDOUT_FILENO, path: "stdout", owned: false)
  /// Our own reports only (their server text is already one safe line), and the progress
  /// line's escape sequences must pass.
  static let standardError = OutputFile(
    fd: STDERR_FILENO, path: "stderr", owned: false, filtered: false)

  private init(fd: Int32, path: String, owned: Bool, filtered: Bool = true) {
    self.path = path
    self.owned = owned
    isTerminal = filtered && isatty(fd) == 1
    var status = stat()
    isRegularFile = fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    state = Mutex(State(fd: fd))
  }

  /// Creates a file for the transcript; an existing one is emptied only with `overwrite`, and
  /// a symlink at `path` is never followed. An empty (0-byte) regular file holds nothing to
  /// lose — what a run that failed at once (a full disk) leaves — so it is written into
  /// without `overwrite`: the re-run is not blocked by the earlier one's leftover.
  convenience init(creating path: String, overwrite: Bool) throws(OutputFileError) {
    let exclusive = overwrite ? O_TRUNC : O_EXCL
    // A pipe, terminal or /dev/null (also through /dev/stdout or a shell's /dev/fd/N) is a
    // stream to write into, not a file to replace: checked again on what was opened, so a
    // path swapped for a symlink to a file meanwhile is not written through.
    if Self.isStream(path) {
      let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
      if fd >= 0, Self.isStream(fd) {
        self.init(fd: fd, path: path, owned: true)
        return
      }
      if fd >= 0 { close(fd) }
    }
    var fd = open(path, O_WRONLY | O_CREAT | exclusive | O_NOFOLLOW | O_CLOEXEC, 0o644)
    if fd < 0, errno == EEXIST {
      fd = Self.openEmpty(path)
      if fd < 0 { errno = EEXIST }
    }
    guard fd >= 0 else {
      let reason =
        switch errno {
        case EEXIST: "it exists — pick another name, or add --overwrite"
        case ELOOP: "it is a symlink — not following it"
        default: String(cString: strerror(errno))
        }
      throw OutputFileError(path: path, reason: reason)
    }
    self.init(fd: fd, path: path, owned: true)
  }

  /// `path` opened for writing when it is a regular file of 0 bytes (checked on what was
  /// opened, not followed if a symlink); -1 otherwise.
  private static func openEmpty(_ path: String) -> Int32 {
    let fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { return -1 }
    var status = stat()
    guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size == 0
    else {
      close(fd)
      return -1
    }
    return fd
  }

  /// The refusal `init(creating:overwrite:)` would give an existing regular file without
  /// `overwrite`, checked before a run starts so it comes before any server is probed. (The
  /// file is still created only once a document has opened, and checked again then; symlinks
  /// and inputs are refused there, with their own reasons: an `-o` naming one of `inputs`
  /// is left to say "is the input".)
  static func refusal(creating path: String, overwrite: Bool, inputs: [String])
    -> OutputFileError?
  {
    var status = stat()
    guard !overwrite, lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
      status.st_size > 0
    else { return nil }
    let isInput = inputs.contains { input in
      var other = stat()
      return stat(input, &other) == 0 && other.st_dev == status.st_dev
        && other.st_ino == status.st_ino
    }
    guard !isInput else { return nil }
    return OutputFileError(path: path, reason: "it exists — pick another name, or add --overwrite")
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
        self.init(fd: fd, path: path, owned: true)
        return
      }
      guard errno == EEXIST else {
        throw OutputFileError(path: path, reason: String(cString: strerror(errno)))
      }
    }
    throw OutputFileError(path: directory, reason: "no free file name")
  }

  deinit { if owned { close(state.withLock { $0.fd }) } }

  func write(_ text: String) {
    guard !text.isEmpty else { return }
    let bytes = Array((isTerminal ? ServerText.forTerminal(text) : text).utf8)
    state.withLock { state in
      guard state.failure == nil else { return }
      if let code = writeAll(state.fd, bytes) {
        state.failure = WriteError(path: path, code: code)
      }
    }
  }

  /// Whether a write failed: nothing more goes to this file.
  var failed: Bool { state.withLock { $0.failure != nil } }

  /// The first write that failed, once (the caller tells the user).
  func takeFailure() -> WriteError? {
    state.withLock { state in
      guard !state.failureTaken, let failure = state.failure else { return nil }
      state.failureTaken = true
      return failure
    }
  }

  /// Makes what was written durable (at page ends, not per delta).
  func sync() { _ = state.withLock { fsync($0.fd) } }

  /// Replaces what the file holds with `text`, atomically: written to a temporary file beside
  /// it, synced, renamed over it — a reader, or a crash, sees the old file or the new, never
  /// half of one. Later writes append to the new file. Does nothing when the file is not a
  /// regular file, or `path` no longer names it (moved or deleted meanwhile); returns why the
  /// new file could not be written (then the old one stays as it was).
  func replace(with text: String) -> WriteError? {
    guard isRegularFile, owned else { return nil }
    return state.withLock { state -> WriteError? in
      guard let named = FileIdentity(entry: path), named == FileIdentity(fd: state.fd) else {
        return nil
      }
      var status = stat()
      fstat(state.fd, &status)
      let temporary: (path: String, fd: Int32)
      do throws(WriteError) {
        temporary = try AtomicFile.written(
          Array(text.utf8), beside: path, mode: status.st_mode & 0o777)
      } catch {
        return error
      }
      guard rename(temporary.path, path) == 0 else {
        let failure = WriteError(path: path, code: errno)
        unlink(temporary.path)
        close(temporary.fd)
        return failure
      }
      close(state.fd)
      state.fd = temporary.fd
      return nil
    }
  }
}

struct OutputFileError: Error, CustomStringConvertible {
  let path: String
  let reason: String
  var description: String { "\(path): cannot write the output file (\(reason))" }
}

extension [OutputFile] {
  /// Writes the same text to every sink.
  func write(_ text: String) {
    for file in self { file.write(text) }
  }

  func sync() {
    for file in self { file.sync() }
  }
}

import Foundation

/// Files written whole: to a temporary file beside the target (created exclusively, so
/// nothing planted there is followed), synced, then put in place in one step — a reader, a
/// crash or a full disk leaves the old file or the new one, never half of one. One shape for
/// `-o`'s finished transcript (`OutputFile.replace`), saved transcripts (`TranscriptFile`,
/// linked so an existing file is never replaced) and searchable PDFs.
public enum AtomicFile {
  /// Writes `bytes` over `path` (renamed into place, the folder synced so the rename
  /// survives a crash).
  public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644)
    throws(WriteError)
  {
    let temporary = try written(bytes, beside: path, mode: mode)
    defer { close(temporary.fd) }
    guard rename(temporary.path, path) == 0 else {
      let code = errno
      unlink(temporary.path)
      throw WriteError(path: path, code: code)
    }
    let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
      fsync(directory)
      close(directory)
    }
  }

  /// `bytes` in a new synced temporary file beside `path` (failures name `path`), open for
  /// writing: the caller puts it in place (rename, link) and closes it.
  public static func written(_ bytes: [UInt8], beside path: String, mode: mode_t = 0o644)
    throws(WriteError) -> (path: String, fd: Int32)
  {
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else { throw WriteError(path: path, code: errno) }
    if let code = writeAll(fd, bytes) ?? (fsync(fd) == 0 ? nil : errno) {
      close(fd)
      unlink(temporary)
      throw WriteError(path: path, code: code)
    }
    return (temporary, fd)
  }
}

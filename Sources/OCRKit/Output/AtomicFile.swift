import Foundation

/// Writes a whole file at once: to a temporary file beside it (created exclusively, so nothing
/// planted there is followed), synced, then renamed over the target — a reader, a crash or a
/// full disk leaves the old file or the new one, never half of one (`OutputFile.replace`'s
/// rule, for files made whole in memory such as a searchable PDF).
public enum AtomicFile {
  public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw WriteError(path: path, code: errno) }
    let code = writeAll(fd, bytes) ?? (fsync(fd) == 0 ? nil : errno)
    close(fd)
    if let code {
      unlink(temporary)
      throw WriteError(path: path, code: code)
    }
    guard rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      throw WriteError(path: path, code: code)
    }
  }
}

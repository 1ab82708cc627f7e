import Glibc

/// Writes all of `bytes` to `fd`: retries `EINTR` and continues after short writes, so no
/// call site forgets either (swift-nio's `syscall(blocking:)` idea). Returns the `errno` of a
/// write that failed (`ENOSPC` on a full disk, `EPIPE` on a closed pipe), or nil when all of
/// it was written.
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
  var offset = 0
  while offset < bytes.count {
    let written = bytes.withUnsafeBytes { buffer in
      write(fd, buffer.baseAddress! + offset, buffer.count - offset)
    }
    if written < 0 {
      if errno == EINTR { continue }
      return errno
    }
    if written == 0 { return EIO }
    offset += written
  }
  return nil
}

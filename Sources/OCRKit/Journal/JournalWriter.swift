import Dispatch
import Foundation

/// Appends a run's events to its journal as they happen, off the caller's thread.
///
/// Each record is one `write(2)` of one whole line to a file opened `O_APPEND`, so a process
/// killed at any instant leaves complete lines and at most one torn last line. A page's end is
/// followed by `fsync`, so finished pages survive a power cut too; deltas are written (into the
/// kernel) as they come, which is what survives `kill -9`.
public final class JournalWriter: @unchecked Sendable {
  // Safe: `fd` is written only on `queue`, a serial queue, and closed there.
  private let fd: Int32
  private let queue = DispatchQueue(label: "ocrview.journal")
  public let path: String

  /// Opens (creating, 0600) the journal at `path` for appending; a new file starts with
  /// `header`. Refuses to follow a symlink at `path`.
  init(path: String, header: JournalRecord) throws(JournalError) {
    self.path = path
    let directory = (path as NSString).deletingLastPathComponent
    try JournalStore.makePrivateDirectory(directory)
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    var status = stat()
    if fstat(fd, &status) == 0, status.st_size == 0 { Self.append(header.line, to: fd) }
    futimens(fd, nil)  // used now: the size cap evicts the least recently used first
  }

  deinit { close(fd) }

  /// Records what `event` changes; returns at once.
  public func record(_ event: RunEvent) {
    guard let record = JournalRecord(event) else { return }
    let line = record.line
    let pageEnded = record.kind == .done || record.kind == .failed
    queue.async { [fd] in
      Self.append(line, to: fd)
      if pageEnded { fsync(fd) }
    }
  }

  /// Waits (off the concurrency pool) for every record so far to reach the disk.
  public func flush() async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      queue.async { [fd] in
        fsync(fd)
        done.resume()
      }
    }
  }

  private static func append(_ line: [UInt8], to fd: Int32) {
    line.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }  // disk full: the run goes on without its journal
        offset += written
      }
    }
  }
}

/// Why a journal cannot be used; the run goes on without one.
public enum JournalError: Error, Equatable, CustomStringConvertible {
  case cannotWrite(path: String, reason: String)
  case cannotRead(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason):
      "cannot write the journal \(path) (\(reason)) — pages will not be restored after a crash"
    case .cannotRead(let path, let reason): "cannot read \(path) (\(reason))"
    }
  }
}

import Dispatch
import Foundation
import Synchronization

/// Appends a run's events to its journal as they happen, off the caller's thread.
///
/// Each record is one `write(2)` of one whole line to a file opened `O_APPEND`, so a process
/// killed at any instant leaves complete lines and at most one torn last line. A page's end is
/// followed by `fsync`, so finished pages survive a power cut too; deltas are written (into the
/// kernel) as they come, which is what survives `kill -9`. The file is held with a shared
/// `flock` while open, so another process trimming the folder leaves it alone.
public final class JournalWriter: @unchecked Sendable {
  // Safe: `fd` is written through and closed only on `queue`, a serial queue; `failed`,
  // `replacing` and `encoder` are only used there (and in `init`); `failure` is a Mutex.
  private let fd: Int32
  private let queue = BlockingQueue("ocrview.journal")
  private var failed = false
  /// The first failed write, until someone takes it to tell the user (once).
  private let failure = Mutex<WriteError?>(nil)
  /// Pages whose old records are void once this run finishes them (`forget`).
  private var replacing: Set<Int> = []
  /// Encodes every record, on `queue`: JSON work stays off the caller's (the run's) thread.
  private let encoder = JournalRecord.encoder()
  /// Tags this run's records, so runs appending to the same journal never mix their text.
  let id = UInt32.random(in: 1...UInt32.max)
  public let path: String

  /// Opens (creating, 0600) the journal at `path` for appending; a new file starts with
  /// `header`. Refuses to follow a symlink at `path`.
  init(path: String, header: JournalRecord) throws(JournalError) {
    self.path = path
    let directory = (path as NSString).deletingLastPathComponent
    try JournalStore.makePrivateDirectory(directory)
    fd = try Self.openLocked(path)
    var status = stat()
    if fstat(fd, &status) == 0, status.st_size == 0 {
      append(header.line)
    } else if Self.lastByte(of: fd, size: Int(status.st_size)) != 0x0A {
      // A torn last line (a crash mid-write) must not swallow the first record appended now.
      append([0x0A])
    }
    futimens(fd, nil)  // used now: the size cap evicts the least recently used first
  }

  deinit {
    // After every record queued so far, on the queue that writes them.
    queue.async { [fd] in close(fd) }
  }

  /// Records what `event` changes; returns at once.
  public func record(_ event: RunEvent) {
    guard let record = JournalRecord(event, writer: id) else { return }
    // A read that ended (`attempt`) is synced too: a resumed run must not repeat it.
    let pageEnded = record.kind == .done || record.kind == .failed || record.kind == .attempt
    queue.async { [self] in
      if record.kind == .done, let page = record.page, replacing.remove(page) != nil {
        append(JournalRecord(.forget, writer: id, list: [page]).line(using: encoder))
      }
      append(record.line(using: encoder))
      if pageEnded { fsync(fd) }
    }
  }

  /// Records that `pages` are read again from scratch: what the journal held for a page is
  /// void once this run finishes it — not before, so an interrupted run voids nothing it did
  /// not replace.
  public func forget(_ pages: [Int]) {
    queue.async { [self] in replacing.formUnion(pages) }
  }

  /// The first write that failed (disk full), once: the caller tells the user, and the run
  /// goes on without its journal.
  public func takeFailure() -> WriteError? {
    failure.withLock { error in
      defer { error = nil }
      return error
    }
  }

  /// Waits (off the concurrency pool) for every record so far to reach the disk.
  public func flush() async {
    await queue.run { [self] in _ = fsync(fd) }
  }

  /// The whole line. After a failed write (disk full) nothing more is written — a partial
  /// line would corrupt the next — and the run goes on without its journal.
  private func append(_ line: [UInt8]) {
    guard !failed else { return }
    if let code = writeAll(fd, line) {
      failed = true
      failure.withLock { $0 = WriteError(path: path, code: code) }
    }
  }

  /// Opens `path` and takes the shared lock — then checks that `path` still names the file:
  /// another process trimming the folder may have deleted it between the open and the lock.
  /// `O_NONBLOCK`: a FIFO at `path` would block forever (and SIGTERM with it); something
  /// not a regular file holds no journal, so it is removed and the journal starts afresh, as
  /// a damaged one is read past. A symlink is refused (`O_NOFOLLOW`), never followed.
  private static func openLocked(_ path: String) throws(JournalError) -> Int32 {
    for _ in 0..<3 {
      let fd = open(
        path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
      guard fd >= 0 else {
        throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
      }
      guard JournalStore.isRegularFile(fd) else {
        close(fd)
        if unlink(path) == 0 { continue }
        throw .cannotWrite(path: path, reason: "not a regular file")
      }
      flock(fd, LOCK_SH)
      if JournalStore.names(path, fd) { return fd }
      close(fd)
    }
    throw .cannotWrite(path: path, reason: "it keeps being deleted")
  }

  private static func lastByte(of fd: Int32, size: Int) -> UInt8? {
    guard size > 0 else { return nil }
    var byte: UInt8 = 0
    return pread(fd, &byte, 1, off_t(size - 1)) == 1 ? byte : nil
  }
}

/// Why a journal cannot be used; the run goes on without one.
public enum JournalError: Error, Equatable, CustomStringConvertible {
  case cannotWrite(path: String, reason: String)
  case cannotRead(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason):
      "cannot write the journal \(ServerText.name(path)) (\(reason)) — pages will not be restored "
        + "after a crash"
    case .cannotRead(let path, let reason): "cannot read \(ServerText.name(path)) (\(reason))"
    }
  }
}

import Foundation

/// Why a batch export or import cannot go on: one line that says what to do.
public enum BatchError: Error, Sendable, Equatable, CustomStringConvertible {
  case cannotRead(path: String, reason: String)
  case cannotWrite(path: String, reason: String)
  case notAManifest(path: String)
  case noManifest(beside: String)
  case notEmpty(directory: String)
  case needsModel

  public var description: String {
    let shown = ServerText.name
    return switch self {
    case .cannotRead(let path, let reason): "cannot read \(shown(path)) (\(reason))"
    case .cannotWrite(let path, let reason):
      "cannot write \(shown(path)) (\(reason)) — check the folder and free space"
    case .notAManifest(let path):
      "\(shown(path)) is not an ocrview batch manifest — give the manifest.json that "
        + "`ocrview batch export` wrote (--manifest)"
    case .noManifest(let beside):
      "no \(BatchManifest.fileName) beside \(shown(beside)) — give the export's manifest with "
        + "--manifest DIR/\(BatchManifest.fileName)"
    case .notEmpty(let directory):
      "\(shown(directory)) already holds a batch export — give an empty or new folder to --out"
    case .needsModel:
      "batch export needs --model NAME: a batch engine runs the model each request names "
        + "(e.g. --model lightonai/LightOnOCR-2-1B)"
    }
  }
}

/// Writes a file whole and atomically: a temporary file beside it, synced, renamed over it, the
/// folder synced — a crash leaves the old file or the new one, never part of either.
enum AtomicFile {
  static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) -> WriteError? {
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else { return WriteError(path: path, code: errno) }
    let code = writeAll(fd, bytes) ?? (fsync(fd) == 0 ? nil : errno)
    close(fd)
    guard code == nil, rename(temporary, path) == 0 else {
      let failure = WriteError(path: path, code: code ?? errno)
      unlink(temporary)
      return failure
    }
    let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
      fsync(directory)
      close(directory)
    }
    return nil
  }
}

import Foundation
import Testing

/// A 64 KiB tmpfs filled to the last byte, so every write into it fails with ENOSPC — the
/// disk-full case, for real. Mounting needs root: without it tests skip (saying so).
final class FullDisk {
  static let canMount = getuid() == 0
  static let skipReason: Comment = "needs root to mount a small tmpfs (mount -t tmpfs -o size=64k)"

  let path: String

  /// Mounts it; `prepare` runs on the empty file system (create the files a test then opens
  /// for writing) before it is filled.
  init(prepare: (String) throws -> Void = { _ in }) throws {
    path = CLI.scratchDirectory() + "/full"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", path])
    try prepare(path)
    let fd = open(path + "/filler", O_WRONLY | O_CREAT, 0o600)
    defer { close(fd) }
    let block = [UInt8](repeating: 0, count: 4096)
    while write(fd, block, block.count) > 0 {}
    var byte: UInt8 = 0
    while write(fd, &byte, 1) > 0 {}
  }

  deinit { try? Self.run("/bin/umount", ["-l", path]) }

  private static func run(_ tool: String, _ arguments: [String]) throws {
    let process = try Process.run(URL(fileURLWithPath: tool), arguments: arguments)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: arguments.last ?? tool])
    }
  }
}

import CPoppler
import Foundation

/// SHA-256 of bytes or of a file's content, with GLib's checksum (already linked for poppler).
enum ContentHash {
  static func sha256(_ bytes: [UInt8]) -> String {
    let checksum = g_checksum_new(G_CHECKSUM_SHA256)
    defer { g_checksum_free(checksum) }
    bytes.withUnsafeBufferPointer { g_checksum_update(checksum, $0.baseAddress, $0.count) }
    return String(cString: g_checksum_get_string(checksum))
  }

  /// Reads the file in 1 MiB pieces; nil if it cannot be read.
  static func sha256(fileAt path: String) -> String? {
    let fd = RawPath.withOpenable(path) { open($0, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    let checksum = g_checksum_new(G_CHECKSUM_SHA256)
    defer { g_checksum_free(checksum) }
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count < 0 { return nil }
      if count == 0 { break }
      buffer.withUnsafeBufferPointer { g_checksum_update(checksum, $0.baseAddress, count) }
    }
    return String(cString: g_checksum_get_string(checksum))
  }
}

/// What identifies a file's content cheaply: device, inode, size and modification time. The
/// journal remembers the content hash of each identity it has seen, so a document is hashed
/// once, not on every run.
struct FileIdentity: Hashable {
  var device: UInt64
  var inode: UInt64
  var size: Int64
  var modified: Int
  var modifiedNanoseconds: Int

  init?(path: String) {
    var status = stat()
    guard RawPath.withOpenable(path, { stat($0, &status) }) == 0 else { return nil }
    device = UInt64(status.st_dev)
    inode = UInt64(status.st_ino)
    size = Int64(status.st_size)
    modified = status.st_mtim.tv_sec
    modifiedNanoseconds = status.st_mtim.tv_nsec
  }

  /// A file name for it.
  var name: String { "\(device)-\(inode)-\(size)-\(modified).\(modifiedNanoseconds)" }
}

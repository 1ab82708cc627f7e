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
    let fd = open(RawPath.openable(path), O_RDONLY | O_CLOEXEC)
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

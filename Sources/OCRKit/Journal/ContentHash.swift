import CPoppler
import Foundation

/// SHA-256 with GLib's checksum (already linked for poppler): of bytes, and the fingerprint of
/// a document's content that keys its journal.
enum ContentHash {
  static func sha256(_ bytes: [UInt8]) -> String {
    let checksum = g_checksum_new(G_CHECKSUM_SHA256)
    defer { g_checksum_free(checksum) }
    bytes.withUnsafeBufferPointer { g_checksum_update(checksum, $0.baseAddress, $0.count) }
    return String(cString: g_checksum_get_string(checksum))
  }

  /// Files up to this size are hashed whole.
  static let wholeFileLimit = 4 << 20
  /// Larger ones by this many evenly spaced samples (the first at the start, the last at the
  /// end) of `sampleBytes` each, after their size.
  static let samples = 16
  static let sampleBytes = 128 << 10

  /// The document's content fingerprint: SHA-256 of the whole file up to 4 MB; above, of its
  /// size and 16 samples of 128 KB spread over it (2 MB in all). It is read before the first
  /// request, so its cost is bounded: hashing a 300 MB scan whole took 0.8 s here, the samples
  /// take a few ms. A PDF that changes changes its trailer and cross-reference offsets at its
  /// end, and its size unless edited in place byte for byte; a same-size edit that misses every
  /// sample is the one change this does not see. Nil if the file cannot be read.
  static func fingerprint(fileAt path: String) -> String? {
    let fd = RawPath.withOpenable(path) { open($0, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { return nil }
    let size = Int(status.st_size)
    let checksum = g_checksum_new(G_CHECKSUM_SHA256)
    defer { g_checksum_free(checksum) }
    func add(_ bytes: [UInt8]) {
      bytes.withUnsafeBufferPointer { g_checksum_update(checksum, $0.baseAddress, $0.count) }
    }
    if size <= wholeFileLimit {
      guard let bytes = read(fd, at: 0, count: size) else { return nil }
      add(bytes)
    } else {
      add(Array("sampled \(size) bytes\n".utf8))
      let last = size - sampleBytes
      for index in 0..<samples {
        guard let bytes = read(fd, at: last * index / (samples - 1), count: sampleBytes) else {
          return nil
        }
        add(bytes)
      }
    }
    return String(cString: g_checksum_get_string(checksum))
  }

  private static func read(_ fd: Int32, at offset: Int, count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let got = bytes.withUnsafeMutableBytes {
        pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done))
      }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { return nil }
      done += got
    }
    return bytes
  }
}

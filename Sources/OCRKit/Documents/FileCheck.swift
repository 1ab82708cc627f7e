import Foundation

/// Checks a path before any library sees it, so every failure gets a precise message
/// (and a fifo or a directory never blocks or confuses a decoder).
enum FileCheck {
  /// The first `count` bytes of a readable, non-empty regular file.
  static func readableHead(path: String, count: Int) throws(DocumentError) -> [UInt8] {
    try RawPath.withOpenable(path) { openable throws(DocumentError) in
      try readableHead(path: path, openable: openable, count: count)
    }
  }

  private static func readableHead(path: String, openable: String, count: Int)
    throws(DocumentError) -> [UInt8]
  {
    var info = stat()
    guard stat(openable, &info) == 0 else {
      if errno == ENOENT || errno == ENOTDIR { throw .notFound(path: path) }
      throw .notReadable(path: path, reason: lastError())
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile(path: path) }
    guard info.st_size > 0 else { throw .empty(path: path) }
    let fd = Glibc.open(openable, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .notReadable(path: path, reason: lastError()) }
    defer { close(fd) }
    var head = [UInt8](repeating: 0, count: count)
    let read = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
    guard read >= 0 else {
      throw .notReadable(path: path, reason: lastError())
    }
    return Array(head.prefix(read))
  }

  /// errno as words that fit mid-sentence ("permission denied").
  private static func lastError() -> String { String(cString: strerror(errno)).lowercased() }

  static func readAll(path: String) throws(DocumentError) -> [UInt8] {
    guard let data = RawPath.withOpenable(path, { FileManager.default.contents(atPath: $0) }) else {
      throw .notReadable(path: path, reason: "read failed")
    }
    return Array(data)
  }
}

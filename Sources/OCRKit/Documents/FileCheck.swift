import Foundation

/// Checks a path before any library sees it, so every failure gets a precise message
/// (and a fifo or a directory never blocks or confuses a decoder).
enum FileCheck {
  /// The first `count` bytes of a readable, non-empty regular file.
  static func readableHead(path: String, count: Int) throws(DocumentError) -> [UInt8] {
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == EACCES { throw .notReadable(path: path, reason: "permission denied") }
      throw .notFound(path: path)
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile(path: path) }
    guard info.st_size > 0 else { throw .empty(path: path) }
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .notReadable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var head = [UInt8](repeating: 0, count: count)
    let read = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
    guard read >= 0 else {
      throw .notReadable(path: path, reason: String(cString: strerror(errno)))
    }
    return Array(head.prefix(read))
  }

  static func readAll(path: String) throws(DocumentError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .notReadable(path: path, reason: "read failed")
    }
    return Array(data)
  }
}

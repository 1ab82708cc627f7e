import Foundation
import Synchronization

/// Paths whose names are not UTF-8 (Latin-1 names from old archives, say).
///
/// Swift sees such a name with U+FFFD in place of its bad bytes, and a path spelled that way
/// names no file. `openable` finds the file again by listing each folder with `readdir`
/// (raw bytes), opens it with `O_PATH` and hands out `/proc/self/fd/N`, which every C library
/// can open; messages keep showing the readable spelling.
public enum RawPath {
  private static let resolved = Mutex<[String: String]>([:])
  /// Linux's O_PATH (not exported by Swift's Glibc module): a handle that needs no read
  /// permission, so an unreadable file still gets its precise "permission denied".
  private static let pathOnly: Int32 = 0o10_000_000

  /// A path the C libraries can open for `path`: `path` itself, unless it holds U+FFFD and
  /// names nothing, and a file with non-UTF-8 bytes matches it.
  public static func openable(_ path: String) -> String {
    guard path.contains("\u{FFFD}"), access(path, F_OK) != 0 else { return path }
    if let known = resolved.withLock({ $0[path] }) { return known }
    guard let raw = rawBytes(of: path) else { return path }
    let fd = raw.withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, pathOnly | O_CLOEXEC) }
    }
    guard fd >= 0 else { return path }
    // Kept open for the process's life: the handed-out path must go on naming the file.
    let alias = "/proc/self/fd/\(fd)"
    resolved.withLock { $0[path] = alias }
    return alias
  }

  /// The raw bytes (NUL-terminated) of the one path whose components, decoded leniently,
  /// spell `path`.
  static func rawBytes(of path: String) -> [UInt8]? {
    var raw: [UInt8] = path.hasPrefix("/") ? [] : Array(".".utf8)
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      let folder = raw.isEmpty ? [UInt8(ascii: "/")] : raw
      var bytes = Array(component.utf8)
      if component.contains("\u{FFFD}") {
        guard let match = entry(in: folder, spelled: String(component)) else { return nil }
        bytes = match
      }
      raw += [UInt8(ascii: "/")] + bytes
    }
    return raw + [0]
  }

  /// The name in `folder` (raw bytes) that decodes to `spelled`.
  private static func entry(in folder: [UInt8], spelled: String) -> [UInt8]? {
    guard
      let directory = (folder + [0]).withUnsafeBufferPointer({ bytes in
        bytes.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) }
      })
    else { return nil }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
        Array(buffer.prefix { $0 != 0 })
      }
      if String(decoding: name, as: UTF8.self) == spelled { return name }
    }
    return nil
  }
}

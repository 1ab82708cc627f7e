import Foundation

/// Paths whose names are not UTF-8 (Latin-1 names from old archives, say).
///
/// Swift sees such a name with U+FFFD in place of its bad bytes, and a path spelled that way
/// names no file. `withOpenable` finds the file again by listing each folder with `readdir`
/// (raw bytes), opens it with `O_PATH` and lends out `/proc/self/fd/N`, which every C library
/// can open, for the length of the call; messages keep showing the readable spelling.
public enum RawPath {
  /// Linux's O_PATH (not exported by Swift's Glibc module): a handle that needs no read
  /// permission, so an unreadable file still gets its precise "permission denied".
  private static let pathOnly: Int32 = 0o10_000_000

  /// Calls `body` with a path the C libraries can open for `path`: `path` itself, unless it
  /// holds U+FFFD and names nothing while exactly one file with non-UTF-8 bytes matches it.
  public static func withOpenable<Result, Failure: Error>(
    _ path: String, _ body: (String) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    guard path.contains("\u{FFFD}"), access(path, F_OK) != 0, let raw = rawBytes(of: path) else {
      return try body(path)
    }
    let fd = raw.withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, pathOnly | O_CLOEXEC) }
    }
    guard fd >= 0 else { return try body(path) }
    defer { close(fd) }
    return try body("/proc/self/fd/\(fd)")
  }

  /// The raw bytes (NUL-terminated) of the one path whose components, decoded leniently,
  /// spell `path`; nil when none does, or when several do (which one was meant is unknowable).
  static func rawBytes(of path: String) -> [UInt8]? {
    var raw: [UInt8] = path.hasPrefix("/") ? [] : Array(".".utf8)
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      let folder = raw.isEmpty ? [UInt8(ascii: "/")] : raw
      var bytes = Array(component.utf8)
      if component.contains("\u{FFFD}") {
        let matches = entries(in: folder, spelled: String(component))
        guard matches.count == 1 else { return nil }
        bytes = matches[0]
      }
      raw += [UInt8(ascii: "/")] + bytes
    }
    return raw + [0]
  }

  /// The names in `folder` (raw bytes) that decode to `spelled`.
  private static func entries(in folder: [UInt8], spelled: String) -> [[UInt8]] {
    guard
      let directory = (folder + [0]).withUnsafeBufferPointer({ bytes in
        bytes.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) }
      })
    else { return [] }
    defer { closedir(directory) }
    var matches: [[UInt8]] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
        Array(buffer.prefix { $0 != 0 })
      }
      if String(decoding: name, as: UTF8.self) == spelled { matches.append(name) }
    }
    return matches
  }
}

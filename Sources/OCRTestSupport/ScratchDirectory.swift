import Foundation

/// Fresh folders for tests' and benchmarks' files, all inside one folder per process that is
/// removed when the process exits — and, for a process that died before it could, by the next
/// one — so test runs leave nothing behind in the temporary folder.
public enum ScratchDirectory {
  private static let prefix = "ocrview-scratch."

  /// This process's folder: created on first use, with its removal registered.
  private static let root: String = {
    removeAbandoned()
    let path = NSTemporaryDirectory() + prefix + String(getpid())
    try? FileManager.default.removeItem(atPath: path)
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { ScratchDirectory.removeRoot() }
    return path
  }()

  /// A new empty folder whose name starts with `label`.
  public static func make(_ label: String) -> String {
    let path = root + "/" + label + "-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  private static func removeRoot() {
    try? FileManager.default.removeItem(atPath: root)
  }

  /// Folders of processes that no longer run (killed, crashed).
  private static func removeAbandoned() {
    let temporary = NSTemporaryDirectory()
    let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
    for name in names where name.hasPrefix(prefix) {
      guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid(),
        kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      try? FileManager.default.removeItem(atPath: temporary + name)
    }
  }
}

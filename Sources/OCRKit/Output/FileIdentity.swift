import Glibc

/// A file as the kernel knows it (device and inode): two paths — a hard link, a symlink,
/// `/proc/self/fd/N` — name the same file exactly when their identities are equal.
public struct FileIdentity: Sendable, Hashable {
  let device: UInt
  let inode: UInt

  /// The file `path` leads to (symlinks followed), or nil when there is none.
  public init?(path: String) {
    var status = stat()
    guard RawPath.withOpenable(path, { stat($0, &status) }) == 0 else { return nil }
    self.init(status)
  }

  /// The entry `path` names itself (a symlink is not followed).
  public init?(entry path: String) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return nil }
    self.init(status)
  }

  /// The file open at `fd`.
  public init?(fd: Int32) {
    var status = stat()
    guard fstat(fd, &status) == 0 else { return nil }
    self.init(status)
  }

  private init(_ status: stat) {
    device = UInt(status.st_dev)
    inode = UInt(status.st_ino)
  }
}

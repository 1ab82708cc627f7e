import Foundation

/// A write that failed: the file and the `errno`, said the way a user acts on it ("disk full",
/// not "No space left on device (28)").
public struct WriteError: LocalizedError, Sendable, Equatable, CustomStringConvertible {
  public let path: String
  public let code: Int32

  public init(path: String, code: Int32) {
    self.path = path
    self.code = code
  }

  /// What the errno means for the user.
  public var reason: String {
    switch code {
    case ENOSPC: "disk full"
    case EDQUOT: "disk quota exceeded"
    case EPIPE: "the reader closed it"
    case EFBIG: "file too large"
    case EIO: "I/O error"
    case EROFS: "read-only file system"
    default: String(cString: strerror(code))
    }
  }

  public var description: String { "cannot write \(path) (\(reason))" }
  /// What `localizedDescription` says (the viewer's save message uses it).
  public var errorDescription: String? { description }
}

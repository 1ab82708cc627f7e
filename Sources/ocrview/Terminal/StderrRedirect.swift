import CNcurses
import Foundation

/// Points fd 2 at a log file while the TUI owns the screen, so stray writes from C libraries
/// (leptonica, tesseract, libcurl) never land on it; `restore` puts the original stderr back.
///
/// The log is `$XDG_STATE_HOME/ocrview/ocrview.log` (or `~/.local/state/ocrview/ocrview.log`),
/// created 0600 in a 0700 directory and appended to (emptied first once it passes 1 MiB).
final class StderrRedirect {
  static let sizeLimit = 1 << 20
  let logPath: String
  /// A duplicate of the original fd 2; -1 once restored.
  private var saved: Int32

  /// Redirects to `logPath`, or to the default log when nil.
  init(logPath: String? = nil) throws {
    let path = try logPath ?? Self.defaultLogPath()
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      do {
        try FileManager.default.createDirectory(
          atPath: directory, withIntermediateDirectories: true,
          attributes: [.posixPermissions: 0o700])
      } catch {
        throw TerminalError.stderrLog(path: path, reason: "cannot create \(directory)")
      }
    }
    // Appended to, but started afresh once past 1 MiB so it never grows without bound.
    var status = stat()
    let tooBig =
      stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
      && status.st_size > Self.sizeLimit
    let log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (tooBig ? O_TRUNC : 0), 0o600)
    guard log >= 0 else {
      throw TerminalError.stderrLog(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(log) }
    let saved = fcntl(2, F_DUPFD_CLOEXEC, 3)
    guard saved >= 0 else {
      throw TerminalError.stderrLog(path: path, reason: String(cString: strerror(errno)))
    }
    cncurses_flush_stderr()
    guard dup2(log, 2) >= 0 else {
      let reason = String(cString: strerror(errno))
      close(saved)
      throw TerminalError.stderrLog(path: path, reason: reason)
    }
    self.saved = saved
    self.logPath = path
    let stamp = Date().formatted(.iso8601)
    let header = "--- ocrview \(getpid()) \(stamp): stderr while the TUI is on screen\n"
    _ = header.withCString { write(2, $0, strlen($0)) }
  }

  deinit { restore() }

  /// Puts the original stderr back on fd 2; idempotent.
  func restore() {
    guard saved >= 0 else { return }
    cncurses_flush_stderr()
    _ = dup2(saved, 2)
    close(saved)
    saved = -1
  }

  /// `$XDG_STATE_HOME/ocrview/ocrview.log`, falling back to `~/.local/state` when the variable is
  /// unset or not absolute (as the XDG spec says).
  static func defaultLogPath(environment: [String: String] = ProcessInfo.processInfo.environment)
    throws -> String
  {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return state + "/ocrview/ocrview.log"
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    guard home.hasPrefix("/") else {
      throw TerminalError.stderrLog(
        path: "~/.local/state/ocrview/ocrview.log", reason: "HOME is not set")
    }
    return home + "/.local/state/ocrview/ocrview.log"
  }
}

import CNcurses
import Glibc

/// Wakes the UI thread, blocked in `Terminal.wait`, from any other thread.
///
/// An eventfd on Linux (a pipe elsewhere), non-blocking at both ends: `poke` never blocks, and
/// any number of pokes before the UI thread wakes coalesce into one wake-up, which `drain` clears.
final class Waker: Sendable {
  /// The descriptor to poll for reading.
  let fd: Int32
  /// Where `poke` writes: `fd` itself for an eventfd, the write end for a pipe.
  private let writeFD: Int32

  init() throws {
    #if os(Linux)
      let fd = cncurses_eventfd()
      guard fd >= 0 else { throw TerminalError.descriptor(errno: errno) }
      self.fd = fd
      writeFD = fd
    #else
      var ends: [Int32] = [-1, -1]
      guard cncurses_pipe(&ends) == 0 else { throw TerminalError.descriptor(errno: errno) }
      fd = ends[0]
      writeFD = ends[1]
    #endif
  }

  deinit {
    close(fd)
    if writeFD != fd { close(writeFD) }
  }

  /// Makes the next (or current) `Terminal.wait` return. Safe from any thread, never blocks.
  func poke() {
    var one: UInt64 = 1
    // EAGAIN means a wake-up is already pending (counter or pipe full): nothing is lost.
    _ = withUnsafeBytes(of: &one) { bytes in
      write(writeFD, bytes.baseAddress, writeFD == fd ? 8 : 1)
    }
  }

  /// Clears pending pokes; the UI thread calls it after waking, before handling what it was woken for.
  func drain() {
    var buffer = [UInt8](repeating: 0, count: 64)
    while read(fd, &buffer, buffer.count) > 0 {}
  }
}

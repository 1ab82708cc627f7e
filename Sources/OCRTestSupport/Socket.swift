#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Blocking POSIX socket calls, thin enough to see what reaches the wire.
enum Socket {
  #if os(Linux)
    private static let sendFlags = Int32(MSG_NOSIGNAL)  // a closed peer gives EPIPE, not SIGPIPE
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    private static let rdHup: Int16 = 0x2000  // POLLRDHUP: the peer shut down its side
  #else
    private static let sendFlags: Int32 = 0
    private static let streamType = SOCK_STREAM
    private static let rdHup: Int16 = 0
  #endif

  /// A listening socket on 127.0.0.1 (port 0: an ephemeral one) and the port it got.
  static func listen(port: UInt16) throws -> (fd: Int32, port: UInt16) {
    let fd = socket(AF_INET, streamType, 0)
    guard fd >= 0 else { throw FakeServerError(description: "socket() failed: errno \(errno)") }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    #if !os(Linux)
      setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
    #endif
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listenWithBacklog(fd) == 0 else {
      let err = errno
      close(fd)
      throw FakeServerError(description: "cannot listen on 127.0.0.1:\(port) (errno \(err))")
    }
    var got = sockaddr_in()
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &got) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return (fd, UInt16(bigEndian: got.sin_port))
  }

  private static func listenWithBacklog(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
      Glibc.listen(fd, 64)
    #else
      Darwin.listen(fd, 64)
    #endif
  }

  /// The next connection, or nil once the listening socket is shut down.
  ///
  /// Out of descriptors or buffers (EMFILE, ENFILE, ENOBUFS, ENOMEM) it waits a millisecond and
  /// accepts again, as cpp-httplib's listen loop does on EMFILE: the connection stays in the
  /// backlog until one frees. Giving up there closed the listening socket for good.
  static func accept(_ fd: Int32) -> Int32? {
    while true {
      #if canImport(Glibc)
        let c = Glibc.accept(fd, nil, nil)
      #else
        let c = Darwin.accept(fd, nil, nil)
      #endif
      if c >= 0 {
        // llama-server builds cpp-httplib with CPPHTTPLIB_TCP_NODELAY: without it, every
        // answer on a reused connection waits ~40 ms for the client's delayed ACK.
        var noDelay: Int32 = 1
        setsockopt(
          c, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        #if !os(Linux)
          var one: Int32 = 1
          setsockopt(c, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        return c
      }
      if errno == EINTR || errno == ECONNABORTED { continue }
      if [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(errno) {
        usleep(1000)
        continue
      }
      return nil
    }
  }

  /// Writes every byte (one `send` call unless the kernel takes less); false if the peer is gone.
  static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes {
        send(fd, $0.baseAddress! + offset, bytes.count - offset, sendFlags)
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return false }
      offset += n
    }
    return true
  }

  /// Up to `max` bytes; nil on end of stream or error.
  static func receive(_ fd: Int32, max: Int = 65536) -> [UInt8]? {
    var chunk = [UInt8](repeating: 0, count: max)
    while true {
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, max, 0) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return nil }
      return Array(chunk[0..<n])
    }
  }

  /// True when data (or end of stream) can be read within `milliseconds`.
  static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&p, 1, milliseconds) > 0
  }

  /// Blocks up to `milliseconds` or until the peer closes; true if it has closed.
  /// Bytes the peer sent (a pipelined request) do not count as closing.
  static func peerClosed(_ fd: Int32, waitingUpTo milliseconds: Int32 = 0) -> Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN) | rdHup, revents: 0)
    guard poll(&p, 1, milliseconds) > 0 else { return false }
    if p.revents & (Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL) | rdHup) != 0 { return true }
    var byte: UInt8 = 0
    let n = recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
  }

  /// Lifts this process's open-descriptor limit towards its hard limit (at most
  /// `descriptorTarget`), once. The whole test suite runs in one process, its fake servers'
  /// connections beside everything else it opens: 692 descriptors were seen open at once
  /// (sampled every 2 s), where many machines' soft limit is 1,024 and the hard one far above.
  /// The `fake-ocr-server` binary does it too.
  static func raiseDescriptorLimitOnce() { _ = raisedDescriptorLimit }

  /// Enough for the suite many times over, and no huge table for children that walk theirs.
  static let descriptorTarget: rlim_t = 65536

  private static let raisedDescriptorLimit: Void = {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
    let wanted = min(limit.rlim_max, descriptorTarget)
    guard limit.rlim_cur < wanted else { return }
    limit.rlim_cur = wanted
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
  }()

  /// A client's connection to 127.0.0.1:`port`; nil if it could not connect.
  static func connect(port: UInt16) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        #if canImport(Glibc)
          Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        #else
          Darwin.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        #endif
      }
    }
    guard connected == 0 else {
      closeFD(fd)
      return nil
    }
    return fd
  }

  static func shutdownBoth(_ fd: Int32) {
    #if os(Linux)
      _ = shutdown(fd, Int32(SHUT_RDWR))
    #else
      _ = shutdown(fd, SHUT_RDWR)
    #endif
  }

  static func shutdownWrite(_ fd: Int32) {
    #if os(Linux)
      _ = shutdown(fd, Int32(SHUT_WR))
    #else
      _ = shutdown(fd, SHUT_WR)
    #endif
  }

  /// Makes the coming `close` send RST instead of FIN.
  static func setAbortiveClose(_ fd: Int32) {
    var l = linger(l_onoff: 1, l_linger: 0)
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
  }

  static func closeFD(_ fd: Int32) { _ = close(fd) }
}

import Foundation

/// A request as it came off the socket, before routing.
struct RawRequest: Sendable {
  var method: String
  var target: String
  var version: String
  var headers: [String: String]
  var body: [UInt8]
}

/// One accepted connection, served on its own thread with blocking I/O: reads requests
/// (keep-alive, `Content-Length` or chunked bodies, `Expect: 100-continue`), hands them to the
/// server core, and writes scripted responses step by step while watching for the client
/// hanging up. Used by exactly one thread, so it needs no locking of its own.
final class HTTPConnection {
  private let fd: Int32
  private let id: Int
  private let core: ServerCore
  private var buffer: [UInt8] = []
  private var start = 0
  /// When the response's next timed step is due: sleeps add up from the response's start, so a
  /// page takes its scripted time however long writes and wake-ups take, like a model emitting
  /// tokens at a steady rate (benchmarks compare against the scripted time).
  private var schedule = ContinuousClock.now
  private var closed = false

  private enum Outcome { case completed, clientGone, serverClosed }

  init(fd: Int32, id: Int, core: ServerCore) {
    self.fd = fd
    self.id = id
    self.core = core
  }

  func run() {
    var served = 0
    var closedByServer = false
    while !core.isStopped {
      let idle = served == 0 ? 60_000 : Int32(LlamaWire.keepAliveTimeoutSeconds * 1000)
      if start == buffer.count && !waitReadable(milliseconds: Int32(idle)) {
        closedByServer = true  // cpp-httplib drops a connection idle for the keep-alive timeout
        break
      }
      guard let raw = readRequest() else { break }
      served += 1
      let wantsClose =
        served >= LlamaWire.keepAliveMaxRequests
        || raw.headers["connection"]?.lowercased() == "close"
        || (raw.version == "HTTP/1.0" && raw.headers["connection"]?.lowercased() != "keep-alive")
      let routed = core.route(raw, connection: id)
      let outcome = execute(
        routed.response, closeHeader: wantsClose, origin: raw.headers["origin"] ?? "",
        usesSlot: routed.usesSlot)
      core.log("\(raw.method) \(raw.target) -> \(routed.response.head?.status ?? 0) \(outcome)")
      if outcome == .clientGone {
        // Counted for chat answers only: a client's poll of /metrics or /slots abandoned as
        // its run ends is no page cut off (it made a loop test count four where three reads
        // were stopped).
        if !core.isStopped, routed.usesSlot { core.recordClientDisconnect(connection: id) }
        break
      }
      if outcome == .serverClosed || wantsClose {
        closedByServer = true
        break
      }
    }
    if !closed { Socket.closeFDAfterUnregistering(fd, core: core, connection: id) }
    core.connectionEnded(id: id, closedByServer: closedByServer)
  }

  // MARK: - Reading

  private var available: Int { buffer.count - start }

  private func waitReadable(milliseconds: Int32) -> Bool {
    var left = milliseconds
    while left > 0 && !core.isStopped {
      let slice = min(left, 100)
      if Socket.waitReadable(fd, milliseconds: slice) { return true }
      left -= slice
    }
    return false
  }

  private func fill() -> Bool {
    guard let bytes = Socket.receive(fd) else { return false }
    if start > 0 && start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    }
    buffer += bytes
    return true
  }

  private func take(_ n: Int) -> [UInt8] {
    let out = Array(buffer[start..<start + n])
    start += n
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    }
    return out
  }

  /// A CRLF-terminated line without its CRLF, or nil if the peer closed first.
  private func readLine(limit: Int = 65536) -> String? {
    while true {
      if let i = findCRLF() {
        let line = take(i - start)
        start += 2
        return String(decoding: line, as: UTF8.self)
      }
      guard available < limit, fill() else { return nil }
    }
  }

  private func findCRLF() -> Int? {
    var i = start
    while i + 1 < buffer.count {
      if buffer[i] == 13 && buffer[i + 1] == 10 { return i }
      i += 1
    }
    return nil
  }

  private func readRequest() -> RawRequest? {
    guard let requestLine = readLine(), !requestLine.isEmpty else { return nil }
    let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3 else { return nil }
    var headers: [String: String] = [:]
    while true {
      guard let line = readLine() else { return nil }
      if line.isEmpty { break }
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    if headers["expect"]?.lowercased() == "100-continue" {
      guard write(LlamaWire.continue100) else { return nil }
    }
    var body: [UInt8] = []
    if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
      guard let chunked = readChunkedBody() else { return nil }
      body = chunked
    } else if let length = Int(headers["content-length"] ?? ""), length > 0 {
      buffer.reserveCapacity(start + length)
      while available < length {
        guard fill() else { return nil }
      }
      body = take(length)
    }
    return RawRequest(
      method: String(parts[0]), target: String(parts[1]), version: String(parts[2]),
      headers: headers, body: body)
  }

  private func readChunkedBody() -> [UInt8]? {
    var body: [UInt8] = []
    while true {
      guard let sizeLine = readLine() else { return nil }
      let hex = sizeLine.split(separator: ";").first.map(String.init) ?? ""
      guard let size = Int(hex.trimmingCharacters(in: .whitespaces), radix: 16) else {
        return nil
      }
      if size == 0 {
        while let trailer = readLine(), !trailer.isEmpty {}
        return body
      }
      while available < size + 2 {
        guard fill() else { return nil }
      }
      body += take(size)
      start += 2
    }
  }

  // MARK: - Writing

  private func execute(
    _ response: FakeResponse, closeHeader: Bool, origin: String, usesSlot: Bool
  ) -> Outcome {
    core.setResponding(connection: id, true)
    defer { core.setResponding(connection: id, false) }
    if usesSlot {
      let arrived = ContinuousClock.now
      core.chatHeld(true)
      defer { core.chatHeld(false) }
      if case .reject(let retryAfter) = core.overflow {
        guard core.slots.tryAcquire() else {
          core.chatRejected()
          return execute(
            .tooManyRequests(retryAfter: retryAfter), closeHeader: closeHeader,
            origin: origin, usesSlot: false)
        }
      } else {
        guard core.slots.acquire(giveUp: { core.isStopped || Socket.peerClosed(fd) }) else {
          return core.isStopped ? .serverClosed : .clientGone
        }
      }
      let start = ContinuousClock.now
      defer {
        core.slotHeld(arrived: arrived, since: start)
        core.slots.release()
      }
      return execute(response, closeHeader: closeHeader, origin: origin, usesSlot: false)
    }
    schedule = .now
    for step in response.beforeHead {
      if let outcome = run(step, framed: false) { return outcome }
    }
    guard let head = response.head else {
      for step in response.steps {
        if let outcome = run(step, framed: false) { return outcome }
      }
      return .completed
    }
    let chunked = head.framing == .chunked
    var steps = response.steps[...]
    let length = steps.reduce(0) {
      if case .send(let bytes) = $1 { $0 + bytes.count } else { $0 }
    }
    var first = LlamaWire.head(
      status: head.status, contentType: head.contentType, chunked: chunked,
      contentLength: length, close: closeHeader || head.status >= 400, origin: origin)
    if !chunked, case .send(let body)? = steps.first {
      first += body  // cpp-httplib sends the header block and a small body in one write
      steps = steps.dropFirst()
    }
    guard write(first) else { return .clientGone }
    for step in steps {
      if let outcome = run(step, framed: chunked) { return outcome }
    }
    if chunked {
      guard write(LlamaWire.lastChunk) else { return .clientGone }
    }
    return .completed
  }

  /// Nil to go on, or how the response ended.
  private func run(_ step: FakeResponse.Step, framed: Bool) -> Outcome? {
    switch step {
    case .send(let bytes):
      return write(framed ? LlamaWire.chunkFrame(bytes) : bytes) ? nil : .clientGone
    case .sendRaw(let bytes):
      return write(bytes) ? nil : .clientGone
    case .sleep(let duration):
      schedule = max(schedule + duration, .now - .milliseconds(50))  // never catch up in a burst
      return sleepWatching(until: schedule)
    case .sendForever(let bytes, let every):
      while true {
        if let outcome = run(.send(bytes), framed: framed) { return outcome }
        if let outcome = run(.sleep(every), framed: framed) { return outcome }
      }
    case .wait(let gate):
      while !gate.wait(seconds: 0.02) {
        if core.isStopped { return .serverClosed }
        if Socket.peerClosed(fd) { return .clientGone }
      }
      schedule = .now
      return nil
    case .drop:
      Socket.shutdownWrite(fd)
      Socket.closeFDAfterUnregistering(fd, core: core, connection: id)
      closed = true
      return .serverClosed
    case .reset:
      Socket.setAbortiveClose(fd)
      Socket.closeFDAfterUnregistering(fd, core: core, connection: id)
      closed = true
      return .serverClosed
    }
  }

  private func sleepWatching(until deadline: ContinuousClock.Instant) -> Outcome? {
    while true {
      if core.isStopped { return .serverClosed }
      let left = (deadline - ContinuousClock.now).milliseconds
      if left <= 0 { return nil }
      let slice = Int32(min(max(left, 1), 20))
      if Socket.peerClosed(fd, waitingUpTo: slice) { return .clientGone }
      if (deadline - ContinuousClock.now).milliseconds > 0
        && Socket.waitReadable(fd, milliseconds: 0)
      {
        usleep(UInt32(slice) * 1000)  // pipelined bytes make poll return at once: don't spin
      }
    }
  }

  private func write(_ bytes: [UInt8]) -> Bool {
    if core.isStopped || Socket.peerClosed(fd) { return false }
    return Socket.sendAll(fd, bytes)
  }
}

extension Socket {
  /// Closes a connection's descriptor only after the core forgot it, so `stop()` never shuts
  /// down a descriptor number the kernel has already handed to someone else.
  static func closeFDAfterUnregistering(_ fd: Int32, core: ServerCore, connection: Int) {
    core.unregister(connection: connection)
    closeFD(fd)
  }
}

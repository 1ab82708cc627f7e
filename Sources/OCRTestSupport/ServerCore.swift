import Foundation

/// Everything the server's threads share: the listening socket, the routes, the records.
/// The public `FakeOCRServer` owns it; threads hold it (not the server), so dropping the
/// server runs its `deinit`, which stops the core.
final class ServerCore: Sendable {
  let port: UInt16
  let slotCount: Int
  let slots: SlotPool
  let overflow: FakeOCRServer.Overflow
  let model: FakeModel
  /// The `/metrics` page it publishes (nil: none, as llama-server without `--metrics`).
  let metrics: FakeMetrics?
  /// Whether it answers `/slots` (llama-server does unless `--no-slots`; off by default here,
  /// so runs against the fake keep their fixed limits unless a test asks).
  let slotsEndpoint: Bool
  private let listenFD: Int32
  private let apiKey: String?
  private let responder: @Sendable (FakeRequest) -> FakeResponse
  private let logger: (@Sendable (String) -> Void)?
  private let state: Locked<State>
  private let finished = NSCondition()

  struct State: Sendable {
    var stopped = false
    var health: HealthState
    var chatRequests: [FakeRequest] = []
    var allRequests: [FakeRequest] = []
    var connections: [FakeConnection] = []
    var responding: Set<Int> = []
    var openFDs: [Int: Int32] = [:]
    var disconnects = 0
    var threads = 0
    var chatsHeld = 0
    var chatsHeldAtArrival: [Int] = []
    var rejectedChats = 0
    var slotUses: [FakeOCRServer.SlotUse] = []
  }

  init(
    port: UInt16, slots: Int, overflow: FakeOCRServer.Overflow, health: HealthState,
    apiKey: String?, model: FakeModel, metrics: FakeMetrics? = nil, slotsEndpoint: Bool = false,
    log: (@Sendable (String) -> Void)?,
    responder: @escaping @Sendable (FakeRequest) -> FakeResponse
  ) throws {
    Socket.raiseDescriptorLimitOnce()
    let (fd, bound) = try Socket.listen(port: port)
    listenFD = fd
    self.port = bound
    slotCount = max(slots, 1)
    self.slots = SlotPool(slots: slots)
    self.overflow = overflow
    self.model = model
    self.metrics = metrics
    self.slotsEndpoint = slotsEndpoint
    self.apiKey = apiKey
    self.responder = responder
    logger = log
    state = Locked(State(health: health))
  }

  func start() {
    state.withLock { $0.threads += 1 }
    let thread = Thread { [self] in
      acceptLoop()
      threadEnded()
    }
    thread.name = "fake-ocr-server accept"
    thread.start()
  }

  private func acceptLoop() {
    while let fd = Socket.accept(listenFD) {
      let id: Int? = state.withLock {
        if $0.stopped { return nil }
        let id = $0.connections.count
        $0.connections.append(
          FakeConnection(
            id: id, requestCount: 0, clientDisconnectedMidResponse: false,
            closedByServer: false, isOpen: true))
        $0.openFDs[id] = fd
        $0.threads += 1
        return id
      }
      guard let id else {
        Socket.closeFD(fd)
        break
      }
      let thread = Thread { [self] in
        HTTPConnection(fd: fd, id: id, core: self).run()
        threadEnded()
      }
      thread.name = "fake-ocr-server connection \(id)"
      thread.start()
    }
    Socket.closeFD(listenFD)
  }

  private func threadEnded() {
    finished.lock()
    state.withLock { $0.threads -= 1 }
    finished.broadcast()
    finished.unlock()
  }

  /// Shuts every socket down and waits (up to 3 s) for the threads to finish.
  func stop() {
    let first: Bool = state.withLock {
      if $0.stopped { return false }
      $0.stopped = true
      for fd in $0.openFDs.values { Socket.shutdownBoth(fd) }
      return true
    }
    guard first else { return }
    Socket.shutdownBoth(listenFD)
    finished.lock()
    let deadline = Date(timeIntervalSinceNow: 3)
    while state.current.threads > 0 && Date() < deadline {
      _ = finished.wait(until: deadline)
    }
    finished.unlock()
  }

  var isStopped: Bool { state.current.stopped }

  // MARK: - Records

  func setHealth(_ health: HealthState) { state.withLock { $0.health = health } }
  var chatRequests: [FakeRequest] { state.current.chatRequests }
  var allRequests: [FakeRequest] { state.current.allRequests }
  var connections: [FakeConnection] { state.current.connections }
  var disconnects: Int { state.current.disconnects }
  var respondingCount: Int { state.current.responding.count }
  var chatsHeldAtArrival: [Int] { state.current.chatsHeldAtArrival }
  var rejectedChats: Int { state.current.rejectedChats }
  var slotUses: [FakeOCRServer.SlotUse] { state.current.slotUses }

  /// A chat answer that arrived at `arrived` held a slot from `start` until now.
  func slotHeld(arrived: ContinuousClock.Instant, since start: ContinuousClock.Instant) {
    let use = FakeOCRServer.SlotUse(arrived: arrived, held: start..<ContinuousClock.now)
    state.withLock { $0.slotUses.append(use) }
  }

  /// A chat answer that needs a slot arrived (`true`) or left.
  func chatHeld(_ arrived: Bool) {
    state.withLock {
      $0.chatsHeld += arrived ? 1 : -1
      if arrived { $0.chatsHeldAtArrival.append($0.chatsHeld) }
    }
  }

  func chatRejected() { state.withLock { $0.rejectedChats += 1 } }

  /// Chat requests running (holding a slot) and waiting for one, right now.
  var load: (running: Int, waiting: Int) {
    let running = slots.busy
    return (running, max(0, state.current.chatsHeld - running))
  }

  func unregister(connection: Int) {
    state.withLock { _ = $0.openFDs.removeValue(forKey: connection) }
  }

  func setResponding(connection: Int, _ on: Bool) {
    state.withLock {
      if on { $0.responding.insert(connection) } else { $0.responding.remove(connection) }
    }
  }

  func recordClientDisconnect(connection: Int) {
    state.withLock {
      $0.disconnects += 1
      $0.connections[connection].clientDisconnectedMidResponse = true
    }
  }

  func connectionEnded(id: Int, closedByServer: Bool) {
    state.withLock {
      $0.connections[id].isOpen = false
      $0.connections[id].closedByServer = closedByServer
    }
  }

  func log(_ line: String) { logger?(line) }

  // MARK: - Routing

  struct Routed {
    var response: FakeResponse
    /// A chat answer that occupies one of the server's slots while it is written.
    var usesSlot: Bool
  }

  private static let chatPaths: Set<String> = ["/v1/chat/completions", "/chat/completions"]
  private static let publicPaths: Set<String> = [
    "/health", "/v1/health", "/models", "/v1/models", "/",
  ]

  /// Same order as llama-server: the loading middleware, then the API key, then the route.
  func route(_ raw: RawRequest, connection: Int) -> Routed {
    let target = raw.target
    let path = String(target.prefix { $0 != "?" })
    let isChat = raw.method == "POST" && Self.chatPaths.contains(path)
    let (request, health): (FakeRequest, HealthState) = state.withLock {
      $0.connections[connection].requestCount += 1
      let request = FakeRequest(
        method: raw.method, target: target, headers: raw.headers, body: raw.body,
        index: isChat ? $0.chatRequests.count : -1, connection: connection,
        receivedAt: .now)
      if isChat { $0.chatRequests.append(request) }
      $0.allRequests.append(request)
      return (request, $0.health)
    }
    if health == .loading {
      return Routed(response: .loading, usesSlot: false)
    }
    if let apiKey, !Self.publicPaths.contains(path) {
      var given = raw.headers["authorization"] ?? raw.headers["x-api-key"] ?? ""
      if given.hasPrefix("Bearer ") { given.removeFirst("Bearer ".count) }
      if given != apiKey {
        return Routed(
          response: .json(status: 401, LlamaWire.invalidAPIKey.bytes), usesSlot: false)
      }
    }
    let model = model.answering(authorization: raw.headers["authorization"])
    switch (raw.method, path) {
    case ("GET", "/health"), ("GET", "/v1/health"):
      return Routed(response: .json(status: 200, LlamaWire.healthOK.bytes), usesSlot: false)
    case ("GET", "/models"), ("GET", "/v1/models"):
      return Routed(response: .json(status: 200, model.modelsBody().bytes), usesSlot: false)
    case ("GET", "/props"):
      // vLLM has no /props: its 404.
      let props = model.propsBody(slots: slotCount)
      return Routed(
        response: .json(status: props == nil ? 404 : 200, (props ?? LlamaWire.notFound).bytes),
        usesSlot: false)
    case ("GET", "/metrics"):
      guard let metrics else {
        // llama-server without --metrics: 501; vLLM always has the page, a router may not.
        return model.server == .vllm
          ? Routed(response: .json(status: 404, LlamaWire.notFound.bytes), usesSlot: false)
          : Routed(
            response: .httpError(
              status: 501, message: "This server does not support metrics endpoint.",
              type: "not_supported_error"), usesSlot: false)
      }
      let (running, waiting) = load
      let page = metrics.page(
        running: running, waiting: waiting, capacity: slotCount, model: model.id)
      return Routed(
        response: .raw(
          status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
          body: Array(page.utf8)), usesSlot: false)
    case ("GET", "/slots") where model.server == .llamaServer:
      guard slotsEndpoint else {
        return Routed(
          response: .httpError(
            status: 501, message: "This server does not support slots endpoint.",
            type: "not_supported_error"), usesSlot: false)
      }
      let body = FakeMetrics.slots(
        running: load.running, capacity: slotCount,
        contextPerSlot: model.contextTokens / slotCount)
      return Routed(response: .json(status: 200, body.bytes), usesSlot: false)
    case _ where isChat:
      if let message = request.jsonError {
        return Routed(
          response: .httpError(status: 400, message: message, type: "invalid_request_error"),
          usesSlot: false)
      }
      let response = responder(request)
      return Routed(response: response, usesSlot: (response.head?.status ?? 200) == 200)
    default:
      return Routed(response: .json(status: 404, LlamaWire.notFound.bytes), usesSlot: false)
    }
  }
}

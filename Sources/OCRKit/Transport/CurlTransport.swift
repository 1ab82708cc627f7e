import CCurl
import Foundation
import Synchronization

/// HTTP over one libcurl multi handle driven by a thread of its own.
///
/// `curl_multi_poll` blocks, so it must never run on Swift's cooperative pool. Any number of
/// transfers share the thread; each one's bytes flow out through an `AsyncThrowingStream`.
/// Ending the consumer's iteration (task cancellation) removes the easy handle, which closes
/// the connection — how an OpenAI-compatible server learns to stop generating.
public final class CurlTransport: @unchecked Sendable {
  // Safe: `multi` and `transfers` are touched only on the transfer thread. Other threads use
  // only the Mutex-guarded inbox and `curl_multi_wakeup`, which libcurl documents as thread-safe.
  private let multi: OpaquePointer
  private let inbox = Mutex(Inbox())
  private var transfers: [Int: Transfer] = [:]

  private struct Inbox {
    var starts: [PendingTransfer] = []
    var cancels: [Int] = []
    var nextID = 0
    var stopping = false
  }

  private struct PendingTransfer: Sendable {
    let id: Int
    let request: HTTPRequest
    let continuation: AsyncThrowingStream<HTTPEvent, Error>.Continuation
  }

  public init() {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    multi = curl_multi_init()
    let thread = Thread { [self] in runLoop() }
    thread.name = "ocrview.curl"
    thread.start()
  }

  /// Starts a transfer; iterate the stream for its events, stop iterating to cancel it.
  public func send(_ request: HTTPRequest) -> AsyncThrowingStream<HTTPEvent, Error> {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: HTTPEvent.self)
    let id = inbox.withLock { inbox in
      defer { inbox.nextID += 1 }
      inbox.starts.append(
        PendingTransfer(id: inbox.nextID, request: request, continuation: continuation))
      return inbox.nextID
    }
    continuation.onTermination = { [weak self] reason in
      guard case .cancelled = reason, let self else { return }
      inbox.withLock { $0.cancels.append(id) }
      curl_multi_wakeup(multi)
    }
    curl_multi_wakeup(multi)
    return stream
  }

  /// Ends every transfer and the thread; the transport cannot be used afterwards.
  public func shutdown() {
    inbox.withLock { $0.stopping = true }
    curl_multi_wakeup(multi)
  }

  // MARK: - The transfer thread

  private func runLoop() {
    while true {
      let (starts, cancels, stopping) = inbox.withLock { inbox in
        defer {
          inbox.starts.removeAll()
          inbox.cancels.removeAll()
        }
        return (inbox.starts, inbox.cancels, inbox.stopping)
      }
      for pending in starts { start(pending) }
      for id in cancels { end(id, error: nil) }
      if stopping {
        for id in Array(transfers.keys) { end(id, error: CancellationError()) }
        curl_multi_cleanup(multi)
        return
      }
      var running: Int32 = 0
      curl_multi_perform(multi, &running)
      collectFinished()
      endOverdueTransfers()
      curl_multi_poll(multi, nil, 0, transfers.isEmpty ? 1000 : 50, nil)
    }
  }

  private func start(_ pending: PendingTransfer) {
    guard let easy = curl_easy_init() else {
      pending.continuation.finish(throwing: TransportError.other("libcurl could not start"))
      return
    }
    let transfer = Transfer(
      id: pending.id, easy: easy, continuation: pending.continuation,
      idleTimeout: pending.request.idleTimeout, timeLimit: pending.request.timeLimit)
    transfer.configure(with: pending.request)
    transfers[pending.id] = transfer
    curl_multi_add_handle(multi, easy)
  }

  private func collectFinished() {
    var remaining: Int32 = 0
    while let message = curl_multi_info_read(multi, &remaining) {
      guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else {
        continue
      }
      let code = ccurl_msg_result(message)
      guard let transfer = transfers.values.first(where: { $0.easy == easy }) else { continue }
      end(
        transfer.id, error: code == CURLE_OK ? nil : transfer.error(for: code),
        completed: code == CURLE_OK)
    }
  }

  private func endOverdueTransfers() {
    let now = ContinuousClock.now
    for transfer in transfers.values {
      if let limit = transfer.idleTimeout, now - transfer.lastActivity > limit {
        end(transfer.id, error: TransportError.idleTimeout(limit))
      } else if let limit = transfer.timeLimit, now - transfer.started > limit {
        end(transfer.id, error: TransportError.timeLimit(limit))
      }
    }
  }

  /// Removes a transfer, closing its connection if it was still running.
  private func end(_ id: Int, error: Error?, completed: Bool = false) {
    guard let transfer = transfers.removeValue(forKey: id) else { return }
    // A half-read response must not leave its connection in the pool: close it. A complete
    // one leaves it open for the next page (no new TCP or TLS handshake).
    if !completed { ccurl_easy_set_long(transfer.easy, CURLOPT_FORBID_REUSE, 1) }
    curl_multi_remove_handle(multi, transfer.easy)
    transfer.close(error: error)
  }
}

/// One easy handle and its consumer; lives on the transfer thread only.
private final class Transfer {
  let id: Int
  let easy: OpaquePointer
  let continuation: AsyncThrowingStream<HTTPEvent, Error>.Continuation
  let idleTimeout: Duration?
  let timeLimit: Duration?
  let started = ContinuousClock.now
  var lastActivity = ContinuousClock.now
  private var headers: UnsafeMutablePointer<curl_slist>?
  private var sentHead = false
  private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

  init(
    id: Int, easy: OpaquePointer, continuation: AsyncThrowingStream<HTTPEvent, Error>.Continuation,
    idleTimeout: Duration?, timeLimit: Duration?
  ) {
    self.id = id
    self.easy = easy
    self.continuation = continuation
    self.idleTimeout = idleTimeout
    self.timeLimit = timeLimit
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
  }

  deinit { errorBuffer.deallocate() }

  func configure(with request: HTTPRequest) {
    ccurl_easy_set_string(easy, CURLOPT_URL, request.url)
    ccurl_easy_set_long(easy, CURLOPT_NOSIGNAL, 1)
    ccurl_easy_set_long(easy, CURLOPT_TCP_NODELAY, 1)
    ccurl_easy_set_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.milliseconds)
    ccurl_easy_set_write_callback(easy, writeCallback)
    ccurl_easy_set_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
    ccurl_easy_set_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
    if request.insecure {
      ccurl_easy_set_long(easy, CURLOPT_SSL_VERIFYPEER, 0)
      ccurl_easy_set_long(easy, CURLOPT_SSL_VERIFYHOST, 0)
    }
    // "Expect: 100-continue" would cost a round trip (or a second) on every large upload.
    for header in request.headers + ["Expect:"] { headers = curl_slist_append(headers, header) }
    ccurl_easy_set_pointer(easy, CURLOPT_HTTPHEADER, headers)
    if let body = request.body {
      ccurl_easy_set_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
      body.withUnsafeBytes {
        _ = ccurl_easy_set_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress)
      }
    }
  }

  func receive(_ bytes: UnsafeRawBufferPointer) {
    lastActivity = .now
    if !sentHead {
      sentHead = true
      var status = 0
      ccurl_easy_get_long(easy, CURLINFO_RESPONSE_CODE, &status)
      var contentType: UnsafeMutablePointer<CChar>?
      ccurl_easy_get_string(easy, CURLINFO_CONTENT_TYPE, &contentType)
      continuation.yield(
        .head(status: status, contentType: contentType.map { String(cString: $0) }))
      yieldRetryAfter(status: status)
    }
    continuation.yield(.body(Array(bytes)))
  }

  /// A busy server's `Retry-After` (seconds or an HTTP date; curl parses both).
  private func yieldRetryAfter(status: Int) {
    guard status == 429 || status == 503 else { return }
    var seconds: curl_off_t = 0
    if ccurl_easy_get_offset(easy, CURLINFO_RETRY_AFTER, &seconds) == CURLE_OK, seconds > 0 {
      continuation.yield(.retryAfter(.seconds(Int64(seconds))))
    }
  }

  func error(for code: CURLcode) -> TransportError {
    let message = String(cString: errorBuffer)
    let detail = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
    switch code {
    case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
      return .couldNotConnect(detail)
    case CURLE_OPERATION_TIMEDOUT where !sentHead:
      return .couldNotConnect(detail)
    case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SEND_ERROR:
      return sentHead ? .cutOff(detail) : .other(detail)
    case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
      CURLE_SSL_CACERT_BADFILE:
      return .tls(detail)
    default:
      return .other(detail)
    }
  }

  func close(error: Error?) {
    if sentHead == false, error == nil {
      // A response with no body still has a status.
      var status = 0
      ccurl_easy_get_long(easy, CURLINFO_RESPONSE_CODE, &status)
      if status > 0 {
        continuation.yield(.head(status: status, contentType: nil))
        yieldRetryAfter(status: status)
      }
    }
    continuation.finish(throwing: error)
    curl_easy_cleanup(easy)
    curl_slist_free_all(headers)
  }
}

private let writeCallback: ccurl_write_callback = { data, size, count, userdata in
  let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
  transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
  return size * count
}

extension Duration {
  var milliseconds: Int {
    Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
  }
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

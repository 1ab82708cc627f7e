import Foundation

/// Runs /usr/bin/curl as a subprocess; output goes to temporary files, and the wait is a
/// continuation (no blocked thread).
final class CurlRun: Sendable {
  let process: Process
  private let outURL: URL
  private let errURL: URL
  private let done: Task<Void, Never>

  struct Result: Sendable {
    var exitCode: Int32
    var stdout: [UInt8]
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
  }

  init(_ arguments: [String]) throws {
    let dir = FileManager.default.temporaryDirectory
    let tag = UUID().uuidString
    outURL = dir.appendingPathComponent("fake-curl-\(tag).out")
    errURL = dir.appendingPathComponent("fake-curl-\(tag).err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    let (stream, continuation) = AsyncStream<Void>.makeStream()
    process.terminationHandler = { _ in continuation.finish() }
    self.process = process
    done = Task { for await _ in stream {} }
    try process.run()
  }

  var isRunning: Bool { process.isRunning }

  func result() async -> Result {
    await done.value
    let out = (try? Data(contentsOf: outURL)) ?? Data()
    let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: outURL)
    try? FileManager.default.removeItem(at: errURL)
    return Result(exitCode: process.terminationStatus, stdout: Array(out), stderr: err)
  }
}

func curl(_ arguments: String...) async throws -> CurlRun.Result {
  try await CurlRun(arguments).result()
}

/// The body of a chat request carrying one image.
func chatBody(image: String = "data:image/png;base64,iVBORw0KGgo=", stream: Bool) -> String {
  #"{"stream":\#(stream),"max_tokens":4096,"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"\#(image)"}}]}]}"#
}

/// One HTTP chunk as cpp-httplib frames it.
func chunk(_ payload: String) -> String {
  String(payload.utf8.count, radix: 16) + "\r\n" + payload + "\r\n"
}

/// The `content` of every `data:` chunk of a (de-chunked) SSE body, in order.
func sseContents(_ body: String) -> [String] {
  body.components(separatedBy: "\n\n").compactMap { event -> String? in
    guard event.hasPrefix("data: {"),
      let object = try? JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8))
        as? [String: Any],
      let choice = (object["choices"] as? [[String: Any]])?.first,
      let delta = choice["delta"] as? [String: Any]
    else { return nil }
    return delta["content"] as? String
  }
}

/// Splits `curl -i` output into the final header block (after any `100 Continue`) and the body.
func splitHead(_ text: String) -> (head: String, body: String) {
  var rest = text[...]
  while let end = rest.range(of: "\r\n\r\n") {
    let head = rest[..<end.upperBound]
    rest = rest[end.upperBound...]
    if !head.hasPrefix("HTTP/1.1 100") { return (String(head), String(rest)) }
  }
  return (String(rest), "")
}

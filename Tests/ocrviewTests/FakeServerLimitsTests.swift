import Foundation
import Testing

@testable import OCRTestSupport

/// The fake server under the limits a loaded test machine reaches.
@Suite(.timeLimit(.minutes(1))) struct FakeServerLimitsTests {
  /// A process out of descriptors goes on serving once one frees (cpp-httplib sleeps and accepts
  /// again on EMFILE). The fake's accept loop used to end at the first EMFILE and close its
  /// listening socket: every later request of the test was refused.
  @Test func aServerOutOfDescriptorsAnswersOnceOneFrees() async throws {
    let fake = (CLI.binary as NSString).deletingLastPathComponent + "/fake-ocr-server"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "ulimit -n 24 && exec \"$0\" --port 0", fake]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    // Killed outright: a fake stuck without descriptors may never see a SIGTERM, and one left
    // running holds the test run's output open.
    defer { kill(process.processIdentifier, SIGKILL) }
    // `listening on http://127.0.0.1:PORT`
    var banner = Data()
    while !banner.contains(0x0A), let byte = try output.fileHandleForReading.read(upToCount: 1) {
      banner += byte
    }
    let line = String(decoding: banner, as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let port = try #require(line.split(separator: ":").last.flatMap { UInt16($0) })

    // More idle connections than the server has descriptors for: the last ones wait in its
    // backlog, and a request on the last one is not answered while the others stay open.
    var idle = (0..<30).compactMap { _ in Socket.connect(port: port) }
    #expect(idle.count == 30)
    let asking = try #require(Socket.connect(port: port))
    defer { Socket.closeFD(asking) }
    #expect(Socket.sendAll(asking, Array("GET /health HTTP/1.1\r\nHost: fake\r\n\r\n".utf8)))
    #expect(!Socket.waitReadable(asking, milliseconds: 300), "answered with no descriptor free")

    for fd in idle { Socket.closeFD(fd) }
    idle = []
    let answered = await pollUntil(timeout: .seconds(30)) {
      Socket.waitReadable(asking, milliseconds: 0)
    }
    #expect(answered, "the request waited in the backlog after descriptors freed")
    let reply = String(decoding: Socket.receive(asking) ?? [], as: UTF8.self)
    #expect(reply.hasPrefix("HTTP/1.1 200"), "\(reply.prefix(200))")
  }

  /// The suite's process opens hundreds of descriptors at once (fake servers' connections,
  /// children's pipes, documents): a fake server lifts the process's soft limit towards its hard
  /// one.
  @Test func aFakeServerLiftsTheDescriptorLimit() throws {
    _ = try FakeOCRServer { _ in .chatStream(deltas: ["x"]) }
    var limit = rlimit()
    #expect(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
    #expect(limit.rlim_cur >= min(limit.rlim_max, Socket.descriptorTarget))
  }
}

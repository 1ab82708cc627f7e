import Foundation
import OCRTestSupport
import Testing

@Suite struct SeveralServersTests {
  @Test func repeatedServerFlagsMakeOnePoolThatSurvivesADownServer() async throws {
    let up = try FakeOCRServer(slots: 2) { _ in .chatStream(deltas: ["from the live one"]) }
    let flags = try await CLI.run([
      "ocr", CLI.asset("sample.pdf"), "--stats", "--server", "http://127.0.0.1:9", "--server",
      up.baseURL,
    ])
    #expect(flags.status == 0, "\(flags.stderr)")
    #expect(up.requests.count == 3)
    #expect(flags.stderr.contains("2 servers"))
    #expect(flags.stdout.components(separatedBy: "from the live one").count - 1 == 3)
  }

  @Test func aCommaListInTheEnvironmentWorksTheSame() async throws {
    let up = try FakeOCRServer { _ in .chatStream(deltas: ["from b"]) }
    let listed = try await CLI.run(
      ["ocr", CLI.asset("sample-scan.png"), "--engine", "server"],
      environment: ["OCRVIEW_SERVER": "http://127.0.0.1:9,\(up.baseURL)"])
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.contains("from b"))
  }
}

@Suite struct InsecureTests {
  @Test func skippingCertificateChecksIsNeverSilent() async throws {
    let server = try FakeOCRServer { _ in .chatStream(deltas: ["ok"]) }
    let result = try await CLI.run([
      "ocr", CLI.asset("sample-scan.png"), "--insecure", "--server", server.baseURL,
    ])
    #expect(result.status == 0)
    #expect(result.stderr.contains("TLS certificates are NOT verified (--insecure)"))
    let plain = try await CLI.run(["ocr", CLI.asset("sample-scan.png"), "--server", server.baseURL])
    #expect(!plain.stderr.contains("NOT verified"))
  }
}

import OCRTestSupport
import Testing

@Suite struct DoctorTests {
  @Test func reportsTheServerItsModelAndSlotsAndEveryLibrary() async throws {
    let server = try FakeOCRServer(slots: 3) { _ in .chatStream(deltas: ["x"]) }
    let result = try await CLI.run(
      ["doctor", "--server", server.baseURL], environment: ["TERM": "xterm-256color"])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 5)
    #expect(lines[0].hasPrefix("server     \(server.baseURL): up (HTTP 200)"))
    #expect(lines[0].hasSuffix("3 slots"))
    #expect(lines[1].contains("languages: ") && lines[1].contains("eng"))
    for library in ["libcurl", "poppler", "cairo", "tesseract", "leptonica", "ncurses"] {
      #expect(lines[2].contains(library))
    }
    #expect(lines[3].contains("TERM=xterm-256color, 256 colours"))
  }

  @Test func saysWhatToDoWhenNoServerAnswers() async throws {
    let result = try await CLI.run(["doctor", "--server", "http://127.0.0.1:9"])
    #expect(
      result.stdout.hasPrefix("server     http://127.0.0.1:9: no answer — start llama-server"))
  }
}

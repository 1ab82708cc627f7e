import Foundation
import Testing

@testable import OCRKit

@Suite struct PageRangeTests {
  @Test func parsesListsAndOpenRanges() throws {
    #expect(try PageRange.parse("1-3,7", pageCount: 10) == [1, 2, 3, 7])
    #expect(try PageRange.parse("8-", pageCount: 10) == [8, 9, 10])
    #expect(try PageRange.parse("-2", pageCount: 10) == [1, 2])
    #expect(try PageRange.parse("3, 1-2, 2", pageCount: 10) == [1, 2, 3])
  }

  @Test func rejectsNonsenseAndPagesPastTheEnd() {
    #expect(throws: DocumentError.invalidPageRange("a")) { try PageRange.parse("a", pageCount: 3) }
    #expect(throws: DocumentError.invalidPageRange("3-1")) {
      try PageRange.parse("3-1", pageCount: 3)
    }
    #expect(throws: DocumentError.invalidPageRange("0")) { try PageRange.parse("0", pageCount: 3) }
    #expect(throws: DocumentError.invalidPageRange("1,,2")) {
      try PageRange.parse("1,,2", pageCount: 3)
    }
    #expect(throws: DocumentError.pageOutOfRange(page: 5, pageCount: 3)) {
      try PageRange.parse("2-5", pageCount: 3)
    }
    #expect(throws: DocumentError.pageOutOfRange(page: 5, pageCount: 3)) {
      try PageRange.parse("5-", pageCount: 3)
    }
  }

  @Test func pageNumbersReadAsRanges() {
    #expect(PageRange.text([3, 4, 5, 19]) == "3–5, 19")
    #expect(PageRange.text([1, 2, 3, 7, 9, 10]) == "1–3, 7, 9–10")
    #expect(PageRange.text([4]) == "4")
    #expect(PageRange.text([]) == "")
  }
}

@Suite struct DocumentKindTests {
  @Test func recognisesFormatsByContent() {
    #expect(DocumentKind.sniff(Array("%PDF-1.7\n".utf8)) == .pdf)
    #expect(DocumentKind.sniff(Array("garbage\n%PDF-1.4".utf8)) == .pdf)
    #expect(DocumentKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
    #expect(DocumentKind.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
    #expect(DocumentKind.sniff([0x49, 0x49, 0x2A, 0x00, 8]) == .tiff)
    #expect(DocumentKind.sniff(Array("GIF89a..".utf8)) == .gif)
    #expect(DocumentKind.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
    #expect(DocumentKind.sniff(Array("P6\n10 10\n255\n".utf8)) == .pnm)
  }

  @Test func rejectsOtherFiles() {
    #expect(DocumentKind.sniff(Array("// swift-tools-version".utf8)) == nil)
    #expect(DocumentKind.sniff([]) == nil)
    #expect(DocumentKind.sniff(Array("PK\u{3}\u{4}".utf8)) == nil)
  }
}

@Suite struct ServerEndpointTests {
  @Test func normalisesWhatUsersType() {
    #expect(ServerEndpoint("localhost:8080")?.baseURL == "http://localhost:8080")
    #expect(ServerEndpoint("http://10.0.0.2:8000/v1/")?.baseURL == "http://10.0.0.2:8000")
    #expect(
      ServerEndpoint("https://ocr.example/api")?.chatCompletionsURL
        == "https://ocr.example/api/v1/chat/completions")
    #expect(ServerEndpoint("") == nil)
    #expect(ServerEndpoint("ftp://x") == nil)
    #expect(ServerEndpoint("http://[::1]:8080")?.baseURL == "http://[::1]:8080")
    #expect(ServerEndpoint("http://user:pw@host:8080")?.baseURL == "http://***@host:8080")
  }

  @Test func aPortOutOfRangeOrNoHostIsNamed() {
    #expect(
      ServerEndpoint.problem(with: "http://host:99999")
        == "its port \"99999\" is not a number from 1 to 65535")
    #expect(
      ServerEndpoint.problem(with: "host:0") == "its port \"0\" is not a number from 1 to 65535")
    #expect(ServerEndpoint.problem(with: "http://host:") != nil)
    #expect(ServerEndpoint.problem(with: "http://:8080") == "it names no host")
    #expect(ServerEndpoint.problem(with: "http://user@:8080/v1") == "it names no host")
    #expect(ServerEndpoint.problem(with: "ftp://x") == "it must be an http:// or https:// URL")
    #expect(ServerEndpoint.problem(with: "http://host:65535/api") == nil)
    #expect(ServerEndpoint("http://host:99999") == nil)
  }
}

@Suite struct ChatRequestTests {
  @Test func bodyCarriesTheImageAsADataURLAndTheSettings() throws {
    let image = PageImage(number: 1, bytes: [1, 2, 3], mimeType: "image/png", width: 1, height: 1)
    let body = ChatRequest.body(
      for: image, mode: .stream,
      settings: GenerationSettings(model: "m", maxTokens: 99, prompt: "read"))
    let text = String(decoding: body, as: UTF8.self)
    #expect(text.contains(#""url":"data:image/png;base64,AQID""#))
    #expect(text.contains(#""stream":true"#))
    #expect(text.contains(#""max_tokens":99"#))
    #expect(text.contains(#""model":"m""#))
    #expect(
      text.contains(#""type":"text","text":"read""#)
        || text.contains(#""text":"read","type":"text""#))
    let batch = String(
      decoding: ChatRequest.body(for: image, mode: .batch, settings: GenerationSettings()),
      as: UTF8.self)
    #expect(batch.contains(#""stream":false"#))
    #expect(!batch.contains("model"))
    #expect(!batch.contains("stream_options"))
  }

  /// The image's data URL is spliced into the encoded body as bytes: the body must still be
  /// JSON whose URL decodes to the image, byte for byte, with the other parts intact.
  @Test func aSplicedImageURLDecodesToTheImage() throws {
    let bytes = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
    let image = PageImage(number: 1, bytes: bytes, mimeType: "image/png", width: 1, height: 1)
    let body = ChatRequest.body(
      for: image, mode: .batch,
      settings: GenerationSettings(model: "m\"/", prompt: "a \"quoted\" prompt\n"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    #expect(json["model"] as? String == "m\"/")
    let message = try #require((json["messages"] as? [[String: Any]])?.first)
    let parts = try #require(message["content"] as? [[String: Any]])
    let url = try #require((parts[0]["image_url"] as? [String: Any])?["url"] as? String)
    let prefix = "data:image/png;base64,"
    #expect(url.hasPrefix(prefix))
    #expect(Data(base64Encoded: String(url.dropFirst(prefix.count))) == Data(bytes))
    #expect(parts[1]["text"] as? String == "a \"quoted\" prompt\n")
  }
}

@Suite struct PageTimerTests {
  let start = ContinuousClock.now
  let image = PageImage(number: 1, bytes: [0], mimeType: "image/png", width: 1, height: 1)

  @Test func streamTTFTIsTheFirstDeltaAndITLTheMeanGap() {
    var timer = PageTimer(mode: .stream, sentAt: start)
    timer.recordDelta(at: start + .milliseconds(400))
    timer.recordDelta(at: start + .milliseconds(500))
    timer.recordDelta(at: start + .milliseconds(800))
    let stats = timer.stats(endedAt: start + .seconds(1), info: nil, image: image)
    #expect(stats.ttft == .milliseconds(400))
    #expect(stats.e2e == .seconds(1))
    #expect(stats.itl == .milliseconds(200))
    #expect(stats.outputTokens == 3)
    #expect(stats.outputTokensSource == .deltas)
    #expect(stats.outputTokensPerSecond == 3)
  }

  @Test func batchTTFTEqualsE2EAndServerCountsWin() {
    var timer = PageTimer(mode: .batch, sentAt: start)
    timer.recordDelta(at: start + .milliseconds(1999))
    var info = CompletionInfo()
    info.timings = ServerTimings(predictedN: 40)
    let stats = timer.stats(endedAt: start + .seconds(2), info: info, image: image)
    #expect(stats.ttft == stats.e2e)
    #expect(stats.itl == nil)
    #expect(stats.outputTokens == 40)
    #expect(stats.outputTokensSource == .timings)
  }
}

@Suite struct ConfigFileTests {
  @Test func parsesNameValueLinesSkippingCommentsAndQuotes() {
    let config = ConfigFile(
      parsing: "# comment\n\napi_key = \"sk-1\"\n  other=plain value \nbroken line\nq='x'\n")
    #expect(config.values == ["api_key": "sk-1", "other": "plain value", "q": "x"])
    let commented = ConfigFile(parsing: "api_key = \"sk-2\" # work key\nplain = v # note\n")
    #expect(commented.values == ["api_key": "sk-2", "plain": "v"])
  }

  @Test func theKeyComesFromTheEnvironmentFirstAndOnlyFromAPrivateFile() throws {
    let home = TestFiles.scratchDirectory()
    try FileManager.default.createDirectory(
      atPath: home + "/ocrview", withIntermediateDirectories: true)
    let path = home + "/ocrview/config"
    try "api_key = from-file\n".write(toFile: path, atomically: false, encoding: .utf8)
    chmod(path, 0o600)
    #expect(try ConfigFile.apiKey(environment: ["XDG_CONFIG_HOME": home]) == "from-file")
    #expect(
      try ConfigFile.apiKey(environment: ["XDG_CONFIG_HOME": home, "OCRVIEW_API_KEY": "env"])
        == "env")
    chmod(path, 0o640)
    #expect(throws: ConfigError.tooOpen(path: path, mode: 0o640)) {
      try ConfigFile.apiKey(environment: ["XDG_CONFIG_HOME": home])
    }
    #expect(try ConfigFile.apiKey(environment: ["XDG_CONFIG_HOME": home + "/none"]) == nil)
  }

  @Test func aConfigPathThatIsADirectoryOrASymlinkSaysSo() throws {
    let home = TestFiles.scratchDirectory()
    let path = home + "/ocrview/config"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    #expect(throws: ConfigError.notAFile(path: path, kind: "a directory")) {
      try ConfigFile.apiKey(environment: ["XDG_CONFIG_HOME": home])
    }
    try FileManager.default.removeItem(atPath: path)
    let real = home + "/real-config"
    try "api_key = k\n".write(toFile: real, atomically: false, encoding: .utf8)
    chmod(real, 0o600)
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: real)
    #expect(throws: ConfigError.notAFile(path: path, kind: "a symlink")) {
      try ConfigFile.apiKey(environment: ["XDG_CONFIG_HOME": home])
    }
    #expect(
      ConfigError.notAFile(path: path, kind: "a symlink").description
        == "the config file \(path) is a symlink — make it a plain file (chmod 600), or remove it")
  }

  @Test func a401HintsAtTheAPIKey() {
    #expect(
      ServerError.http(status: 401, message: "no details").description
        == "the server answered HTTP 401: no details — it wants an API key: set OCRVIEW_API_KEY "
        + "(or api_key in ~/.config/ocrview/config)")
  }
}

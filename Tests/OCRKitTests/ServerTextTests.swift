import Foundation
import Testing

@testable import OCRKit

/// What a server sent, made safe before anyone sees it: no terminal controls, no secrets.
@Suite struct ServerTextTests {
  @Test func aMessageBecomesOnePrintableLine() {
    let hostile = "line one\r\nline two\t\u{1B}]0;pwned\u{07}\u{1B}[2J\rend\u{9B}31m\u{7F}\u{0}"
    #expect(
      ServerText.oneLine(hostile)
        == #"line one line two \x1b]0;pwned\x07\x1b[2J end\x9b31m\x7f\x00"#)
    #expect(ServerText.oneLine("\n  padded\n") == "  padded")
    #expect(ServerText.oneLine("한국어 ✓") == "한국어 ✓")
  }

  @Test func pageTextForATerminalKeepsLinesAndTabsOnly() {
    #expect(
      ServerText.forTerminal("a\tb\r\nc\u{1B}[2Jd\u{07}\u{9B}e\u{0C}f")
        == "a\tb\nc[2Jd" + "e\u{0C}f")
    let plain = "# 제목\n\n| a | b |\n"
    #expect(ServerText.forTerminal(plain) == plain)
  }

  @Test func theKeyAndURLCredentialsAreRedactedInEveryForm() {
    let secrets = Secrets(apiKey: "sk-live-123456", url: "http://alice:s3cr%40t@example.com:8080")
    let basic = Data("alice:s3cr@t".utf8).base64EncodedString()
    let message =
      "401: got 'Authorization: Bearer sk-live-123456' / Basic \(basic) for "
      + "http://alice:s3cr%40t@example.com:8080/v1 (password s3cr@t)"
    #expect(
      secrets.redact(message)
        == "401: got 'Authorization: Bearer ***' / Basic *** for http://***@example.com:8080/v1 "
        + "(password ***)")
    // Any URL's credentials, even ones this run does not use.
    #expect(
      Secrets.none.redact("see https://bob:pw@host/x and mailto:a@b")
        == "see https://***@host/x and mailto:a@b")
    #expect(Secrets(apiKey: nil, url: "http://host:8080").redact("a@b c") == "a@b c")
  }

  @Test func anEndpointWithCredentialsShowsThemRedactedButSendsThem() throws {
    let endpoint = try #require(ServerEndpoint("https://user:pa55word@gpu.example:8443/v1/"))
    #expect(endpoint.baseURL == "https://***@gpu.example:8443")
    #expect(endpoint.description == endpoint.baseURL)
    #expect(
      endpoint.chatCompletionsURL == "https://user:pa55word@gpu.example:8443/v1/chat/completions")
    #expect(endpoint.isTLS)
  }

  @Test func anAPIKeyWithALineBreakIsRefused() throws {
    for key in ["sk-abc\r\nX-Injected: 1", "sk-abc\n", "sk\u{0}abc"] {
      #expect(throws: ConfigError.keyHasControlCharacters(source: "OCRVIEW_API_KEY")) {
        try ConfigFile.apiKey(environment: ["OCRVIEW_API_KEY": key, "HOME": "/nonexistent"])
      }
    }
    #expect(
      ConfigError.keyHasControlCharacters(source: "OCRVIEW_API_KEY").description.contains(
        "line break"))
    #expect(
      try ConfigFile.apiKey(environment: ["OCRVIEW_API_KEY": "sk-fine", "HOME": "/nonexistent"])
        == "sk-fine")
  }

  @Test func aLoneSurrogateIsRepairedOnlyWhenNeeded() {
    #expect(LenientJSON.replacingLoneSurrogates(Array(#"{"a":"\ud83d\ude00"}"#.utf8)) == nil)
    #expect(
      LenientJSON.replacingLoneSurrogates(Array(#"{"a":"\ud800\ud83d\ude00\udfff"}"#.utf8))
        == Array(#"{"a":"\uFFFD\ud83d\ude00\uFFFD"}"#.utf8))
    #expect(LenientJSON.replacingLoneSurrogates(Array(#"{"a":"\\ud800"}"#.utf8)) == nil)
  }

  @Test func theMalformedEventsOfAPageAreOneWarning() {
    var stats = PageStats.unmeasured(.stream)
    #expect(stats.warning == nil)
    stats.malformedChunks = 3
    #expect(stats.warning?.hasPrefix("3 malformed events skipped") == true)
    stats.finishReason = "length"
    #expect(stats.warning?.contains("token limit") == true)
    #expect(stats.warning?.contains("3 malformed events skipped") == true)
    #expect(StatsRecord(stats).malformedEvents == 3)
  }
}

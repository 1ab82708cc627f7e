import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// A server that writes the API key where the client shows it — a long error body cut for
/// display, `finish_reason`, the page text split over deltas, a model id — never gets any of
/// the key, or all of it but its last characters, onto a terminal or into a file.
extension ChatCompletionsEngineTests {
  static let key = "sk-live-0123456789abcdef"

  /// True when `text` shows `key` or any start of it four characters or longer.
  static func showsKey(_ text: String) -> Bool {
    (4...key.count).contains { text.contains(key.prefix($0)) }
  }

  @Test(arguments: [100, 110, 115, 118, 119, 120, 121])
  func aKeyAcrossTheCutOfANonJSONErrorBodyIsNotShown(offset: Int) async throws {
    let body =
      String(repeating: "x", count: offset) + " Bearer \(Self.key) "
      + String(repeating: "y", count: 200)
    let server = try FakeOCRServer { _ in
      .raw(status: 401, contentType: "text/plain", body: Array(body.utf8))
    }
    let (_, result) = await read(engine(server, apiKey: Self.key))
    guard case .failure(.server(.http(401, let message))) = result else {
      Issue.record("expected a 401, got \(result)")
      return
    }
    #expect(!Self.showsKey(message), "\(message)")
    #expect(message.hasPrefix(String(repeating: "x", count: 50)))
    #expect(message.hasSuffix("…"))
  }

  @Test func aKeyInANonJSONBatchBodyIsNotShownEvenAcrossTheCut() async throws {
    let body = String(repeating: "<", count: 1) + String(repeating: "z", count: 110) + Self.key
    let server = try FakeOCRServer { _ in
      .raw(status: 200, contentType: "text/plain", body: Array(body.utf8))
    }
    let (_, result) = await read(engine(server, apiKey: Self.key), mode: .batch)
    guard case .failure(.server(.invalidResponse(let detail))) = result else {
      Issue.record("expected an invalid response, got \(result)")
      return
    }
    #expect(!Self.showsKey(detail), "\(detail)")
  }

  @Test func aKeyAsFinishReasonIsRedacted() async throws {
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("text"), .finish(Self.key), .done])
    }
    let (_, result) = await read(engine(server, apiKey: Self.key))
    #expect(try result.get().finishReason == "***")
  }

  @Test func aKeyInThePageTextSplitOverDeltasIsRedactedAndNothingElseIsHeldBack() async throws {
    let server = try FakeOCRServer { _ in
      .stream([
        .role, .delta("the key is sk-li"), .delta("ve-0123"), .delta("456789abcdef, "),
        .delta("see"), .finish("stop"), .done,
      ])
    }
    let (deltas, result) = await read(engine(server, apiKey: Self.key))
    _ = try result.get()
    #expect(deltas == ["the key is ", "***, ", "see"])
  }

  @Test func aKeyInABatchPageTextIsRedacted() async throws {
    let server = try FakeOCRServer { _ in .chatBatch(text: "key: \(Self.key).") }
    let (deltas, _) = await read(engine(server, apiKey: Self.key), mode: .batch)
    #expect(deltas.joined() == "key: ***.")
  }

  @Test func aPageCutByTheTokenLimitInsideTheKeyEndsMasked() async throws {
    let server = try FakeOCRServer { _ in
      .stream([.role, .delta("the key is "), .delta("sk-live-0123456789abcde"), .finish("length")])
    }
    let (deltas, _) = await read(engine(server, apiKey: Self.key))
    #expect(deltas.joined() == "the key is ***")
  }

  @Test func aModelIDEchoingTheAuthorizationHeaderIsRedacted() async throws {
    var model = FakeModel()
    model.echoesAuthorization = true
    let server = try FakeOCRServer(model: model) { _ in .chatStream(deltas: ["x"]) }
    let probe = ServerProbe(
      endpoint: try #require(ServerEndpoint(server.baseURL)), transport: Self.transport,
      apiKey: Self.key)
    let facts = await probe.facts(timeout: .seconds(10))
    #expect(facts.modelIDs.first == "Bearer ***")
    #expect(!facts.modelIDs.contains(where: Self.showsKey))
  }
}

/// The stream filter, split at every place: the joined output is the text with the key
/// replaced, and only a start of the key is ever held back.
@Suite struct RedactingStreamTests {
  /// A key whose start repeats inside it: `abcabcabd` holds it from its fourth character.
  let secrets = Secrets(apiKey: "abcabd", url: nil)

  @Test func everySplitOfTheTextGivesTheSameRedactedText() {
    let text = "x abcabcabd y abc abcabd"
    let expected = "x abc*** y abc ***"
    let characters = Array(text)
    for first in 0...characters.count {
      for second in first...characters.count {
        var stream = RedactingStream(secrets: secrets)
        let parts = [characters[..<first], characters[first..<second], characters[second...]]
        var out = ""
        for part in parts {
          out += stream.feed(String(part))
          #expect(stream.held.isEmpty || "abcabd".hasPrefix(stream.held))
        }
        out += stream.finish(cut: false)
        #expect(out == expected, "split at \(first), \(second)")
      }
    }
  }

  @Test func textThatCannotStartTheKeyIsPassedOnAtOnce() {
    var stream = RedactingStream(secrets: Secrets(apiKey: "sk-abcabd", url: nil))
    #expect(stream.feed("hello s") == "hello ")
    #expect(stream.feed("x") == "sx")
    #expect(stream.feed("sk-a") == "")
    #expect(stream.finish(cut: true) == "***")
  }

  @Test func withoutSecretsNothingIsHeld() {
    var stream = RedactingStream(secrets: .none)
    #expect(stream.feed("sk-abc") == "sk-abc")
  }

  @Test func anExcerptIsRedactedBeforeItIsCutAndAStartOfTheKeyAtTheCutIsMasked() {
    let key = "sk-abcdefghij"
    let secrets = Secrets(apiKey: key, url: nil)
    #expect(secrets.redactedExcerpt("0123456789" + key, limit: 16) == "0123456789***")
    #expect(secrets.redactedExcerpt("0123456789sk-abcdefghi", limit: 16) == "0123456789***…")
    #expect(secrets.redactedExcerpt("0123 sk-abc", limit: 20, truncated: true) == "0123 ***…")
    #expect(Secrets.none.redactedExcerpt("0123456789", limit: 4) == "0123…")
  }
}

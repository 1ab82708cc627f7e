import Foundation

/// One line of a batch engine's output, judged: `{"id", "custom_id", "response":
/// {"status_code", "request_id", "body"}, "error"}` (vLLM's `BatchRequestOutput`, OpenAI's
/// Batch API). Pure: the same line always gives the same verdict.
public enum BatchResult: Sendable, Equatable {
  /// The page's text and how the answer ended, as a live read that finished cleanly.
  case page(BatchID, text: String, info: CompletionInfo)
  /// The page was not read well: left for a live run, with why.
  case failed(BatchID, reason: String)
  /// Not a result line ocrview can use (not JSON, no ocrview `custom_id`).
  case unreadable(reason: String)

  public static func judge(_ line: [UInt8], loopGuard: Bool = true) -> BatchResult {
    // The common line decodes in one pass; anything else (a body of another shape, lone
    // surrogates) takes the general path, which gives the same verdicts.
    if let typed = LenientJSON.decode(Line.self, from: line), let customID = typed.customID,
      typed.response?.body != nil || typed.error != nil
    {
      guard let id = BatchID(parsing: customID) else {
        return .unreadable(reason: "custom_id \(ServerText.oneLine(customID)) is not ocrview's")
      }
      if let error = typed.error { return .failed(id, reason: "error: " + error.message) }
      let status = typed.response?.statusCode ?? 200
      if status == 200, let body = typed.response?.body {
        var parser = ChatStreamParser()
        return judge(
          id, { () throws(ServerError) in (try parser.parseBatch(body), parser.info) }, loopGuard)
      }
    }
    return judgeAny(line, loopGuard: loopGuard)
  }

  /// A result line as vLLM writes it, when its body is a `chat.completion`.
  private struct Line: Decodable {
    struct Response: Decodable {
      var statusCode: Int?
      var body: ChatCompletion?
      enum CodingKeys: String, CodingKey {
        case statusCode = "status_code"
        case body
      }
    }
    /// `error`: a string (vLLM's own failures) or an object (an `ErrorResponse`).
    struct Failure: Decodable {
      var message: String
      init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
          message = ServerText.oneLine(text)
        } else if let object = try? container.decode(Object.self) {
          message = ServerText.oneLine(object.error?.message ?? object.message ?? "unknown error")
        } else {
          message = "unknown error"
        }
      }
      struct Object: Decodable {
        var message: String?
        var error: ErrorBody?
      }
    }
    var customID: String?
    var response: Response?
    var error: Failure?
    enum CodingKeys: String, CodingKey {
      case customID = "custom_id"
      case response, error
    }
  }

  /// Any line: read as loose JSON.
  static func judgeAny(_ line: [UInt8], loopGuard: Bool) -> BatchResult {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line)),
      let root = object as? [String: Any]
    else { return .unreadable(reason: "not JSON") }
    guard let customID = root["custom_id"] as? String else {
      return .unreadable(reason: "no custom_id")
    }
    guard let id = BatchID(parsing: customID) else {
      return .unreadable(reason: "custom_id \(ServerText.oneLine(customID)) is not ocrview's")
    }
    if let error = root["error"], !(error is NSNull) {
      return .failed(id, reason: "error: " + message(of: error))
    }
    guard let response = root["response"] as? [String: Any] else {
      return .failed(id, reason: "no response")
    }
    let status = (response["status_code"] as? Int) ?? 200
    guard status == 200 else {
      let detail = response["body"].map(message(of:)).map { ": " + $0 } ?? ""
      return .failed(id, reason: "HTTP \(status)\(detail)")
    }
    guard let body = response["body"], !(body is NSNull),
      let bytes = try? JSONSerialization.data(withJSONObject: body)
    else { return .failed(id, reason: "the response has no body") }
    var parser = ChatStreamParser()
    return judge(
      id, { () throws(ServerError) in (try parser.parseBatch(Array(bytes)), parser.info) },
      loopGuard)
  }

  /// The verdict on a body read by `parse` (whose parser's `info` then holds the rest).
  private static func judge(
    _ id: BatchID, _ parse: () throws(ServerError) -> (String, CompletionInfo), _ loopGuard: Bool
  ) -> BatchResult {
    let text: String
    let info: CompletionInfo
    do throws(ServerError) {
      (text, info) = try parse()
    } catch {
      return .failed(id, reason: error.description)
    }
    if info.finishReason == .length {
      return .failed(id, reason: "cut at max_tokens (finish_reason length)")
    }
    if loopGuard, LoopGuard().loopStart(in: text) != nil {
      return .failed(id, reason: "the text ends in a repetition loop")
    }
    if text.allSatisfy(\.isWhitespace) { return .failed(id, reason: "no text") }
    return .page(id, text: text, info: info)
  }

  /// An error object's or string's message, as one line.
  static func message(of value: Any) -> String {
    if let text = value as? String { return ServerText.oneLine(text) }
    if let object = value as? [String: Any] {
      if let inner = object["error"] { return message(of: inner) }
      if let text = object["message"] as? String { return ServerText.oneLine(text) }
    }
    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
    return ServerText.oneLine(String(decoding: data ?? Data(), as: UTF8.self))
  }
}

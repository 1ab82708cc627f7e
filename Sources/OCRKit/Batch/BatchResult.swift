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
    let text: String
    do throws(ServerError) {
      text = try parser.parseBatch(Array(bytes))
    } catch {
      return .failed(id, reason: error.description)
    }
    let info = parser.info
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

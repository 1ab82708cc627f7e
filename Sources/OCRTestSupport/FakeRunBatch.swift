import Foundation

/// A stand-in for `vllm run-batch -i IN -o OUT`: reads OpenAI batch request lines and answers
/// each through a fake responder (the same model the fake server answers with), writing
/// `BatchRequestOutput` lines as vLLM does (`vllm/entrypoints/openai/run_batch.py`): `{"id",
/// "custom_id", "response": {"status_code", "request_id", "body"}, "error"}`.
///
/// Requests are answered in input order — what a one-slot server sees from a live run — so the
/// k-th distinct image gets the same page of a transcript as live. Then, to test what real
/// batch engines and hosted APIs do, the output may be shuffled and some lines turned into
/// failures, seeded so a test draws the same ones every run.
public enum FakeRunBatch {
  /// A failed line, in the shapes a batch engine gives.
  public enum Failure: CaseIterable, Sendable {
    /// vLLM's `make_error_request_output`: status 400, no body, `error` a string.
    case errorString
    /// vLLM's `ErrorResponse`: status 500, no body, `error` an object.
    case errorObject
    /// A complete answer cut at `max_tokens`: status 200, `finish_reason: "length"`.
    case length
    /// A complete answer whose text ends in a repetition loop.
    case loop
  }

  /// What a run did: its output lines, and which `custom_id`s were made to fail, how.
  public struct Run: Sendable {
    public var output: [UInt8]
    public var failed: [String: Failure]
  }

  /// - Parameters:
  ///   - failures: how many lines fail (at seeded positions, kinds in `Failure` order).
  ///   - shuffle: shuffle the output lines (hosted APIs return them in any order).
  public static func run(
    input: [UInt8], responder: @Sendable (FakeRequest) -> FakeResponse, failures: Int = 0,
    shuffle: Bool = false, seed: UInt64 = 1
  ) -> Run {
    var random = SplitMix64(seed: seed)
    var lines: [(customID: String, body: [UInt8])] = []
    for (index, line) in input.split(separator: 0x0A).enumerated() {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
        let customID = object["custom_id"] as? String, let body = object["body"],
        let bodyBytes = try? JSONSerialization.data(withJSONObject: body)
      else { continue }
      let request = FakeRequest(
        method: "POST", target: "/v1/chat/completions", headers: [:], body: Array(bodyBytes),
        index: index, connection: 0, receivedAt: .now)
      lines.append((customID, answerBody(responder(request))))
    }
    var failing: [Int: Failure] = [:]
    let count = min(max(failures, 0), lines.count)
    while failing.count < count {
      let at = random.below(lines.count)
      if failing[at] == nil {
        failing[at] = Failure.allCases[failing.count % Failure.allCases.count]
      }
    }
    var order = Array(lines.indices)
    if shuffle {
      for i in stride(from: order.count - 1, to: 0, by: -1) {
        order.swapAt(i, random.below(i + 1))
      }
    }
    var output: [UInt8] = []
    var failed: [String: Failure] = [:]
    for index in order {
      let (customID, body) = lines[index]
      if let failure = failing[index] { failed[customID] = failure }
      output += outputLine(index: index, customID: customID, body: body, failure: failing[index])
    }
    return Run(output: output, failed: failed)
  }

  /// The bytes a scripted response sends as its body.
  static func answerBody(_ response: FakeResponse) -> [UInt8] {
    response.steps.reduce(into: []) { bytes, step in
      if case .send(let chunk) = step { bytes += chunk }
    }
  }

  static func outputLine(index: Int, customID: String, body: [UInt8], failure: Failure?)
    -> [UInt8]
  {
    let quoted = String(
      decoding: (try? JSONSerialization.data(withJSONObject: customID, options: .fragmentsAllowed))
        ?? Data(), as: UTF8.self)
    let head = #"{"id":"vllm-fake-\#(index)","custom_id":\#(quoted),"response":"#
    var answer = body
    switch failure {
    case .errorString:
      return Array(
        (head
          + #"{"status_code":400,"request_id":"vllm-batch-\#(index)","body":null},"error":"Failed to load image"}"#
          + "\n").utf8)
    case .errorObject:
      return Array(
        (head
          + #"{"status_code":500,"request_id":"vllm-batch-\#(index)","body":null},"error":{"error":{"message":"CUDA out of memory","type":"InternalServerError","param":null,"code":500}}}"#
          + "\n").utf8)
    case .length: answer = edited(body) { choice in choice["finish_reason"] = "length" }
    case .loop:
      answer = edited(body) { choice in
        var message = choice["message"] as? [String: Any] ?? [:]
        message["content"] =
          "A page that loops.\n" + String(repeating: "the same line again\n", count: 80)
        choice["message"] = message
      }
    case nil: break
    }
    return Array((head + #"{"status_code":200,"request_id":"vllm-batch-\#(index)","body":"#).utf8)
      + answer + Array(#"},"error":null}"#.utf8) + [0x0A]
  }

  /// The body with its first choice changed.
  static func edited(_ body: [UInt8], _ change: (inout [String: Any]) -> Void) -> [UInt8] {
    guard var root = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
      var choices = root["choices"] as? [[String: Any]], !choices.isEmpty
    else { return body }
    change(&choices[0])
    root["choices"] = choices
    return Array((try? JSONSerialization.data(withJSONObject: root)) ?? Data(body))
  }
}

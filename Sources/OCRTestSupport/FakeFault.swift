/// Ways a small OCR model is known to fail a page, injected into the page's true text: for the
/// rescue and verdict benchmarks, through `FakeResponder.transcript(faults:)` and the fake
/// server's `--fault`.
public enum FakeFault: String, Sendable, CaseIterable {
  /// A repetition loop: the text up to its middle line, then that line for ever.
  case loop
  /// Cut at the token limit: the first 60 % of the text, then `finish_reason: length`.
  case cut

  /// The stream the model sends for `text` with this fault, `wordsPerDelta` words a delta.
  public func response(
    for text: String, wordsPerDelta: Int = 2, logprobs: FakeLogprobs? = nil
  ) -> FakeResponse {
    switch self {
    case .loop:
      // The middle line with words (a blank line repeated is layout, not a loop).
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let middle = lines.indices.dropFirst(lines.count / 2).first { !lines[$0].isEmpty } ?? 0
      let head = lines.prefix(middle + 1).joined(separator: "\n") + "\n"
      let unit = String(lines.isEmpty ? "" : lines[middle]) + "\n"
      return .chatStream(
        deltas: FakeResponse.tokens(of: head, wordsPerDelta: wordsPerDelta)
          + Array(repeating: unit, count: max(40, 2048 / max(unit.utf8.count, 1))),
        logprobs: logprobs)
    case .cut:
      let cut = String(text.prefix(text.count * 6 / 10))
      return .chatStream(
        deltas: FakeResponse.tokens(of: cut, wordsPerDelta: wordsPerDelta), finishReason: "length",
        logprobs: logprobs)
    }
  }
}

import Foundation

/// Ready-made responders.
public enum FakeResponder {
  /// Answers each chat request with a page's text: the k-th distinct image (by content hash of
  /// its data URL) gets `pages[k % pages.count]`; the same image again gets the same text.
  /// Stream requests get the text in deltas of `wordsPerDelta` words (`FakeResponse.tokens`),
  /// the first after `firstTokenDelay`, the rest `between` apart, with usage reported as the
  /// current llama-server does (a usage chunk only if the request asks for
  /// `stream_options.include_usage`); the stop chunk comes `between` after the last delta.
  /// Batch requests get one JSON body after the time the stream would have taken.
  ///
  /// A request asking for `logprobs` gets each delta's (`logprobs`, llama-server's shape).
  /// `faults`: read k of a page (the same image sent again) streams with `faults[k - 1]`, and
  /// as written after them.
  public static func transcript(
    _ pages: [String], wordsPerDelta: Int = 1, firstTokenDelay: Duration = .zero,
    between: Duration = .zero, logprobs: FakeLogprobs = .confident, faults: [FakeFault] = []
  ) -> @Sendable (FakeRequest) -> FakeResponse {
    let pages = pages.isEmpty ? [""] : pages
    let assigned = Locked([UInt64: (page: Int, reads: Int)]())
    return { request in
      let key = fnv1a(request.imageDataURL.map { Array($0.utf8) } ?? request.body)
      let (page, read) = assigned.withLock { seen in
        let page = seen[key]?.page ?? seen.count % pages.count
        let read = (seen[key]?.reads ?? 0) + 1
        seen[key] = (page, read)
        return (page, read)
      }
      let text = pages[page]
      if read <= faults.count {
        return faults[read - 1].response(
          for: text, wordsPerDelta: wordsPerDelta,
          logprobs: request.wantsLogprobs ? logprobs : nil)
      }
      let deltas = FakeResponse.tokens(of: text, wordsPerDelta: wordsPerDelta)
      if request.isStream {
        return .chatStream(
          deltas: deltas, firstByteDelay: firstTokenDelay, between: between,
          usage: request.includeUsage ? .separateChunk : .none,
          logprobs: request.wantsLogprobs ? logprobs : nil)
      }
      // The stream's time: its last gap is before the stop chunk, as llama-server decodes one
      // more token (end of generation) after the last piece of text.
      let total = firstTokenDelay + between * deltas.count
      return .chatBatch(
        text: text, delay: total, logprobs: request.wantsLogprobs ? logprobs : nil)
    }
  }

  /// Splits a Markdown transcript into page texts at separator lines `<!-- page N -->`.
  /// Leading and trailing blank lines of each page are dropped; text before the first
  /// separator counts as a page only if it is not blank; no separator at all: one page.
  public static func pages(fromTranscript transcript: String) -> [String] {
    var pages: [[Substring]] = [[]]
    var sawSeparator = false
    for line in transcript.split(separator: "\n", omittingEmptySubsequences: false) {
      if isPageSeparator(line) {
        if !sawSeparator && pages[0].allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
          pages.removeAll()
        }
        sawSeparator = true
        pages.append([])
      } else {
        pages[pages.count - 1].append(line)
      }
    }
    return pages.map { lines in
      var lines = lines[...]
      while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
      while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
      return lines.joined(separator: "\n")
    }
  }

  static func isPageSeparator(_ line: Substring) -> Bool {
    let t = line.trimmingCharacters(in: .whitespaces)
    guard t.hasPrefix("<!--"), t.hasSuffix("-->") else { return false }
    let inner = t.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
    let words = inner.split(separator: " ")
    return words.count == 2 && words[0] == "page" && Int(words[1]) != nil
  }

  /// 64-bit FNV-1a: a content hash that needs no crypto library.
  static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}

import Foundation
import OCRKit

/// libFuzzer entry point: the input is the body of a streamed chat response.
///
/// Network reads split a stream anywhere, so the same bytes are fed whole, cut at up to three
/// points derived from the input, and one byte at a time; every split must give the same
/// events, and the parser the same deltas, end state and error. The bytes are also parsed as a
/// batch body. Any difference or trap aborts the run (libFuzzer saves the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSE(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // As cut offsets, so reads are slices of `bytes`: no allocation per read.
  let splits = [[], cuts(bytes), Array(1..<max(bytes.count, 1))]

  let events = splits.map { decode(reads(bytes, cutAt: $0)) }
  for other in events.dropFirst() where other != events[0] {
    fail("SSEDecoder events depend on the split: \(events[0]) vs \(other)")
  }
  // Data lines never contain a line end, and only LF joins them.
  if events[0].contains(where: { $0.utf8.contains(UInt8(ascii: "\r")) }) {
    fail("an SSEDecoder event contains CR: \(events[0])")
  }

  // JSON decoding dominates the cost, so the parser gets the whole and the cut input only.
  let outcomes = splits.prefix(2).map { parse(reads(bytes, cutAt: $0)) }
  for other in outcomes.dropFirst() where !other.matches(outcomes[0]) {
    fail("ChatStreamParser depends on the split: \(outcomes[0]) vs \(other)")
  }
  // The same bytes as a non-streamed body: may throw, must not trap.
  var batch = ChatStreamParser()
  _ = try? batch.parseBatch(bytes)
  // Whatever numbers usage and timings held: every figure made of them prints, no trap.
  figures(outcomes[0].info)
  figures(batch.info)
  return 0
}

/// The page's stats from `info`, as `--stats`, the viewer and jsonl show them, measured over
/// one nanosecond (the largest rates) and over none; then read back as a journal would.
func figures(_ info: CompletionInfo) {
  let page = PageImage(
    number: 1, bytes: [], mimeType: "image/png", width: 1, height: 1)
  let sent = ContinuousClock.now
  for elapsed in [Duration.zero, .nanoseconds(1)] {
    var timer = PageTimer(mode: .stream, sentAt: sent)
    timer.recordDelta(at: sent)
    timer.recordDelta(at: sent + elapsed)
    let stats = timer.stats(endedAt: sent + elapsed, info: info, image: page)
    _ = StatsText.page(1, stats) + (StatsText.speed(stats) ?? "")
    guard let json = try? JSONEncoder().encode(StatsRecord(stats)),
      let record = try? JSONDecoder().decode(StatsRecord.self, from: json)
    else { fail("a StatsRecord does not round-trip: \(stats)") }
    _ = record
  }
}

/// Up to three cut offsets from an FNV-1a hash of the input: stable per input, spread out.
func cuts(_ bytes: [UInt8]) -> [Int] {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
  return (0..<3).map { Int((hash >> (UInt64($0) * 21)) & 0x1F_FFFF) % (bytes.count + 1) }.sorted()
}

/// The reads a network would deliver if it split `bytes` at `cuts` (sorted offsets).
func reads(_ bytes: [UInt8], cutAt cuts: [Int]) -> [ArraySlice<UInt8>] {
  zip([0] + cuts, cuts + [bytes.count]).map { bytes[$0..<$1] }
}

func decode(_ reads: [ArraySlice<UInt8>]) -> [String] {
  var decoder = SSEDecoder()
  return reads.flatMap { decoder.feed($0) }
}

/// What a caller sees after feeding reads until the first error.
struct Outcome: CustomStringConvertible {
  var deltas: [String] = []
  var error: ServerError?
  var info = CompletionInfo()
  var sawDone = false
  var isComplete = false

  /// Everything must match, deltas too: text before an error event reaches the caller wherever
  /// the reads are cut (the first run found it did not; see README, "Findings").
  func matches(_ other: Outcome) -> Bool {
    error == other.error && info == other.info && sawDone == other.sawDone
      && isComplete == other.isComplete && deltas == other.deltas
  }

  var description: String {
    "deltas \(deltas) error \(String(describing: error)) info \(info) done \(sawDone)"
  }
}

func parse(_ reads: [ArraySlice<UInt8>]) -> Outcome {
  var parser = ChatStreamParser()
  var outcome = Outcome()
  do throws(ServerError) {
    for read in reads {
      outcome.deltas += try parser.feed(read)
      if let error = parser.failure { throw error }  // as ChatCompletionsEngine does
    }
  } catch {
    outcome.error = error
  }
  outcome.info = parser.info
  outcome.sawDone = parser.sawDone
  outcome.isComplete = parser.isComplete
  return outcome
}

/// Reports a broken invariant as a crash, so libFuzzer keeps the input.
func fail(_ message: String) -> Never { fatalError("fuzz-sse invariant broken: \(message)") }

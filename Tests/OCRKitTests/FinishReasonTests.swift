import Foundation
import Testing

@testable import OCRKit

/// `FinishReason` keeps the raw strings journals and jsonl have always held.
@Suite struct FinishReasonTests {
  @Test func rawStringsReadBackAsTheyWereWritten() {
    #expect(FinishReason(rawValue: "stop") == .stop)
    #expect(FinishReason(rawValue: "length") == .length)
    // The loop guard's sentinel, written by every earlier version.
    #expect(FinishReason(rawValue: "repetition") == .loop)
    #expect(FinishReason(rawValue: "tool_calls") == .other("tool_calls"))
    for raw in ["stop", "length", "repetition", "eos", ""] {
      #expect(FinishReason(rawValue: raw).rawValue == raw)
    }
  }

  @Test func anOldJournalsLoopStopReadsBackAsALoop() {
    let line = Array(
      """
      {"mode":"stream","page":1,"t":"start","w":1}
      {"mode":"stream","page":1,"stats":{"deltas":3,"e2e_ms":10,"finish_reason":"repetition","image_bytes":1,"output_tokens":3,"output_tokens_source":"deltas","render_ms":1},"t":"done","text":"a a a","w":1}

      """.utf8)
    let snapshot = JournalSnapshot(replaying: line)
    #expect(snapshot.pages[1]?.stats?.finishReason == .loop)
    #expect(snapshot.pages[1]?.stats?.warning?.contains("repeating") == true)
  }

  @Test func onlyTheTokenLimitAndALoopAreUnclean() {
    #expect(FinishReason.stop.isClean && FinishReason.other("eos").isClean)
    #expect(!FinishReason.length.isClean && !FinishReason.loop.isClean)
  }
}

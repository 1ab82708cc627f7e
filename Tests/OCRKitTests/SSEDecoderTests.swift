import Testing

@testable import OCRKit

@Suite struct SSEDecoderTests {
  @Test func decodesEventsSplitAtEveryByte() {
    let wire = Array("data: {\"a\":\"한글\"}\r\n\r\n: keep-alive\n\ndata: [DONE]\n\n".utf8)
    var decoder = SSEDecoder()
    var events: [String] = []
    for byte in wire { events += decoder.feed([byte]) }
    #expect(events == ["{\"a\":\"한글\"}", "[DONE]"])
  }

  @Test func decodesSeveralEventsInOneRead() {
    var decoder = SSEDecoder()
    let events = decoder.feed(Array("data: 1\n\ndata:2\r\rdata: 3\ndata: 4\n\n".utf8))
    #expect(events == ["1", "2", "3\n4"])
  }

  @Test func keepsAnUnfinishedEventPending() {
    var decoder = SSEDecoder()
    #expect(decoder.feed(Array("data: partial".utf8)).isEmpty)
    #expect(decoder.feed(Array("\n\n".utf8)) == ["partial"])
  }

  @Test func anEndlessLineStopsTheDecoderAtTheLimitKeepingEarlierEvents() {
    var decoder = SSEDecoder()
    #expect(decoder.feed(Array("data: before\n\ndata: ".utf8)) == ["before"])
    let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
    var events: [String] = []
    for _ in 0..<((SSEDecoder.maxLineBytes / chunk.count) + 1) { events += decoder.feed(chunk) }
    #expect(events.isEmpty)
    #expect(decoder.overflow == .line(bytes: SSEDecoder.maxLineBytes))
    // Stopped: even a line end and a whole event no longer produce anything.
    #expect(decoder.feed(Array("\n\ndata: after\n\n".utf8)).isEmpty)
  }

  @Test func aLineJustUnderTheLimitIsStillAnEvent() {
    var decoder = SSEDecoder()
    let value = String(repeating: "y", count: SSEDecoder.maxLineBytes - "data: ".count)
    #expect(decoder.feed(Array("data: \(value)\n\n".utf8)) == [value])
    #expect(decoder.overflow == nil)
  }

  @Test func manyDataLinesOverTheLimitTogetherStopTheDecoder() {
    var decoder = SSEDecoder()
    let line = Array("data: ".utf8) + [UInt8](repeating: UInt8(ascii: "z"), count: 300_000) + [10]
    var events: [String] = []
    for _ in 0..<4 { events += decoder.feed(line) }
    #expect(events.isEmpty)
    #expect(decoder.overflow == .event(bytes: SSEDecoder.maxLineBytes))
  }

  @Test func aByteOrderMarkBeforeTheFirstLineIsSkippedWhereverTheReadsSplit() {
    let wire = [0xEF, 0xBB, 0xBF] + Array("data: first\n\ndata: \u{FEFF}second\n\n".utf8)
    for cut in 0...wire.count {
      var decoder = SSEDecoder()
      let events = decoder.feed(wire[..<cut]) + decoder.feed(wire[cut...])
      // Only the stream's first bytes are a byte-order mark; one inside a value is text.
      #expect(events == ["first", "\u{FEFF}second"], "cut at \(cut)")
    }
    var byByte = SSEDecoder()
    #expect(wire.flatMap { byByte.feed([$0]) } == ["first", "\u{FEFF}second"])
  }

  @Test func aStartThatOnlyLooksLikeAByteOrderMarkIsKept() {
    var decoder = SSEDecoder()
    // EF BB then not BF: the held-back bytes are part of the first line (a field name here).
    #expect(decoder.feed([0xEF]).isEmpty)
    #expect(decoder.feed([0xBB, 0x41] + Array(": x\n\ndata: y\n\n".utf8)) == ["y"])
  }
}

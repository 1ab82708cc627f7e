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
}

import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

@Suite struct GroundingTests {
  static let page = FakeGrounding.page

  /// The page's Markdown: no box markup, blocks a blank line apart, `text+` joined by a space,
  /// the malformed box kept as text.
  static let plain = """
    Journal of Fake Results · 2026

    # A Grounded Page

    The first column starts here and flows on in the second column.

    <table><tr><td>tokens</td><td>boxed</td></tr></table>
    ![text](1,2,3) keeps a malformed box as text: 안녕하세요.

    Fake footer

    7
    """

  /// Adjacent text pieces merged: how pieces compare whatever the split.
  static func merged(_ pieces: [GroundingParser.Piece]) -> [GroundingParser.Piece] {
    var out: [GroundingParser.Piece] = []
    for piece in pieces {
      if case .text(let text) = piece, case .text(let before)? = out.last {
        out[out.count - 1] = .text(before + text)
      } else {
        out.append(piece)
      }
    }
    return out
  }

  static func parse(_ deltas: [String]) -> [GroundingParser.Piece] {
    var parser = GroundingParser()
    return merged(deltas.flatMap { parser.feed($0) } + parser.finish())
  }

  @Test func markersAreParsedWithTheirBoxesAndMalformedOnesStayText() {
    let blocks = GroundedBlock.parse(Self.page)
    #expect(
      blocks.map(\.label) == [
        "header", "title", "text", "text", "table", "footer", "page_number",
      ])
    #expect(blocks[0].box == NormalizedBox(x1: 80, y1: 20, x2: 920, y2: 40))
    #expect(blocks[0].text == "Journal of Fake Results · 2026")
    #expect(blocks[3].continues && !blocks[2].continues)
    #expect(
      blocks[4].text
        == "<table><tr><td>tokens</td><td>boxed</td></tr></table>\n"
        + "![text](1,2,3) keeps a malformed box as text: 안녕하세요.")
    #expect(blocks[6].text == "7")
    #expect(
      blocks[0].box.pixels(width: 1190, height: 1540)
        == PixelBox(x1: 95, y1: 31, x2: 1095, y2: 62))
    // Not markers: a picture, too few numbers, a label starting with a digit.
    for text in ["![fig](a.png)", "![text](1,2,3)", "![1a](1,2,3,4)", "!![", "![text](1,2,3,4"] {
      #expect(GroundedBlock.parse(text).isEmpty, "\(text)")
      #expect(Self.parse([text]) == [.text(text)], "\(text)")
    }
    #expect(
      Self.parse(["a ![x_y-2+]( 1 ,2,\n3,4)\t b"]) == [
        .text("a "),
        .marker(
          GroundingMarker(
            label: "x_y-2", continues: true, box: NormalizedBox(x1: 1, y1: 2, x2: 3, y2: 4))),
        .text("b"),
      ])
  }

  /// Corners are 0–1000 of the page: a larger number is no box of it, so the marker is text
  /// (split anywhere, too); 1000 itself and leading zeros are a box.
  @Test func numbersAbove1000AreNotABox() {
    for text in ["![text](0,0,1001,10)", "![text](0,0,10,99999)", "![text](0,0,10,000001001)"] {
      #expect(GroundedBlock.parse(text).isEmpty, "\(text)")
      #expect(Self.parse([text]) == [.text(text)], "\(text)")
      #expect(Self.parse(Array(text).map { String($0) }) == [.text(text)], "\(text)")
    }
    #expect(
      Self.parse(["![text](0,0,1000,0999)"]) == [
        .marker(
          GroundingMarker(label: "text", box: NormalizedBox(x1: 0, y1: 0, x2: 1000, y2: 999)))
      ])
  }

  /// Every split of the page in two, and one character at a time, parses as the whole.
  @Test func aStreamSplitAnywhereParsesAsTheWhole() {
    let whole = Self.parse([Self.page])
    let characters = Array(Self.page)
    for cut in 0...characters.count {
      let deltas = [String(characters[..<cut]), String(characters[cut...])]
      #expect(Self.parse(deltas) == whole, "cut at \(cut)")
    }
    #expect(Self.parse(characters.map { String($0) }) == whole)
  }

  @Test func onlyWhatCouldStillBeAMarkerIsHeldBack() {
    var parser = GroundingParser()
    #expect(parser.feed("text ![tit") == [.text("text ")])
    #expect(parser.feed("le](1,2") == [])
    #expect(parser.feed("x") == [.text("![title](1,2x")])
    #expect(parser.feed("!") == [])
    #expect(parser.finish() == [.text("!")])
  }

  @Test func markdownWithoutMarkupStreamsAsTheWholeDoes() {
    #expect(GroundedText.plain(Self.page) == Self.plain)
    let characters = Array(Self.page)
    for cut in 0...characters.count {
      var text = GroundedText()
      let out =
        text.feed(String(characters[..<cut])) + text.feed(String(characters[cut...]))
        + text.finish()
      #expect(out == Self.plain, "cut at \(cut)")
    }
    var text = GroundedText()
    #expect(characters.map { text.feed(String($0)) }.joined() + text.finish() == Self.plain)
  }

  @Test func droppedLabelsLeaveTheirBlocksOut() throws {
    let kept = GroundedText.plain(Self.page, drop: ["header", "footer", "page_number"])
    #expect(
      kept == """
        # A Grounded Page

        The first column starts here and flows on in the second column.

        <table><tr><td>tokens</td><td>boxed</td></tr></table>
        ![text](1,2,3) keeps a malformed box as text: 안녕하세요.

        """)
    // A continuation after a dropped block starts a paragraph of its own.
    #expect(
      GroundedText.plain(
        "![text](0,0,1,1) a\n![aside_text](0,0,1,1) b\n![text+](0,0,1,1) c", drop: ["aside_text"])
        == "a\n\nc")
    #expect(
      try GroundingLabel.parseList(" header,footer ,,page_number") == [
        "header", "footer", "page_number",
      ])
    #expect(throws: GroundingLabelError.unknown("headers")) {
      try GroundingLabel.parseList("header,headers")
    }
  }

  func stats() -> PageStats {
    PageTimer(mode: .stream, sentAt: .now).stats(
      endedAt: .now, info: nil,
      image: PageImage(number: 1, bytes: [], mimeType: "image/png", width: 1190, height: 1540))
  }

  @Test func transcriptsStreamTheTextWithoutMarkup() {
    let grounding = GroundingOutput(drop: ["page_number"])
    var streamer = TranscriptStreamer(
      format: .md, pages: [1, 2], filePath: "a.pdf", grounding: grounding)
    var out = ""
    // Page 2 streams while page 1 is still running: it waits, without markup too.
    for delta in FakeGrounding.deltas() { out += streamer.consume(.delta(page: 2, text: delta)) }
    out += streamer.consume(.pageFinished(page: 2, text: Self.page, stats: stats()))
    #expect(out == "")
    for delta in FakeGrounding.deltas() { out += streamer.consume(.delta(page: 1, text: delta)) }
    out += streamer.consume(.pageFinished(page: 1, text: Self.page, stats: stats()))
    let text = GroundedText.plain(Self.page, drop: ["page_number"])
    // The text ends as the model's did (a newline after the footer), then the page's end.
    #expect(text.hasSuffix("Fake footer\n"))
    #expect(out == "<!-- page 1 -->\n\n\(text)\n<!-- page 2 -->\n\n\(text)\n")
    #expect(!out.contains("![title]"))
  }

  @Test func jsonlListsTheBlocksInBothCoordinates() throws {
    var streamer = TranscriptStreamer(
      format: .jsonl, pages: [1], filePath: "a.pdf",
      grounding: GroundingOutput(drop: ["header", "footer", "page_number"]))
    let line = streamer.consume(.pageFinished(page: 1, text: Self.page, stats: stats()))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(json["text"] as? String == Self.page)
    let blocks = try #require(json["blocks"] as? [[String: Any]])
    #expect(blocks.map { $0["label"] as? String } == ["title", "text", "text", "table"])
    #expect(blocks[0]["box"] as? [Int] == [100, 60, 900, 110])
    #expect(blocks[0]["box_px"] as? [Int] == [119, 92, 1071, 169])
    #expect(blocks[0]["text"] as? String == "# A Grounded Page")
    #expect(blocks[2]["continues"] as? Bool == true)
    // Without grounding, no blocks.
    var plain = TranscriptStreamer(format: .jsonl, pages: [1], filePath: "a.pdf")
    #expect(!plain.consume(.pageFinished(page: 1, text: "x", stats: stats())).contains("blocks"))
  }
}

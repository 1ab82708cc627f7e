import OCRKit
import Testing

@testable import OCRViewUI

/// `/` searches every page's text, `n`/`N` move between matches across pages, and `y`/`Y`
/// copy a page or the transcript.
@Suite struct SearchAndCopyTests {
  static func model() -> Model {
    var model = Fixtures.document(size: Size(width: 80, height: 24))
    model.document?.pages[0].text = "# Latency\n\nStream mode shows text at once."
    model.document?.pages[1].text = "스트리밍 모드 (stream mode) 페이지.\n\nMode again: STREAM."
    model.document?.pages[2].text = "Nothing here."
    model.document?.pages[2].progress = .done
    return model
  }

  func type(_ model: inout Model, _ text: String) {
    for character in text { _ = update(&model, .key(.character(character))) }
  }

  @Test func offsetsAreCaseInsensitiveLiteralAndDoNotOverlap() {
    #expect(TextSearch.offsets(of: "mode", in: "Mode, MODE and mode.") == [0, 6, 15])
    #expect(TextSearch.offsets(of: "aa", in: "aaaa") == [0, 2])
    #expect(TextSearch.offsets(of: "모드", in: "스트리밍 모드와 배치 모드") == [5, 12])
    #expect(TextSearch.offsets(of: ".*", in: "a.*b") == [1])
    #expect(TextSearch.offsets(of: "", in: "abc") == [])
  }

  @Test func slashFindsAcrossPagesAndNAndShiftNMove() {
    var model = Self.model()
    _ = update(&model, .key(.character("/")))
    type(&model, "mode")
    #expect(render(model).lines().last?.hasPrefix("/mode▏") == true)
    _ = update(&model, .key(.enter))
    #expect(model.search?.count == 3)
    #expect(model.search?.index == 1 && model.document?.selected == 1)
    #expect(statsLine(model, model.document!).contains("match 1/3"))
    _ = update(&model, .key(.character("n")))
    #expect(model.search?.index == 2 && model.document?.selected == 2)
    _ = update(&model, .key(.character("n")))
    #expect(model.search?.current == SearchMatch(page: 2, line: 2, occurrence: 0))
    _ = update(&model, .key(.character("n")))  // wraps around
    #expect(model.search?.index == 1 && model.document?.selected == 1)
    _ = update(&model, .key(.character("N")))
    #expect(model.search?.index == 3 && model.document?.selected == 2)
    _ = update(&model, .key(.escape))
    #expect(model.search == nil && model.screen == .document)
  }

  @Test func matchesAreMarkedAndTheCurrentOneStandsOut() {
    var model = Self.model()
    model.document?.selected = 2
    _ = update(&model, .key(.character("/")))
    type(&model, "MODE")
    _ = update(&model, .key(.enter))
    #expect(model.document?.selected == 2)
    let canvas = render(model)
    let layout = Layout(model.size)
    let first = layout.textPane.y + 1
    // "스트리밍 모드 (stream mode) 페이지.": "mode" at columns 22–25 (Hangul counts two), the
    // first match on the page, so the current one; "Mode again" two lines down is another.
    let x = layout.textPane.x
    #expect(canvas.lines()[first].contains("스트리밍 모드 (stream mode)"))
    for column in 22..<26 {
      #expect(canvas[x + column, first].style == Style(bold: true, reverse: true))
    }
    #expect(canvas[x + 21, first].style == .plain && canvas[x + 26, first].style == .plain)
    #expect(canvas[x + 9, first].style == .plain, "모드 is not the letters of mode")
    #expect(canvas[x, first + 2].style == Style(foreground: .black, background: .yellow))
    #expect(canvas[x + 4, first + 2].style == .plain)
  }

  @Test func noMatchSaysSo() {
    var model = Self.model()
    _ = update(&model, .key(.character("/")))
    type(&model, "absent")
    _ = update(&model, .key(.enter))
    #expect(model.message == Model.Message("no match for \"absent\"", isError: true))
    #expect(statsLine(model, model.document!).contains("no match"))
  }

  @Test func yCopiesThePageAndShiftYTheTranscript() {
    var model = Self.model()
    let page = update(&model, .key(.character("y")))
    #expect(page == [.copyToClipboard("# Latency\n\nStream mode shows text at once.")])
    #expect(model.message?.text == "copied 42 characters (page 1) to the clipboard")
    let all = update(&model, .key(.character("Y")))
    guard case .copyToClipboard(let text)? = all.first else {
      Issue.record("no copy: \(all)")
      return
    }
    #expect(text.hasPrefix("<!-- page 1 -->\n\n# Latency") && text.contains("<!-- page 3 -->"))
    model.document?.pages[0].text = ""
    #expect(update(&model, .key(.character("y"))) == [])
    #expect(model.message?.isError == true)
  }

  /// tmux drops an OSC 52 string of 1 MiB or more while the viewer would say "copied": the
  /// copy is bounded in UTF-8 bytes (Hangul is three each), and past it `s` is offered.
  @Test func copyIsBoundedInBytesAndPointsAtSave() {
    var model = Self.model()
    // 256,000 Hangul characters: 768,000 bytes, exactly the bound; 1,024,000 bytes of base64.
    model.document?.pages[0].text = String(repeating: "한", count: 256_000)
    #expect(update(&model, .key(.character("y"))).count == 1)
    #expect(model.message?.isError == false)
    model.document?.pages[0].text += "a"
    #expect(update(&model, .key(.character("y"))) == [])
    let refusal = "page 1 is over 750 KB, too big for the clipboard (OSC 52): s saves it to a file"
    #expect(model.message == Model.Message(refusal, isError: true))
    #expect(render(model).lines().contains { $0.contains(refusal) })
    // The transcript holds page 1 too: refused as a whole, and saving is what works.
    #expect(update(&model, .key(.character("Y"))) == [])
    #expect(model.message?.text.hasPrefix("the transcript is over 750 KB") == true)
    guard case .save? = update(&model, .key(.character("s"))).first else {
      Issue.record("s does not save")
      return
    }
  }
}

import OCRKit
import Testing

@testable import OCRViewUI

/// Grounding boxes on the page image: each block outlined where the model put it, `[`/`]`
/// select a block and scroll the text to it.
@Suite struct GroundingBoxesTests {
  static let text = """
    ![figure](fig.png)
    ![title](0,0,1000,250)
    # Report

    ![text](0,500,500,1000)
    Body text.
    """

  /// The page beside its text, its image 10 × 4 blank cells.
  static func model() -> Model {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.colors = 256
    model.document?.pages[0].text = text
    model.document?.pages[0].progress = .done
    _ = update(&model, .key(.character("v")))
    let key = model.pageImageKey!
    let blank = ImageCells(
      columns: 10, rows: 4, cells: Array(repeating: ImageCell(symbol: " "), count: 40))
    _ = update(&model, .pageImageReady(key, .cells(blank)))
    return model
  }

  /// The image's 10 × 4 cells as drawn.
  static func image(_ model: Model) -> [String] {
    let area = Layout(model.size, view: model.view).imageArea
    let (left, top) = (area.x + (area.width - 10) / 2, area.y + (area.height - 4) / 2)
    let lines = render(model).lines()
    return (top..<top + 4).map { String(Array(lines[$0])[left..<left + 10]) }
  }

  /// A page of tens of thousands of boxes draws the first thousand (more than a pane shows
  /// apart), and the selected one wherever it is.
  @Test func atMostAThousandBoxesAreDrawnAndAlwaysTheSelectedOne() {
    #expect(GroundingBoxes.drawn(count: 5, selected: nil) == [0, 1, 2, 3, 4])
    #expect(GroundingBoxes.drawn(count: 40_000, selected: 7) == Array(0..<1_000))
    #expect(GroundingBoxes.drawn(count: 40_000, selected: 39_999) == Array(0..<1_000) + [39_999])
    #expect(GroundingBoxes.drawn(count: 3, selected: 9) == [0, 1, 2])
  }

  /// Parsed once per change of the text: the same blocks as the parser's.
  @Test func theBlocksOfAPageAreTheParsersAndRemembered() {
    #expect(GroundingBoxes.blocks(of: Self.text) == GroundedBlock.parse(Self.text))
    #expect(
      GroundingBoxes.blocks(of: Self.text + "\nmore") == GroundedBlock.parse(Self.text + "\nmore"))
    #expect(GroundingBoxes.blocks(of: Self.text) == GroundedBlock.parse(Self.text))
    #expect(GroundingBoxes.blocks(of: "no boxes").isEmpty)
  }

  @Test func eachBlockIsOutlinedWhereTheModelPutIt() {
    let model = Self.model()
    #expect(
      Self.image(model) == [
        "┌────────┐",  // the title: the top quarter, one row
        "          ",
        "┌───┐     ",  // the text: the bottom-left quarter
        "└───┘     ",
      ])
  }

  @Test func bracketsSelectABlockAndScrollTheTextToIt() {
    var model = Self.model()
    _ = update(&model, .key(.character("]")))
    #expect(model.pagePane.block == 0 && model.message?.text == "block 1/2: title")
    #expect(Self.image(model)[0] == "┌title───┐")
    _ = update(&model, .key(.character("]")))
    #expect(model.pagePane.block == 1 && Self.image(model)[2] == "┌tex┐     ")
    #expect(model.document?.follow == false)
    // The text pane scrolls to the second block's marker line (the fifth: the figure link
    // before the first box is no marker), as far as it can.
    let rows = Layout(model.size, view: model.view).textRows
    let lines = paneLines(model.document!.pages[0], model.paneFormat).count
    #expect(model.document?.scroll == min(4, max(0, lines - rows)))
    _ = update(&model, .key(.character("]")))
    #expect(model.pagePane.block == 1, "stays on the last block")
    _ = update(&model, .key(.character("[")))
    #expect(model.pagePane.block == 0)
  }

  @Test func aPageWithoutBoxesSaysSo() {
    var model = Fixtures.document()
    _ = update(&model, .key(.character("]")))
    #expect(model.message?.text.contains("no grounding boxes") == true)
  }

  @Test func aGroundedPageIsShownInSymbolsEvenWithPixelGraphics() {
    var model = Self.model()
    model.graphics = .kitty
    #expect(model.pageImageKey?.graphics == .symbols)
    model.document?.pages[0].text = "Plain page."
    #expect(model.pageImageKey?.graphics == .kitty)
  }
}

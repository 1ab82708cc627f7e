import OCRKit
import Testing

@testable import OCRViewUI

/// The page pane: `v` cycles the views, the image is asked for once per key and drawn
/// centred, zoom and pan move over the page, and the images kept stay few.
@Suite struct PagePaneTests {
  static func model() -> Model {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.colors = 256
    return model
  }

  /// A 4×2 image of known cells.
  static let cells = ImageCells(
    columns: 4, rows: 2,
    cells: "▀▄█ ▄▀ █".map {
      ImageCell(symbol: $0, foreground: .indexed(16), background: .indexed(231))
    })

  @Test func vCyclesTheViewsAndAsksForTheImageOnce() {
    var model = Self.model()
    let effects = update(&model, .key(.character("v")))
    #expect(model.view == .pageAndText)
    guard case .drawPageImage(let key)? = effects.first, effects.count == 1 else {
      Issue.record("expected one drawPageImage, got \(effects)")
      return
    }
    #expect(key.page == 1 && key.zoom == 1 && key.palette == .indexed && key.cellAspect == 200)
    #expect(key.columns == Layout(model.size, view: .pageAndText).imageArea.width)
    // Asked for once: a tick or a key that changes nothing asks no more.
    #expect(update(&model, .tick(.now)) == [])
    _ = update(&model, .key(.character("v")))
    #expect(model.view == .page)
    _ = update(&model, .key(.character("v")))
    #expect(model.view == .text)
  }

  @Test func theImageIsDrawnCentredBesideTheText() {
    var model = Self.model()
    model.document?.pages[1].progress = .done
    let effects = update(&model, .key(.character("v")))
    guard case .drawPageImage(let key)? = effects.first else { return }
    _ = update(&model, .pageImageReady(key, .cells(Self.cells)))
    let screen = render(model)
    let layout = Layout(model.size, view: .pageAndText)
    let area = layout.imageArea
    #expect(
      screen.lines() == [
        " ocrview sample.pdf — 3 pages  no server at http:…   STREAM ",
        " pg  mode     │ Page 1 image — fit… Page 1 — done (stream)  ",
        "✓  1 stream   │                     # Title                 ",
        "✓  2 stream   │                                             ",
        "·  3          │                     First page text.        ",
        "              │                                             ",
        "              │        ▀▄█                                  ",
        "              │        ▄▀ █                                 ",
        "              │                                             ",
        "              │                                             ",
        "              │                                             ",
        "              │                                             ",
        "              │                                             ",
        " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s …",
        "m:mode v:page /:find s:save r:re-run q:quit … ?:all keys    ",
      ], "\(screen.lines().joined(separator: "\n"))")
    let left = area.x + (area.width - 4) / 2
    let top = area.y + (area.height - 2) / 2
    #expect(screen[left, top].style == Style(foreground: .indexed(16), background: .indexed(231)))
    #expect(screen[left + 2, top + 1].grapheme == " ")
  }

  @Test func zoomAndPanAskForThePartOfThePageShown() {
    var model = Self.model()
    _ = update(&model, .key(.character("v")))
    var effects = update(&model, .key(.character("+")))
    guard case .drawPageImage(let zoomed)? = effects.first else {
      Issue.record("no image for the zoom: \(effects)")
      return
    }
    #expect(zoomed.zoom == 2 && zoomed.region == (0, 0, 0.5, 0.5))
    effects = update(&model, .key(.character("l")))
    guard case .drawPageImage(let panned)? = effects.first else { return }
    #expect(panned.panX == 1)
    // Down pans when the image has the focus; the pan stops at the page's edge.
    model.focus = .image
    for _ in 0..<9 { _ = update(&model, .key(.character("j"))) }
    #expect(model.pagePane.panY == 4)
    #expect(model.document?.selected == 1, "j pans, it does not turn the page")
    _ = update(&model, .key(.character("+")))
    _ = update(&model, .key(.character("+")))
    #expect(model.pagePane.zoom == 4)
    _ = update(&model, .key(.character("-")))
    _ = update(&model, .key(.character("-")))
    #expect(model.pagePane.zoom == 1 && model.pagePane.panX == 0 && model.pagePane.panY == 0)
    // Unzoomed, j on the image turns the page again.
    _ = update(&model, .key(.character("j")))
    #expect(model.document?.selected == 2)
  }

  @Test func aFailedImageSaysWhyAndFewImagesAreKept() {
    var model = Self.model()
    let effects = update(&model, .key(.character("v")))
    guard case .drawPageImage(let key)? = effects.first else { return }
    _ = update(&model, .pageImageFailed(key, message: "the page could not be rendered"))
    #expect(render(model).lines().contains { $0.contains("✗ the page could") })
    var pane = PagePaneState()
    for page in 1...40 {
      pane.store(
        .cells(Self.cells), for: PageImageKey(document: 1, page: page, columns: 4, rows: 2))
    }
    #expect(pane.images.count == PagePaneState.capacity)
    #expect(pane.images[PageImageKey(document: 1, page: 40, columns: 4, rows: 2)] != nil)
  }

  @Test func noColourMeansMonochromeSymbols() {
    var model = Self.model()
    model.monochrome = true
    guard case .drawPageImage(let key)? = update(&model, .key(.character("v"))).first else {
      return
    }
    #expect(key.palette == .monochrome)
  }
}

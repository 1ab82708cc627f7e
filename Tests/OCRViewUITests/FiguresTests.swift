import OCRKit
import Testing

@testable import OCRViewUI

/// A place too narrow for a figure shows fewer columns or the figure's short form, never a cut
/// number; the header keeps the model's name and lets less important parts go; the hint line
/// says `?` has every key when it drops some.
@Suite struct FiguresTests {
  @Test func besideThePageImageTheListLeavesTheTimesOut() {
    var model = Fixtures.document(size: Size(width: 60, height: 15))
    model.document?.pages[0].stats = Fixtures.stats(.stream, ttft: 0.353, e2e: 3.2)
    model.graphics = .none
    _ = update(&model, .key(.character("v")))
    #expect(
      render(model).lines() == [
        " ocrview sample.pdf — 3 pages  no server at http:…   STREAM ",
        " pg  mode     │ Page 1 image — fit… Page 1 — done (stream)  ",
        "✓  1 stream   │                     # Title                 ",
        "▸  2 stream   │                                             ",
        "·  3          │                     First page text.        ",
        "              │                                             ",
        "              │ page images are off                         ",
        "              │  (--graphics none)                          ",
        "              │                                             ",
        "              │                                             ",
        "              │                                             ",
        "              │                                             ",
        "              │                                             ",
        " STREAM │ page 1/3 │ TTFT 353 ms │ E2E 3.20 s │ 34.8 tok/s …",
        "m:mode v:page /:find s:save r:re-run q:quit … ?:all keys    ",
      ], "\(render(model).lines().joined(separator: "\n"))")
  }

  @Test func aNarrowTimeColumnShowsShortFormsNeverCutOnes() {
    var model = Fixtures.document()
    model.document?.pages[0].stats = Fixtures.stats(.stream, ttft: 0.353, e2e: 12.345)
    model.now = Fixtures.start + .milliseconds(15_250)  // page 2 sent 12.25 s ago
    let list = render(model).lines()[1...4].map { String($0.prefix(29)) }
    #expect(
      list == [
        " pg  mode   TTFT      E2E   │",
        // Both times of a row in one form: the E2E's short one ("12.35 s" does not fit).
        "✓  1 stream 0.35s     12.3s │",
        "▸  2 stream 0.40s     12.3s…│",
        "·  3                        │",
      ])
    // Wide enough, the long forms.
    model.size = Size(width: 140, height: 24)
    #expect(render(model).lines()[2].hasPrefix("✓  1 stream 353 ms    12.35 s     │"))
  }

  @Test func theStatsBarIsCutBetweenItsFigures() {
    let model = Fixtures.document(size: Size(width: 84, height: 24))
    // Cut at 83 columns the line ended "first text 45…": 450 ms read as 45.
    #expect(
      render(model).lines()[22]
        == " STREAM │ page 1/3 │ TTFT 420 ms │ E2E 3.20 s │ 35.6 tok/s │ 1/3 done …             ")
  }

  @Test func theHeaderLetsLessImportantPartsGoBeforeTheModelName() {
    var model = Fixtures.document()
    model.engine.info = EngineInfo(
      kind: .server, label: "server http://gpu:8080", reason: "up",
      profile: "LightOnOCR-3-4B · 2048 px · grounding", maxSide: 2048)
    let header = { (width: Int) -> String in
      model.size = Size(width: width, height: 24)
      return render(model).lines()[0]
    }
    #expect(
      header(120)
        == " ocrview sample.pdf — 3 pages                   server http://gpu:8080 · LightOnOCR-3-4B · 2048 px · grounding   STREAM "
    )
    #expect(
      header(100)
        == " ocrview sample.pdf — 3 pages         server http://gpu:8080 · LightOnOCR-3-4B · grounding   STREAM "
    )
    #expect(
      header(80)
        == " ocrview sample.pdf           server http://gpu:8080 · LightOnOCR-3-4B   STREAM ")
    #expect(header(60) == " ocrview sample.pdf                LightOnOCR-3-4B   STREAM ")
  }
}

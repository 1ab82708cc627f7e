import OCRKit

@testable import OCRViewUI

/// Models in known states, for update and render tests.
enum Fixtures {
  static let start = ContinuousClock.now

  static func stats(_ mode: OCRMode, ttft: Double, e2e: Double) -> PageStats {
    var stats = PageStats.unmeasured(mode)
    stats.ttft = .milliseconds(Int(ttft * 1000))
    stats.e2e = .milliseconds(Int(e2e * 1000))
    stats.outputTokens = 100
    stats.outputTokensPerSecond = 100 / e2e
    // A stream's decode speed: tokens after the first over the time after the first.
    if mode == .stream { stats.decodeTokensPerSecond = 99 / (e2e - ttft) }
    return stats
  }

  /// A 3-page document: page 1 done, page 2 streaming Korean text, page 3 queued.
  static func document(size: Size = Size(width: 80, height: 24)) -> Model {
    var model = Model(size: size, directory: "/docs", now: start + .seconds(5))
    model.engine = ready
    var document = DocumentState(path: "/docs/sample.pdf", pageCount: 3, openedAt: start)
    document.readingSince = start  // reading since it opened, as `startRun` starts the clock
    document.pages[0].progress = .done
    document.pages[0].mode = .stream
    document.pages[0].text = "# Title\n\nFirst page text."
    document.pages[0].stats = stats(.stream, ttft: 0.42, e2e: 3.2)
    document.pages[0].measured[.stream] = document.pages[0].stats
    document.pages[1].progress = .streaming
    document.pages[1].mode = .stream
    document.pages[1].sentAt = start + .seconds(3)
    document.pages[1].firstTextAt = start + .milliseconds(3400)
    document.pages[1].text = "스트리밍 모드는 텍스트가 생성되는 즉시 화면에 출력합니다."
    document.firstTextAt = start + .milliseconds(450)
    for index in document.pages.indices { document.pages[index].run = 1 }
    model.document = document
    model.screen = .document
    model.lastRun = 1
    return model
  }

  /// The built-in engine, chosen because no server answered.
  static let builtIn = EngineInfo(
    kind: .builtIn, label: "tesseract 5.3.0 (eng)",
    reason: "no server at http://127.0.0.1:8080 — using built-in Tesseract")

  static var ready: EngineState {
    var engine = EngineState()
    engine.status = .ready
    engine.info = builtIn
    return engine
  }

  static func picker() -> Model {
    var model = Model(size: Size(width: 60, height: 15), directory: "/docs")
    model.engine = ready
    model.picker.isLoading = false
    model.picker.entries = [
      PickerEntry(name: "..", kind: .directory),
      PickerEntry(name: "scan.png", kind: .document(.png, pageCount: 1), size: 300_000),
      PickerEntry(name: "notes.txt", kind: .unsupported, size: 20),
      PickerEntry(name: "reports", kind: .directory),
      PickerEntry(name: ".hidden.pdf", kind: .document(.pdf, pageCount: 2), size: 2048),
      PickerEntry(name: "paper.pdf", kind: .document(.pdf, pageCount: 12), size: 1_500_000),
      PickerEntry(name: "locked.pdf", kind: .unreadable("permission denied"), size: 10),
    ]
    return model
  }
}

import OCRKit

/// A key press, decoded from the terminal (vim keys and arrows alike reach `update`).
public enum Key: Hashable, Sendable {
  case character(Character)
  case control(Character)  // Ctrl-C is .control("c")
  case up, down, left, right
  case pageUp, pageDown, home, end
  case enter, escape, tab, backTab, backspace, delete
}

/// Everything that can change the model. `update` is the only place that handles them.
public enum Event: Sendable {
  case key(Key)
  case resize(Size)
  /// The clock moved (elapsed timers); at most every 100 ms while something is running.
  case tick(ContinuousClock.Instant)
  /// An event of document run `run` (runs are numbered by `Effect.startRun`).
  case run(RunEvent, run: Int)
  case directoryListed(path: String, entries: [PickerEntry])
  case directoryFailed(path: String, message: String)
  case documentOpened(path: String, pageCount: Int)
  case documentFailed(path: String, message: String)
  /// The document is an encrypted PDF: no password was given, or `wrong` one was.
  case documentNeedsPassword(path: String, wrong: Bool)
  case saved(path: String)
  case saveFailed(message: String)
  /// The engine in use changed (at start, or after `e`).
  case engineSelected(label: String, reason: String, isServer: Bool)
}

/// What `update` asks the runtime to do; the results come back as events.
public enum Effect: Equatable, Sendable {
  case listDirectory(String)
  /// Open a document; `password` for an encrypted PDF (nil: the one given at start, if any).
  case openDocument(String, password: String? = nil)
  /// `journal`: restore what an earlier run kept (opening a document), or read the pages
  /// again keeping (`r`) or voiding (`R`) the old readings.
  case startRun(run: Int, pages: [Int], mode: OCRMode, journal: JournalUse)
  case cancelRuns
  /// Write `text` next to the document (`NAME.ocr.md`, or `NAME.ocr-2.md` if taken — never
  /// overwriting) or in the output directory.
  case save(text: String, documentPath: String)
  /// Pick the other engine for pages started from now on.
  case switchEngine
  case quit
}

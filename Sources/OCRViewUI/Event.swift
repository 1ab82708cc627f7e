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
  /// Open `id` (numbered by `Effect.openDocument`) succeeded.
  case documentOpened(id: Int, path: String, pageCount: Int)
  case documentFailed(id: Int, path: String, message: String)
  /// The document is an encrypted PDF: no password was given, or `wrong` one was.
  case documentNeedsPassword(id: Int, path: String, wrong: Bool)
  case saved(path: String)
  case saveFailed(message: String)
  /// `P`'s searchable PDF is written at `path`; `missing`: pages read that have no text layer
  /// in it (tesseract could not read them); `kept`: pages left with text of their own.
  case searchablePDFSaved(path: String, missing: [Int], kept: [Int])
  case searchablePDFFailed(message: String)
  /// The servers answer 503 at start: they are loading their models, and are waited for
  /// before the engine is chosen (their models decide the settings).
  case serverLoading(url: String)
  /// The engine asked for (at start, or by `e`) is ready.
  case engineSelected(EngineInfo)
  /// No engine could be started (at start, or by `e`): why.
  case engineFailed(message: String)
  /// A run goes on without its journal (it could not be opened): why.
  case journalUnavailable(message: String)
  /// The page pane's image for `key` is made, or could not be.
  case pageImageReady(PageImageKey, PagePaneState.PageImage)
  case pageImageFailed(PageImageKey, message: String)
  /// The check of `page` as run `run` read it, in open `document` (`Effect.checkPages`).
  case pageChecked(document: Int, page: Int, run: Int, Result<PageCheck, PageReferee.Failure>)
  /// Checking cannot run (a `--lang` language is not installed): why.
  case checkUnavailable(message: String)
}

/// A finished page to check: its text as run `run` read it.
public struct CheckRequest: Sendable, Equatable {
  public var page: Int
  public var run: Int
  public var text: String

  public init(page: Int, run: Int, text: String) {
    self.page = page
    self.run = run
    self.text = text
  }
}

/// What `update` asks the runtime to do; the results come back as events.
public enum Effect: Equatable, Sendable {
  case listDirectory(String)
  /// Pick the engine as the options say (probing the servers); `.engineSelected` or
  /// `.engineFailed` follows.
  case selectEngine
  /// Make `kind` the engine of runs started from now on (`e`).
  /// `grounding`: the server engine with grounding mode on or off (`B`); nil keeps the
  /// command line's choice.
  case switchEngine(to: EngineKind, grounding: Bool? = nil)
  /// Open a document as open `id`; `password` for an encrypted PDF (nil: the one given at
  /// start, if any).
  case openDocument(id: Int, path: String, password: String? = nil)
  /// Read `pages` of open `document` with the engine of `engine`. `journal`: restore what an
  /// earlier run kept (opening a document), or read the pages again keeping (`r`) or voiding
  /// (`R`) the old readings.
  case startRun(
    run: Int, document: Int, pages: [Int], mode: OCRMode, engine: EngineKind, journal: JournalUse)
  /// Pages of the running document not yet sent go in this mode (`m`).
  case setMode(OCRMode)
  /// Make the page pane's image for `key` (off the UI thread; `.pageImageReady` follows).
  case drawPageImage(PageImageKey)
  /// Put `text` on the system clipboard (OSC 52: the terminal does it, in tmux and over ssh
  /// too); performed by the terminal adapter. `text` is at most `clipboardLimit` bytes of
  /// UTF-8: `update` never asks for more.
  case copyToClipboard(String)
  case cancelRuns
  /// Check these finished pages of open `document` against the built-in engine, in the
  /// background (`.pageChecked` follows each), each as the run that read it sent it: its
  /// image size, its grounding.
  case checkPages(document: Int, [CheckRequest])
  /// Stop checking: pages not yet checked are not, and the referee's engine ends.
  case stopChecking
  /// Write `text` next to the document (`NAME.ocr.md`, or `NAME.ocr-2.md` if taken — never
  /// overwriting) or in the output directory.
  case save(text: String, documentPath: String)
  /// Write a searchable PDF of open `document` beside it (`NAME.ocr.pdf`, never overwriting)
  /// with these pages' text as its invisible layer (`grounded`: the texts carry grounding
  /// markup); `.searchablePDFSaved` or `.searchablePDFFailed` follows.
  case saveSearchablePDF(document: Int, [CheckRequest], grounded: Bool)
  case quit
}

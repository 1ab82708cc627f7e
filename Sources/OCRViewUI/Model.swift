import OCRKit

/// The whole state of the screen: `update` changes it, `render` draws it. Pure values.
public struct Model: Sendable {
  public var size: Size
  public var screen: Screen = .picker
  public var picker: PickerState
  public var document: DocumentState?
  /// The mode of pages started from now on (`m` toggles it).
  public var mode: OCRMode
  public var engine = EngineState()
  public var overlay: Overlay?
  /// The first row of keys the help shows (`?`, then j k to move).
  public var helpScroll = 0
  public var focus: Focus = .pages
  /// One line at the bottom: what just happened (saved, an error), until the next key.
  public var message: Message?
  public var now: ContinuousClock.Instant
  /// Draw without colour (NO_COLOR, or a terminal without colours).
  public var monochrome = false
  /// Colours the terminal has (256 lets page images use the palette).
  public var colors = 8
  /// A terminal cell's height / width in pixels (from the terminal when it says, else 2).
  public var cellAspect = 2.0
  /// How page images are drawn (`--graphics`): symbols, pixels, or not at all.
  public var graphics = GraphicsMode.symbols
  /// A cell's size in pixels (pixel images are sized by it).
  public var cellPixels = Size(width: 10, height: 20)
  /// Text only, the page image beside the text, or the page image alone (`v`).
  public var view = DocumentView.text
  /// The page pane's zoom, pan and images.
  public var pagePane = PagePaneState()
  /// The text pane renders Markdown (tables as grids, math as symbols) instead of showing the
  /// model's raw text (`M`).
  public var rendered = false
  /// Each page a server reads is checked against the built-in engine in the background (`K`,
  /// `--check`).
  public var checking = false
  /// The search over the document's text (`/`), while one is active.
  public var search: SearchState?
  /// The document the user asked to open last; an open of another id finishing late is
  /// ignored.
  public var opening: Opening?
  /// Numbers the opens asked for, so a late one is recognised by its id.
  public var lastOpen = 0
  /// Numbers the runs started, so late events of an old run are recognised.
  public var lastRun = 0
  public var quitting = false

  public init(
    size: Size, directory: String, mode: OCRMode = .stream, now: ContinuousClock.Instant = .now
  ) {
    self.size = size
    self.mode = mode
    self.now = now
    picker = PickerState(directory: directory)
  }

  public enum Screen: Sendable, Equatable { case picker, document }
  public enum Focus: Sendable, Equatable { case pages, text, image }
  public enum Overlay: Sendable, Equatable {
    case help, compare
    /// A key that would lose work asks first (`y` does it).
    case confirm(Confirmation)
    /// Asking for an encrypted PDF's password; `wrong` after a rejected one.
    case password(PasswordPrompt)
  }

  /// The password being typed for `path` (shown masked; never stored beyond the open).
  public struct PasswordPrompt: Sendable, Equatable {
    public var path: String
    public var typed = ""
    public var wrong: Bool
  }

  /// A document being opened: its id (carried by the effect and its result) and path.
  public struct Opening: Sendable, Equatable {
    public var id: Int
    public var path: String
    public init(id: Int, path: String) {
      self.id = id
      self.path = path
    }
  }

  public struct Message: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) {
      self.text = text
      self.isError = isError
    }
  }

  /// The smallest screen the layout fits; below it a "terminal too small" notice is shown.
  public static let minimumSize = Size(width: 60, height: 15)
}

/// Which engine reads pages, and why (shown in the header).
public struct EngineState: Sendable, Equatable {
  public enum Status: Sendable, Equatable {
    /// Probing the servers at start-up: no run starts until the engine is known.
    case probing
    /// `e` asked for the other engine; runs wait for it.
    case switching(to: EngineKind)
    case ready
    /// No engine could be started: why.
    case failed(String)
  }

  public var status = Status.probing
  /// The engine in use once ready (and the one kept while switching).
  public var info: EngineInfo?
  /// What is wrong with the server while its pages fail for its own trouble (down,
  /// restarting, loading, cutting answers off): shown in the header on every screen, and gone
  /// as soon as it answers a page again.
  public var outage: String?
  /// Servers loading their models while the engine is being chosen: said instead of probing.
  public var loadingServer: String?
  public init() {}

  public var isReady: Bool { status == .ready && info != nil }
}

/// What the runtime reports about an engine it made ready.
public struct EngineInfo: Sendable, Equatable {
  public var kind: EngineKind
  public var label: String
  /// Why this engine ("no server at … — using built-in Tesseract").
  public var reason: String
  /// Every server answered 503: still loading its model.
  public var serverLoading = false
  /// Certificates are not checked (`--insecure`, a server engine).
  public var insecure = false
  /// The served model's profile ("LightOnOCR-3-4B · 2048 px · grounding"), when known.
  public var profile: String?
  /// The longest side of the page image the engine is sent (`EngineSelection.maxSide`).
  public var maxSide: Int
  /// The served model has a grounding mode (`B`), and whether it is on.
  public var groundingAvailable = false
  public var grounding = false

  public init(
    kind: EngineKind, label: String, reason: String, serverLoading: Bool = false,
    insecure: Bool = false, profile: String? = nil,
    maxSide: Int = RequestedSettings.defaultMaxSide,
    groundingAvailable: Bool = false, grounding: Bool = false
  ) {
    self.groundingAvailable = groundingAvailable
    self.grounding = grounding
    self.profile = profile
    self.maxSide = maxSide
    self.kind = kind
    self.label = label
    self.reason = reason
    self.serverLoading = serverLoading
    self.insecure = insecure
  }
}

/// One entry of the file picker.
public struct PickerEntry: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case directory
    case document(DocumentKind, pageCount: Int?)
    /// A file ocrview cannot open (not a PDF or image).
    case unsupported
    /// Cannot be read: the reason ("permission denied", "broken link").
    case unreadable(String)
  }

  public var name: String
  public var kind: Kind
  public var size: Int64

  public init(name: String, kind: Kind, size: Int64 = 0) {
    self.name = name
    self.kind = kind
    self.size = size
  }

  public var isHidden: Bool { name.hasPrefix(".") && name != ".." }
  public var isDirectory: Bool { kind == .directory }
}

/// The file picker: a directory's entries, filtered and navigated.
public struct PickerState: Sendable, Equatable {
  public var directory: String
  public var entries: [PickerEntry] = []
  public var cursor = 0
  public var filter = ""
  public var isFiltering = false
  public var showHidden = false
  /// Also list files ocrview cannot open (dimmed).
  public var showAll = false
  public var isLoading = true
  public var error: String?
  /// The entry the cursor was on in each directory visited, to return to it.
  public var remembered: [String: String] = [:]

  public init(directory: String) { self.directory = directory }

  /// Entries after the hidden/unsupported toggles and the filter, directories first. `..` is
  /// no match for a filter: typing a name selects the first entry that has it.
  public var visible: [PickerEntry] {
    let needle = filter.lowercased()
    let shown = entries.filter { entry in
      if entry.name == ".." { return needle.isEmpty }
      if entry.isHidden && !showHidden { return false }
      if entry.kind == .unsupported && !showAll { return false }
      return needle.isEmpty || entry.name.lowercased().contains(needle)
    }
    return shown.filter(\.isDirectory) + shown.filter { !$0.isDirectory }
  }

  public var selected: PickerEntry? {
    let list = visible
    return list.indices.contains(cursor) ? list[cursor] : nil
  }
}

/// How far a page has come.
public enum PageProgress: String, Sendable, Equatable {
  case queued, rendering, waiting, streaming, done, failed, cancelled

  public var isRunning: Bool { self == .rendering || self == .waiting || self == .streaming }
  /// Sent to the engine and not yet answered in full (a page rendered ahead is not).
  public var isInFlight: Bool { self == .waiting || self == .streaming }
}

/// One page of the open document.
public struct PageState: Sendable, Equatable {
  public var number: Int
  public var progress: PageProgress = .queued
  public var text = ""
  /// The mode of the latest run of this page.
  public var mode: OCRMode?
  public var sentAt: ContinuousClock.Instant?
  /// When this run's first text arrived (TTFT while the page is still running).
  public var firstTextAt: ContinuousClock.Instant?
  public var stats: PageStats?
  public var error: String?
  /// What is going on besides the text: "retry 1 in 500 ms — the connection broke…".
  public var note: String?
  /// The latest finished measurement in each mode, for the compare view.
  public var measured: [OCRMode: PageStats] = [:]
  /// The run this page belongs to; events of other runs for it are stale.
  public var run = 0
  /// The shown text is an earlier attempt's: the next delta starts the page over.
  public var replaceOnText = false
  /// `K`'s second opinion on the page's text, once asked for.
  public var check: PageCheckState?
  /// Which read of the page this run is on (2: its first rescue, `--rescue`); once done, how
  /// many reads it took.
  public var read = 1

  public init(number: Int) { self.number = number }
}

/// Where a page's check (`K`) is.
public enum PageCheckState: Sendable, Equatable {
  /// Asked for; the built-in engine reads the page in the background.
  case pending
  case checked(PageCheck)
  /// The page could not be read again: why.
  case unchecked(String)

  /// The reason the page is flagged, if it is.
  public var flagReason: String? {
    if case .checked(let check) = self { check.reason } else { nil }
  }

  /// The check's reading, once it is in.
  public var result: PageCheck? {
    if case .checked(let check) = self { check } else { nil }
  }
}

extension PageState {
  /// Whether the page can be trusted (`PageVerdict`), once it is done: from its stats and
  /// its check (`K`), when it has one.
  public var verdict: PageVerdict? {
    guard progress == .done, let stats else { return nil }
    return PageVerdict.of(stats, check: check?.result)
  }
}

/// The open document and what the runs have delivered so far.
public struct DocumentState: Sendable, Equatable {
  /// The open it came from (`Effect.openDocument`); runs name it.
  public var id: Int
  public var path: String
  public var pages: [PageState]
  /// The page shown in the text pane (1-based).
  public var selected = 1
  /// First wrapped line shown in the text pane.
  public var scroll = 0
  /// Keep the growing end of the text in view; off once the user scrolls, `f` turns it on.
  public var follow = true
  public var openedAt: ContinuousClock.Instant
  public var firstTextAt: ContinuousClock.Instant?
  /// Time spent reading (some page queued or running), summed over its runs: the document's
  /// total. Idle time — reviewing, before an `r` — is not reading and does not count.
  public var readingTime: Duration = .zero
  /// Since when pages have been queued or running; nil while idle.
  public var readingSince: ContinuousClock.Instant?
  /// The latest run's adaptive in-flight limit (a server without `/props` slots); nil for a
  /// fixed one. The header shows it ("×12").
  public var inFlightLimit: Int?
  /// What the server last said of its load during the latest run (servers that report it).
  /// The header shows it ("server 12/12 busy, 0 waiting").
  public var serverLoad: ServerLoad?
  /// A run asked for before the engine was known; it starts when the engine is.
  public var pendingRun: PendingRun?
  /// The transcript `s` saved last (or is saving), to say what it holds and not to write it
  /// twice.
  public var saved: SavedTranscript?
  /// The searchable PDF `P` asked for (being made while its path is nil).
  public var searchablePDF: SavedSearchablePDF?

  public struct PendingRun: Sendable, Equatable {
    public var pages: [Int]
    public var journal: JournalUse
  }

  public init(id: Int = 0, path: String, pageCount: Int, openedAt: ContinuousClock.Instant) {
    self.id = id
    self.path = path
    pages = (1...max(1, pageCount)).map(PageState.init(number:))
    self.openedAt = openedAt
  }

  public var name: String { path.split(separator: "/").last.map(String.init) ?? path }
  public var selectedPage: PageState { pages[selected - 1] }
  public var runningCount: Int { pages.filter { $0.progress.isRunning }.count }
  /// Pages whose requests are out: what quitting would cut off.
  public var inFlightCount: Int { pages.filter { $0.progress.isInFlight }.count }
  public var doneCount: Int { pages.filter { $0.progress == .done }.count }

  /// Forgets the checks asked for and not yet in (`K` stopped, or the built-in engine could
  /// not check): those pages are unchecked again.
  mutating func dropPendingChecks() {
    for index in pages.indices where pages[index].check == .pending {
      pages[index].check = nil
    }
  }

  /// The document's total reading time as of `now`.
  public func totalTime(at now: ContinuousClock.Instant) -> Duration {
    readingTime + (readingSince.map { now - $0 } ?? .zero)
  }

  /// Starts or stops the reading clock as pages wait or run, once per update (`update` calls
  /// it last, whatever the event): the one place the document's time is settled.
  mutating func settleReadingClock(at now: ContinuousClock.Instant) {
    let reading = pages.contains { $0.progress == .queued || $0.progress.isRunning }
    if reading, readingSince == nil {
      readingSince = now
    } else if !reading, let since = readingSince {
      readingTime += now - since
      readingSince = nil
    }
  }
}

import OCRMarkup

/// The referee of `--check`: reads the model's pages again with the built-in engine, in the
/// background, and scores the model's text against it (`PageCheck`).
///
/// It never delays the model's pages: while a document's model pages are in flight its
/// engine's worker threads run at idle priority (`SCHED_IDLE`: they get the CPU only when
/// nothing else wants it), it is given a page image only after the model's request has left
/// (`offer`, from `RunRecipe.imageSent`), and it reads one page per worker at a time.
///
/// It always finishes: once a document's run has ended and waits only for its checks
/// (`hurry`, or a check asked with `urgent`), that document's pages are read by a second
/// engine at normal priority, made on first need — on a busy machine idle threads may get no
/// CPU at all. (A thread cannot be moved back out of `SCHED_IDLE` without `CAP_SYS_NICE`,
/// hence a second engine rather than a priority change.) A page an idle worker is reading
/// when its document is hurried is read again at normal priority; the idle read is cancelled.
///
/// Memory stays bounded: it holds at most `maxHeldImages` images waiting to be read; a page
/// offered beyond that is not kept, and is rendered again from its document when its check is
/// asked for. Readings wait until their check (or a text layer) asks for them (words and a
/// number per page; `forget` drops a document's).
///
/// Blocking work (tesseract, rendering) happens on the engines' and the document's own
/// threads; this actor only awaits them, so no concurrency-pool thread is ever blocked.
public actor PageReferee {
  /// Why a page could not be checked (it was not read again).
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }

    /// Checking stopped (`shutdown()`; the viewer's `K` off) before the page was read.
    public static let stopped = Failure(description: "the check was stopped")
  }

  private struct Key: Hashable {
    var document: ObjectIdentifier
    var page: Int
  }

  private enum Entry {
    /// An image waiting for a worker: offered after the model's request left, or handed back
    /// by an idle worker when its document was hurried.
    case held(PageImage)
    /// A check asked for a page whose image was not kept: rendered again when its turn comes.
    case wanted(maxSide: Int)
    /// Being rendered or read by the reader holding this ticket (its read, to cancel).
    case reading(ticket: Int, image: PageImage?, read: Task<TesseractReading, Error>?)
    case done(Result<TesseractReading, Failure>)
  }

  private let engine: TesseractEngine
  private let makeUrgentEngine: @Sendable () throws -> TesseractEngine
  /// The normal-priority engine of hurried documents, made when the first of their pages waits
  /// to be read.
  private var urgentEngine: TesseractEngine?
  /// False once the normal-priority engine could not be made: the idle readers go on alone.
  private var canHurry = true
  private let plainText: @Sendable (_ text: String, _ grounded: Bool) -> String
  private let thresholds: PageCheck.Thresholds
  private let maxHeldImages: Int
  /// A text layer will ask for each page's reading (`reading(page:…)`): a check leaves it
  /// kept, so one tesseract pass serves both.
  private let keepsReadings: Bool
  private var entries: [Key: Entry] = [:]
  /// Pages to read, oldest first; an idle reader takes the first of a document not hurried,
  /// an urgent reader the first of a hurried one.
  private var queue: [Key] = []
  private var documents: [ObjectIdentifier: OpenedDocument] = [:]
  /// Documents whose run has ended: their pages are read at normal priority.
  private var hurried: Set<ObjectIdentifier> = []
  private var waiters: [Key: [CheckedContinuation<Result<TesseractReading, Failure>, Never>]] = [:]
  private var readers: [Task<Void, Never>] = []
  private var busyReaders: [Bool: Int] = [false: 0, true: 0]
  private var tickets = 0
  private var stopped = false

  /// `plainText` turns the model's output (Markdown, HTML tables, grounding boxes when the
  /// page was read with them) into the plain text that is compared: the viewer's real parsers
  /// (`ModelPlainText`), or a test's stand-in. The engine for hurried documents is `engine`'s
  /// like at normal priority.
  public init(
    engine: TesseractEngine,
    plainText: @escaping @Sendable (_ text: String, _ grounded: Bool) -> String =
      ModelPlainText.plain(_:grounded:),
    thresholds: PageCheck.Thresholds = .standard, maxHeldImages: Int = 2,
    keepsReadings: Bool = false
  ) {
    self.keepsReadings = keepsReadings
    self.engine = engine
    self.makeUrgentEngine = {
      try TesseractEngine(languages: engine.languages, workers: engine.workers, priority: .normal)
    }
    self.plainText = plainText
    self.thresholds = thresholds
    self.maxHeldImages = max(0, maxHeldImages)
  }

  /// A referee with its own built-in engine: `workers` threads at idle priority, reading
  /// `languages` (`--lang`).
  /// `keepsReadings`: a text layer will take each page's reading after its check.
  public static func start(languages: String, workers: Int = 1, keepsReadings: Bool = false)
    throws(TesseractError) -> PageReferee
  {
    PageReferee(
      engine: try TesseractEngine(languages: languages, workers: workers, priority: .idle),
      keepsReadings: keepsReadings)
  }

  /// Gives the referee a page image the model has just been sent, so it can read it while the
  /// model does; kept only while fewer than `maxHeldImages` wait. Returns at once.
  public nonisolated func offer(_ image: PageImage, of document: OpenedDocument) {
    Task { await self.hold(image, of: document) }
  }

  private func hold(_ image: PageImage, of document: OpenedDocument) {
    let key = Key(document: ObjectIdentifier(document), page: image.number)
    let held = entries.values.filter { if case .held = $0 { true } else { false } }.count
    guard !stopped, entries[key] == nil, held < maxHeldImages else { return }
    documents[key.document] = document
    entries[key] = .held(image)
    queue.append(key)
    startReading()
  }

  /// The document's run has ended: what is left is waiting for its checks, so its pages are
  /// read from now on at normal priority, a page being read at idle priority again.
  public func hurry(_ document: OpenedDocument) {
    let id = ObjectIdentifier(document)
    guard !stopped, canHurry, hurried.insert(id).inserted else { return }
    for (key, entry) in entries where key.document == id {
      guard case .reading(_, let image?, let read?) = entry else { continue }
      read.cancel()
      entries[key] = .held(image)
      queue.insert(key, at: 0)
    }
    startReading()
  }

  /// Scores the model's finished text for a page against tesseract's reading of the same
  /// image (`maxSide` as the model's), reading the page first if it has not been read.
  /// `grounded`: the text has grounding boxes to strip. `urgent`: the document's run has
  /// ended (`hurry`).
  public func check(
    page: Int, of document: OpenedDocument, modelText: String, maxSide: Int,
    grounded: Bool = false, urgent: Bool = false
  ) async -> Result<PageCheck, Failure> {
    let reading = await read(
      page, of: document, maxSide: maxSide, urgent: urgent, taking: !keepsReadings)
    let (plainText, thresholds) = (plainText, thresholds)
    return reading.map { reading in
      PageCheck.score(
        modelText: plainText(modelText, grounded), reading: reading, thresholds: thresholds)
    }
  }

  /// Tesseract's reading of a page — its words with their boxes, lines and blocks — for a
  /// text layer, reading the page first (image size `maxSide`, as the model's) unless a check
  /// already did; the reading is then dropped. `urgent` as for `check`.
  public func reading(
    page: Int, of document: OpenedDocument, maxSide: Int, urgent: Bool = false
  ) async -> Result<TesseractReading, Failure> {
    await read(page, of: document, maxSide: maxSide, urgent: urgent, taking: true)
  }

  /// The page's reading, queued if nobody has asked for it yet; `taking`: dropped once given.
  private func read(
    _ page: Int, of document: OpenedDocument, maxSide: Int, urgent: Bool, taking: Bool
  ) async -> Result<TesseractReading, Failure> {
    let key = Key(document: ObjectIdentifier(document), page: page)
    guard !stopped else { return .failure(.stopped) }
    if urgent { hurry(document) }
    let reading: Result<TesseractReading, Failure>
    if case .done(let result)? = entries[key] {
      reading = result
    } else {
      if entries[key] == nil {
        documents[key.document] = document
        entries[key] = .wanted(maxSide: maxSide)
        queue.append(key)
        startReading()
      }
      reading = await withCheckedContinuation { waiters[key, default: []].append($0) }
    }
    if taking, case .done? = entries[key] { entries[key] = nil }
    return reading
  }

  /// Drops what is kept for a document's pages (readings no check asked for: failed pages).
  public func forget(_ document: OpenedDocument) {
    let id = ObjectIdentifier(document)
    for key in entries.keys where key.document == id && waiters[key] == nil {
      if case .reading? = entries[key] { continue }
      entries[key] = nil
    }
    queue.removeAll { $0.document == id && entries[$0] == nil }
    if !entries.keys.contains(where: { $0.document == id }) {
      documents[id] = nil
      hurried.remove(id)
    }
  }

  /// Stops: pages not yet read are not read, and checks waiting end unchecked. The
  /// normal-priority engine's threads end (tesseract released off the concurrency pool) before
  /// this returns; the idle ones as soon as they get the CPU to.
  public func shutdown() async {
    guard !stopped else { return }
    stopped = true
    queue = []
    for reader in readers { reader.cancel() }
    for case .reading(_, _, let read?) in entries.values { read.cancel() }
    for (_, continuations) in waiters {
      for continuation in continuations {
        continuation.resume(returning: .failure(.stopped))
      }
    }
    waiters = [:]
    // An idle worker in the middle of a page may get no CPU to notice it is cancelled for
    // minutes on a busy machine (measured: 115 s beside two CPU hogs): nothing waits for it.
    // It releases tesseract when it next runs, and an exit does not race it (`exit` skips
    // static destructors).
    Task.detached { [engine] in await engine.shutdown() }
    await urgentEngine?.shutdown()
    readers = []
    entries = [:]
    documents = [:]
  }

  /// Whether a worker has the page now (for tests).
  func isReading(page: Int, of document: OpenedDocument) -> Bool {
    if case .reading(_, _?, _)? = entries[Key(document: ObjectIdentifier(document), page: page)] {
      return true
    }
    return false
  }

  /// The kernel thread ids of the normal-priority engine's workers, once made (for tests).
  var urgentWorkerThreadIDs: [Int32] { urgentEngine?.workerThreadIDs ?? [] }

  /// Readers for the queue's pages: up to one per worker of each engine, idle readers for
  /// documents still running, urgent ones for hurried documents.
  private func startReading() {
    guard !stopped else { return }
    if busyReaders.values.allSatisfy({ $0 == 0 }) { readers = [] }  // every earlier one ended
    for urgent in [true, false] {  // urgent first: if it cannot be made, the idle readers read
      var waiting = queue.count(where: { hurried.contains($0.document) == urgent })
      guard waiting > 0, let engine = urgent ? normalPriorityEngine() : engine else { continue }
      while waiting > 0, busyReaders[urgent, default: 0] < engine.workers {
        busyReaders[urgent, default: 0] += 1
        waiting -= 1
        readers.append(Task { await self.read(urgent: urgent) })
      }
    }
  }

  /// The normal-priority engine, made now if it is not yet; nil (and no document hurried any
  /// more) if it cannot be.
  private func normalPriorityEngine() -> TesseractEngine? {
    if urgentEngine == nil, canHurry { urgentEngine = try? makeUrgentEngine() }
    if urgentEngine == nil {
      canHurry = false
      hurried = []
    }
    return urgentEngine
  }

  private func read(urgent: Bool) async {
    while !stopped,
      let index = queue.firstIndex(where: { hurried.contains($0.document) == urgent })
    {
      let key = queue.remove(at: index)
      tickets += 1
      let ticket = tickets
      let image: Result<PageImage, Failure>
      switch entries[key] {
      case .held(let held)?:
        image = .success(held)
      case .wanted(let maxSide)?:
        guard let document = documents[key.document] else { continue }
        entries[key] = .reading(ticket: ticket, image: nil, read: nil)
        do throws(DocumentError) {
          image = .success(try await document.render(page: key.page, maxSide: maxSide))
        } catch {
          image = .failure(Failure(description: error.description))
        }
        // Hurried while it rendered: the urgent readers take it.
        if !urgent, hurried.contains(key.document), case .success(let rendered) = image {
          entries[key] = .held(rendered)
          queue.insert(key, at: 0)
          startReading()
          continue
        }
      default:
        continue
      }
      let result: Result<TesseractReading, Failure>
      switch image {
      case .success(let image):
        let engine = urgent ? urgentEngine ?? engine : engine
        let read = Task { try await engine.readWords(image) }
        entries[key] = .reading(ticket: ticket, image: image, read: read)
        do {
          result = .success(try await read.value)
        } catch {
          result = .failure(
            Failure(description: (error as? TesseractError)?.description ?? "\(error)"))
        }
      case .failure(let failure):
        result = .failure(failure)
      }
      // Hurried while an idle worker read it: an urgent reader has it now.
      guard !stopped, case .reading(ticket, _, _)? = entries[key] else { continue }
      entries[key] = .done(result)
      for waiter in waiters.removeValue(forKey: key) ?? [] { waiter.resume(returning: result) }
    }
    busyReaders[urgent, default: 1] -= 1
  }
}

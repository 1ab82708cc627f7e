import OCRMarkup

/// The referee of `--check`: reads the model's pages again with the built-in engine, in the
/// background, and scores the model's text against it (`PageCheck`).
///
/// It never delays the model's pages: its engine's worker threads run at idle priority
/// (`SCHED_IDLE`: they get the CPU only when nothing else wants it), it is given a page image
/// only after the model's request has left (`offer`, from `DocumentRun.imageSent`), and it
/// reads one page per worker at a time. Memory stays bounded: it holds at most
/// `maxHeldImages` images waiting to be read; a page offered beyond that is not kept, and is
/// rendered again from its document when its check is asked for. Readings wait until their
/// check is asked for (words and a number per page; `forget` drops a document's).
///
/// Blocking work (tesseract, rendering) happens on the engine's and the document's own
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
    /// An image offered after the model's request left, waiting for a worker.
    case held(PageImage)
    /// A check asked for a page whose image was not kept: rendered again when its turn comes.
    case wanted(maxSide: Int)
    case reading
    case done(Result<TesseractReading, Failure>)
  }

  private let engine: TesseractEngine
  private let plainText: @Sendable (_ text: String, _ grounded: Bool) -> String
  private let thresholds: PageCheck.Thresholds
  private let maxHeldImages: Int
  private var entries: [Key: Entry] = [:]
  /// Pages to read, oldest first.
  private var queue: [Key] = []
  private var documents: [ObjectIdentifier: OpenedDocument] = [:]
  private var waiters: [Key: [CheckedContinuation<Result<TesseractReading, Failure>, Never>]] = [:]
  private var readers: [Task<Void, Never>] = []
  private var busyReaders = 0
  private var stopped = false

  /// `plainText` turns the model's output (Markdown, HTML tables, grounding boxes when the
  /// page was read with them) into the plain text that is compared: the viewer's real parsers
  /// (`ModelPlainText`), or a test's stand-in.
  public init(
    engine: TesseractEngine,
    plainText: @escaping @Sendable (_ text: String, _ grounded: Bool) -> String =
      ModelPlainText.plain(_:grounded:),
    thresholds: PageCheck.Thresholds = .standard, maxHeldImages: Int = 2
  ) {
    self.engine = engine
    self.plainText = plainText
    self.thresholds = thresholds
    self.maxHeldImages = max(0, maxHeldImages)
  }

  /// A referee with its own built-in engine: `workers` threads at idle priority, reading
  /// `languages` (`--lang`).
  public static func start(languages: String, workers: Int = 1) throws(TesseractError)
    -> PageReferee
  {
    PageReferee(
      engine: try TesseractEngine(languages: languages, workers: workers, priority: .idle))
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

  /// Scores the model's finished text for a page against tesseract's reading of the same
  /// image (`maxSide` as the model's), reading the page first if it has not been read.
  /// `grounded`: the text has grounding boxes to strip.
  public func check(
    page: Int, of document: OpenedDocument, modelText: String, maxSide: Int,
    grounded: Bool = false
  ) async -> Result<PageCheck, Failure> {
    let key = Key(document: ObjectIdentifier(document), page: page)
    guard !stopped else { return .failure(.stopped) }
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
    if case .done? = entries[key] { entries[key] = nil }
    let (plainText, thresholds) = (plainText, thresholds)
    return reading.map { reading in
      PageCheck.score(
        modelText: plainText(modelText, grounded), reading: reading, thresholds: thresholds)
    }
  }

  /// Drops what is kept for a document's pages (readings no check asked for: failed pages).
  public func forget(_ document: OpenedDocument) {
    let id = ObjectIdentifier(document)
    for key in entries.keys where key.document == id && waiters[key] == nil {
      if case .reading? = entries[key] { continue }
      entries[key] = nil
    }
    queue.removeAll { $0.document == id && entries[$0] == nil }
    if !entries.keys.contains(where: { $0.document == id }) { documents[id] = nil }
  }

  /// Stops: pages not yet read are not read, checks waiting end unchecked, and the engine's
  /// threads end (tesseract released off the concurrency pool) before this returns.
  public func shutdown() async {
    guard !stopped else { return }
    stopped = true
    queue = []
    for reader in readers { reader.cancel() }
    for (_, continuations) in waiters {
      for continuation in continuations {
        continuation.resume(returning: .failure(.stopped))
      }
    }
    waiters = [:]
    await engine.shutdown()
    readers = []
    entries = [:]
    documents = [:]
  }

  /// One reader per engine worker, each reading the queue's pages one at a time.
  private func startReading() {
    guard !stopped, busyReaders < engine.workers, !queue.isEmpty else { return }
    if busyReaders == 0 { readers = [] }  // every earlier reader has ended
    busyReaders += 1
    readers.append(Task { await self.read() })
  }

  private func read() async {
    while !stopped, !queue.isEmpty {
      let key = queue.removeFirst()
      let image: Result<PageImage, Failure>
      switch entries[key] {
      case .held(let held)?:
        image = .success(held)
      case .wanted(let maxSide)?:
        guard let document = documents[key.document] else { continue }
        entries[key] = .reading
        do throws(DocumentError) {
          image = .success(try await document.render(page: key.page, maxSide: maxSide))
        } catch {
          image = .failure(Failure(description: error.description))
        }
      default:
        continue
      }
      entries[key] = .reading
      let result: Result<TesseractReading, Failure>
      switch image {
      case .success(let image):
        do {
          result = .success(try await engine.readWords(image))
        } catch {
          result = .failure(
            Failure(description: (error as? TesseractError)?.description ?? "\(error)"))
        }
      case .failure(let failure):
        result = .failure(failure)
      }
      guard !stopped else { break }
      entries[key] = .done(result)
      for waiter in waiters.removeValue(forKey: key) ?? [] { waiter.resume(returning: result) }
    }
    busyReaders -= 1
  }
}

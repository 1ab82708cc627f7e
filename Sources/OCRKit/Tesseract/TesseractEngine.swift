import Foundation

/// The built-in OCR engine: tesseract, on worker threads of its own, so ocrview works with no
/// server at all.
///
/// Both modes read the page as the `tesseract` command line does, in one recognition; stream
/// mode hands out each text line as soon as recognition has passed it (`PageRecognition`),
/// so TTFT means "first line read" and the text is batch mode's, byte for byte.
public final class TesseractEngine: OCREngine {
  public let languages: String
  public let workers: Int
  private let queue = JobQueue()
  private let threads: [TesseractWorker]
  private let words = Counter()

  /// Words tesseract began to recognise, across pages: how tests see cancellation work.
  var wordsRead: Int { words.count }

  /// Starts `workers` threads, each initialising its own tesseract (slow: ~0.1–0.5 s) while
  /// the caller opens the document.
  ///
  /// `priority: .idle` runs the workers at idle priority (`SCHED_IDLE`): the referee of
  /// `--check`, which must never take CPU from the model's pages.
  public init(languages: String = "eng", workers: Int, priority: WorkerPriority = .normal)
    throws(TesseractError)
  {
    try TessData.check(languages)
    self.languages = languages
    self.workers = max(1, workers)
    let (queue, words, threadIDs) = (queue, words, threadIDs)
    threads = (0..<max(1, workers)).map { _ in
      TesseractWorker(
        languages: languages, queue: queue, wordsRead: words, priority: priority,
        threadIDs: threadIDs)
    }
  }

  private let threadIDs = ThreadIDs()
  /// The kernel thread ids of the workers that have started (for tests).
  var workerThreadIDs: [Int32] { threadIDs.all }

  /// The page's words, each with tesseract's confidence, and its ink: what `--check` scores
  /// the model's text against. Read as batch mode reads the page, on a worker thread.
  public func readWords(_ page: PageImage) async throws -> TesseractReading {
    let cancelled = CancelFlag()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        queue.put(TesseractJob(page: page, work: .words(continuation), cancelled: cancelled))
      }
    } onCancel: {
      cancelled.set()
    }
  }

  public var label: String { "tesseract \(TessData.version) (\(languages))" }
  public var kind: EngineKind { .builtIn }
  /// Stream and batch modes give the same text.
  public var outputIdentity: String { label }

  /// Tesseract does not sample: `options.temperature` changes nothing.
  public func recognize(_ page: PageImage, _ options: ReadOptions) -> AsyncThrowingStream<
    EngineOutput, Error
  > {
    let mode = options.mode
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: EngineOutput.self)
    let cancelled = CancelFlag()
    continuation.onTermination = { _ in cancelled.set() }
    queue.put(TesseractJob(page: page, work: .text(mode, continuation), cancelled: cancelled))
    return stream
  }

  /// Ends the workers and releases tesseract (otherwise it prints leak warnings at exit).
  /// Blocks until a page being read is done: call it off the concurrency pool, or use
  /// `shutdown() async`.
  public func shutdown() { queue.close(workers: threads.count) }

  /// `shutdown()`, waiting on a thread of its own rather than the concurrency pool.
  public func shutdown() async {
    await BlockingQueue.onThread { self.shutdown() }
  }
}

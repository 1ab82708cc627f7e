import CTesseract
import Foundation
import Synchronization

/// One page for a worker, and where its text goes.
struct TesseractJob: Sendable {
  /// What the page is read for.
  enum Work: Sendable {
    /// Its text, as an engine's output (the built-in engine reading pages).
    case text(OCRMode, AsyncThrowingStream<EngineOutput, Error>.Continuation)
    /// Its words with their confidences and its ink (the referee of `--check`).
    case words(CheckedContinuation<TesseractReading, Error>)
  }
  let page: PageImage
  let work: Work
  let cancelled: CancelFlag

  /// Ends the job with an error, whatever it was for.
  func fail(_ error: Error) {
    switch work {
    case .text(_, let continuation): continuation.finish(throwing: error)
    case .words(let continuation): continuation.resume(throwing: error)
    }
  }
}

/// How a worker thread is scheduled.
public enum WorkerPriority: Sendable, Equatable {
  case normal
  /// Linux `SCHED_IDLE`: the thread runs only when no other thread wants the CPU, so it never
  /// delays the model's pages (the referee of `--check`).
  case idle
}

/// A count shared across threads.
final class Counter: Sendable {
  private let value = Atomic(0)
  func increment() { value.add(1, ordering: .relaxed) }
  var count: Int { value.load(ordering: .relaxed) }
}

/// Set from any thread when the consumer goes away; read by the worker before each word.
final class CancelFlag: Sendable {
  private let flag = Atomic(false)
  func set() { flag.store(true, ordering: .relaxed) }
  var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// A thread that owns one tesseract instance — initialised once, reused for every page —
/// and reads pages from a shared queue. Recognition blocks for a second or so per page, so it
/// never runs on Swift's cooperative pool.
final class TesseractWorker: @unchecked Sendable {
  // Safe: `api` is created, used and destroyed only on this worker's own thread.
  private var api: OpaquePointer?
  private let languages: String
  private let queue: JobQueue
  private let wordsRead: Counter

  private let priority: WorkerPriority
  private let threadIDs: ThreadIDs

  init(
    languages: String, queue: JobQueue, wordsRead: Counter, priority: WorkerPriority = .normal,
    threadIDs: ThreadIDs
  ) {
    self.languages = languages
    self.queue = queue
    self.wordsRead = wordsRead
    self.priority = priority
    self.threadIDs = threadIDs
    let thread = Thread { [self] in run() }
    thread.name = priority == .idle ? "ocrview.check" : "ocrview.tesseract"
    thread.start()
  }

  private func run() {
    if priority == .idle { ThreadIDs.makeCurrentIdle() }
    threadIDs.add(ThreadIDs.current)  // after: a thread listed runs at its priority
    OpenMP.runSingleThreaded()
    Leptonica.silence()
    api = TessBaseAPICreate()
    let ready = TessBaseAPIInit3(api, TessData.directory, languages) == 0
    // tesseract's notes ("Estimating resolution", "Detected N diacritics") would land on the
    // terminal; errors are detected from return values instead.
    TessBaseAPISetVariable(api, "debug_file", "/dev/null")
    // As the `tesseract` command line reads a page.
    TessBaseAPISetPageSegMode(api, PSM_AUTO)
    // Paragraphs found from the layout before recognition, not from the text after it, so a
    // line handed out in stream mode already knows whether a blank line precedes it. Only
    // blank lines can differ from the command line's text, never words.
    TessBaseAPISetVariable(api, "paragraph_text_based", "0")
    while let job = queue.take() {
      guard ready else {
        job.fail(TesseractError.initFailed(languages: languages))
        continue
      }
      guard !job.cancelled.isSet else {
        job.fail(CancellationError())
        continue
      }
      switch job.work {
      case .text(let mode, let continuation):
        recognize(job.page, mode: mode, continuation, cancelled: job.cancelled)
      case .words(let continuation):
        continuation.resume(with: readWords(job.page, cancelled: job.cancelled))
      }
    }
    TessBaseAPIEnd(api)
    TessBaseAPIDelete(api)
    queue.workerStopped()
  }

  private func recognize(
    _ page: PageImage, mode: OCRMode,
    _ continuation: AsyncThrowingStream<EngineOutput, Error>.Continuation, cancelled: CancelFlag
  ) {
    guard let image = LeptonicaImage(png: page.bytes) else {
      continuation.finish(throwing: TesseractError.undecodableImage(page: page.number))
      return
    }
    TessBaseAPISetImage2(api, image.pix)
    defer { TessBaseAPIClear(api) }
    // Both modes read the page the same way; stream mode only hands lines out earlier.
    let emit: ((String) -> Void)? = mode == .stream ? { continuation.yield(.delta($0)) } : nil
    let reading = PageRecognition(
      api: api, cancelled: cancelled, wordsRead: wordsRead, emit: emit)
    guard let rest = withExtendedLifetime(image, { reading.run() }) else {
      continuation.finish(throwing: CancellationError())
      return
    }
    if !rest.isEmpty { continuation.yield(.delta(rest)) }
    var info = CompletionInfo()
    info.finishReason = .stop
    continuation.yield(.finished(info))
    continuation.finish()
  }

  /// The page read as batch mode reads it, then its words with their confidences
  /// (`RIL_WORD`), its layout (from the same recognition) and its ink.
  private func readWords(_ page: PageImage, cancelled: CancelFlag) -> Result<
    TesseractReading, Error
  > {
    guard let image = LeptonicaImage(png: page.bytes) else {
      return .failure(TesseractError.undecodableImage(page: page.number))
    }
    let ink = image.inkShare()
    TessBaseAPISetImage2(api, image.pix)
    defer { TessBaseAPIClear(api) }
    let reading = PageRecognition(api: api, cancelled: cancelled, wordsRead: wordsRead, emit: nil)
    guard withExtendedLifetime(image, { reading.run() }) != nil else {
      return .failure(CancellationError())
    }
    var layout = PageLayoutReader.layout(api)
    (layout.imageWidth, layout.imageHeight) = (page.width, page.height)
    layout.ink = image.inkMask()
    return .success(TesseractReading(words: PageLines.words(api), ink: ink, layout: layout))
  }
}

/// Pages waiting for a free worker.
final class JobQueue: Sendable {
  private struct State {
    var jobs: [TesseractJob] = []
  }
  private let state = Mutex(State())
  private let available = DispatchSemaphore(value: 0)
  private let stopped = DispatchSemaphore(value: 0)

  func put(_ job: TesseractJob) {
    state.withLock { $0.jobs.append(job) }
    available.signal()
  }

  /// Blocks until a job arrives; nil once the queue is closed.
  func take() -> TesseractJob? {
    available.wait()
    return state.withLock { state in
      state.jobs.isEmpty ? nil : state.jobs.removeFirst()
    }
  }

  func workerStopped() { stopped.signal() }

  /// Ends the workers — pages still queued are cancelled, not read — and waits for them to
  /// release tesseract.
  func close(workers: Int) {
    state.withLock { state in for job in state.jobs { job.cancelled.set() } }
    for _ in 0..<workers { available.signal() }
    for _ in 0..<workers { stopped.wait() }
  }
}

/// libgomp reads OMP_THREAD_LIMIT only when it loads, and tesseract's `num_threads` clauses
/// override `omp_set_num_threads`; but a thread whose max-active-levels is 0 runs every
/// parallel region on itself alone. Measured here: 0.43 s per page instead of 2.97 s.
enum OpenMP {
  static func runSingleThreaded() {
    typealias SetLevels = @convention(c) (Int32) -> Void
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "omp_set_max_active_levels")
    else { return }  // a tesseract built without OpenMP
    unsafeBitCast(symbol, to: SetLevels.self)(0)
  }
}

/// The kernel ids of an engine's worker threads (how tests see their scheduling in
/// `/proc/self/task/TID/sched`), and how a thread makes itself idle.
final class ThreadIDs: Sendable {
  private let ids = Mutex<[Int32]>([])

  func add(_ id: Int32) { ids.withLock { $0.append(id) } }
  var all: [Int32] { ids.withLock { $0 } }

  /// The calling thread's kernel id, from `/proc/thread-self` ("PID/task/TID"); 0 elsewhere.
  static var current: Int32 {
    let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"))
    return link.flatMap { $0.split(separator: "/").last }.flatMap { Int32($0) } ?? 0
  }

  /// Puts the calling thread (not the process: on Linux the policy is per thread) in
  /// `SCHED_IDLE`, else at the lowest nice value.
  static func makeCurrentIdle() {
    #if os(Linux)
      var parameter = sched_param()
      parameter.sched_priority = 0
      // SCHED_IDLE is 5 in Linux's ABI; glibc declares the name only under _GNU_SOURCE.
      let schedIdle: Int32 = 5
      if sched_setscheduler(0, schedIdle, &parameter) != 0 {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(current), 19)
      }
    #endif
  }
}

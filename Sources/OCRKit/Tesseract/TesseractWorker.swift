import CTesseract
import Foundation
import Synchronization

/// One page for a worker, and where its text goes.
struct TesseractJob: Sendable {
  let page: PageImage
  let mode: OCRMode
  let continuation: AsyncThrowingStream<EngineOutput, Error>.Continuation
  let cancelled: CancelFlag
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

  init(languages: String, queue: JobQueue, wordsRead: Counter) {
    self.languages = languages
    self.queue = queue
    self.wordsRead = wordsRead
    let thread = Thread { [self] in run() }
    thread.name = "ocrview.tesseract"
    thread.start()
  }

  private func run() {
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
        job.continuation.finish(throwing: TesseractError.initFailed(languages: languages))
        continue
      }
      guard !job.cancelled.isSet else {
        job.continuation.finish(throwing: CancellationError())
        continue
      }
      recognize(job)
    }
    TessBaseAPIEnd(api)
    TessBaseAPIDelete(api)
    queue.workerStopped()
  }

  private func recognize(_ job: TesseractJob) {
    guard let image = LeptonicaImage(png: job.page.bytes) else {
      job.continuation.finish(throwing: TesseractError.undecodableImage(page: job.page.number))
      return
    }
    TessBaseAPISetImage2(api, image.pix)
    defer { TessBaseAPIClear(api) }
    // Both modes read the page the same way; stream mode only hands lines out earlier.
    let emit: ((String) -> Void)? =
      job.mode == .stream ? { job.continuation.yield(.delta($0)) } : nil
    let reading = PageRecognition(
      api: api, cancelled: job.cancelled, wordsRead: wordsRead, emit: emit)
    guard let rest = withExtendedLifetime(image, { reading.run() }) else {
      job.continuation.finish(throwing: CancellationError())
      return
    }
    if !rest.isEmpty { job.continuation.yield(.delta(rest)) }
    var info = CompletionInfo()
    info.finishReason = "stop"
    job.continuation.yield(.finished(info))
    job.continuation.finish()
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

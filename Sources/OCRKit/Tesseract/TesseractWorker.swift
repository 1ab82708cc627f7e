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

/// Set from any thread when the consumer goes away; read by the worker between regions.
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
  private let regionsRead: Counter
  /// Space kept around a block so its edge glyphs read as in the whole page (measured: 4–12
  /// px gave the same words on the samples; Korean was the most sensitive).
  static let regionPadding: Int32 = 8

  init(languages: String, queue: JobQueue, regionsRead: Counter) {
    self.languages = languages
    self.queue = queue
    self.regionsRead = regionsRead
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
    switch job.mode {
    case .batch:
      // As the `tesseract` command line reads a page.
      TessBaseAPISetPageSegMode(api, PSM_AUTO)
      if let text = utf8Text(), !text.isEmpty { job.continuation.yield(.delta(text)) }
    case .stream:
      // The blocks of the command line's own layout analysis (PSM_AUTO), each read with
      // PSM_AUTO inside its rectangle: measured on the sample pages (English, a ruled table,
      // the scan, Korean), the same words as the whole page in 1.0–1.2× its time. Paragraphs
      // or lines read as single blocks/lines turned ruled tables into noise.
      TessBaseAPISetPageSegMode(api, PSM_AUTO)
      let regions = blocks(width: image.width, height: image.height)
      var first = true
      for region in regions {
        if job.cancelled.isSet {
          job.continuation.finish(throwing: CancellationError())
          return
        }
        TessBaseAPISetRectangle(api, region.x, region.y, region.width, region.height)
        regionsRead.increment()
        guard let text = utf8Text(), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else { continue }
        // Blocks are separated by a blank line, as in tesseract's own page text.
        job.continuation.yield(.delta(first ? text : "\n" + text))
        first = false
      }
    }
    var info = CompletionInfo()
    info.finishReason = "stop"
    job.continuation.yield(.finished(info))
    job.continuation.finish()
  }

  /// Block rectangles in reading order, padded and clipped to the image.
  private func blocks(width: Int, height: Int) -> [(
    x: Int32, y: Int32, width: Int32, height: Int32
  )] {
    guard let iterator = TessBaseAPIAnalyseLayout(api) else { return [] }
    defer { TessPageIteratorDelete(iterator) }
    var regions: [(Int32, Int32, Int32, Int32)] = []
    repeat {
      var left: Int32 = 0
      var top: Int32 = 0
      var right: Int32 = 0
      var bottom: Int32 = 0
      guard TessPageIteratorBoundingBox(iterator, RIL_BLOCK, &left, &top, &right, &bottom) != 0
      else { continue }
      let pad = Self.regionPadding
      let x = max(0, left - pad)
      let y = max(0, top - pad)
      let maxX = min(Int32(width), right + pad)
      let maxY = min(Int32(height), bottom + pad)
      if maxX > x, maxY > y { regions.append((x, y, maxX - x, maxY - y)) }
    } while TessPageIteratorNext(iterator, RIL_BLOCK) != 0
    return regions
  }

  private func utf8Text() -> String? {
    guard let text = TessBaseAPIGetUTF8Text(api) else { return nil }
    defer { TessDeleteText(text) }
    return String(cString: text)
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

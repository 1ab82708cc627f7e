import Synchronization

/// What to run: which pages, how, and how many at once.
public struct RunPlan: Sendable {
  /// 1-based page numbers, in the order they are to be read.
  public var pages: [Int]
  /// The mode pages start in; `RunControl.setMode` changes it for pages not yet started.
  public var mode: OCRMode
  /// Longest side, in pixels, of the image sent for a page.
  public var maxSide: Int
  /// Pages in flight at once: fixed (one per server slot), or adapted to the server.
  public var concurrency: Concurrency
  /// When a failed page is tried again.
  public var retry = RetryPolicy()
  /// Stop a page whose text ends in a repetition loop (`--no-loop-guard` turns it off).
  public var loopGuard = true
  /// A page whose read loops, is cut at the token limit or comes back empty is read again,
  /// warmer (`--rescue N`).
  public var rescue = RescuePolicy()
  /// The server to read the queue of, so the in-flight limit follows it (`QueueLimit`);
  /// nil: the limit is fixed or AIMD alone.
  public var serverLoad: ServerLoadSource?
  /// A pool's servers, each read for its own queue; nil: the pool's slots and the fixed or
  /// AIMD limit alone.
  public var poolLoad: PoolLoadSource?
  /// Pages an earlier run left in the journal: finished ones are not read again, partial
  /// ones are shown until their new text comes.
  public var restored: [Int: JournalSnapshot.Page] = [:]

  public init(
    pages: [Int], mode: OCRMode, maxSide: Int = RequestedSettings.defaultMaxSide,
    concurrency: Int = 1
  ) {
    self.init(pages: pages, mode: mode, maxSide: maxSide, concurrency: .fixed(concurrency))
  }

  public init(
    pages: [Int], mode: OCRMode, maxSide: Int = RequestedSettings.defaultMaxSide,
    concurrency: Concurrency
  ) {
    self.pages = pages
    self.mode = mode
    self.maxSide = maxSide
    self.concurrency = concurrency
  }
}

/// What to run — one document, one engine, a plan, a journal — and how: `start()` OCRs its
/// pages, rendering each just ahead of need, and hands back the run's `RunControl`. (The
/// viewer's `RequestedRun` stands in for a run asked for and not started yet.)
///
/// Up to `concurrency` pages are in flight — a page starts only while fewer hold a permit of
/// the `InFlightGate`, whose limit an adaptive plan moves — and as many more are rendered
/// ahead, so the first request leaves as soon as page 1 alone is rendered, whatever the page
/// count.
public struct RunRecipe: Sendable {
  public let document: OpenedDocument
  public let engine: any OCREngine
  public let plan: RunPlan
  /// Where every event is recorded as it happens, so a crash loses nothing received.
  public let journal: JournalWriter?
  /// Given each page's image once its request has left (the referee of `--check` reads it
  /// then, never before the model has it).
  public var imageSent: (@Sendable (PageImage) -> Void)?

  public init(
    document: OpenedDocument, engine: any OCREngine, plan: RunPlan, journal: JournalWriter? = nil
  ) {
    self.document = document
    self.engine = engine
    self.plan = plan
    self.journal = journal
  }

  /// Starts the run. Its events end with `.documentFinished`, also after `cancel()`;
  /// abandoning the stream cancels the run too.
  public func start() -> RunControl {
    let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self)
    let cancels = PageCancels()
    let mode = LiveMode(plan.mode)
    let task = Task { [journal] in
      await run(
        cancels: cancels, mode: mode,
        emit: { event in
          journal?.record(event)
          continuation.yield(event)
        })
      await journal?.flush()
      continuation.finish()
    }
    continuation.onTermination = { _ in task.cancel() }
    return RunControl(events: stream, task: task, cancels: cancels, mode: mode)
  }

  private func run(
    cancels: PageCancels, mode: LiveMode, emit: @escaping @Sendable (RunEvent) -> Void
  ) async {
    let started = ContinuousClock.now
    let tally = RunTally(started: started)
    var toRead: [Int] = []
    for page in plan.pages {
      switch plan.restored[page] {
      case let restored? where restored.stats != nil:
        await tally.pageDone()
        emit(.pageFinished(page: page, text: restored.text, stats: restored.stats!))
      case let restored?:
        // A page whose journaled reads all came back empty has no text to show meanwhile.
        if !restored.text.isEmpty { emit(.pagePartialRestored(page: page, text: restored.text)) }
        toRead.append(page)
      case nil:
        toRead.append(page)
      }
    }
    let gate = InFlightGate(plan.concurrency, serverLoad: plan.serverLoad, started: started)
    if plan.concurrency.isAdaptive {
      emit(.concurrencyChanged(limit: gate.limit))
    }
    let prefetcher = PagePrefetcher(
      pages: toRead, aheadLimit: gate.limit,
      render: { [document, plan] page, urgency async throws(DocumentError) -> PageImage in
        emit(.pageRendering(page: page))
        return try await document.render(page: page, maxSide: plan.maxSide, urgency: urgency)
      })
    await withTaskGroup(of: Void.self) { group in
      if let source = plan.serverLoad, !toRead.isEmpty {
        group.addTask {
          await pollServerLoad(source, gate: gate, prefetcher: prefetcher, emit: emit)
        }
        group.addTask { await sendAhead(source, gate: gate, prefetcher: prefetcher) }
      }
      if let source = plan.poolLoad, !toRead.isEmpty {
        group.addTask {
          await pollPoolLoad(source, gate: gate, prefetcher: prefetcher, emit: emit)
        }
      }
      // A worker per page that may ever be in flight; the gate holds back those beyond the
      // current limit.
      for _ in 0..<min(plan.concurrency.maximum, toRead.count) {
        group.addTask {
          while let permit = await gate.acquire() {
            guard let (page, rendered) = await prefetcher.next() else {
              gate.release()
              break
            }
            // A page cancelled on its own (re-run elsewhere) is reported and skipped.
            guard !cancels.isCancelled(page) else {
              await tally.pageFailed()
              emit(.pageFailed(page: page, error: .cancelled, partial: "", stats: nil))
              gate.release()
              continue
            }
            // The mode is read as the page starts: a switch reaches every page not yet sent.
            let holdsPermit = await runPage(
              page, mode: mode.current, rendered: rendered, permit: permit, tally: tally,
              prefetcher: prefetcher, gate: gate, cancels: cancels, emit: emit)
            if holdsPermit { gate.release() }
          }
        }
      }
    }
    // Pages never attempted (cancelled, or the server was unusable) fail with the reason.
    let reason = await tally.fatalError ?? .cancelled
    for page in await prefetcher.drain() {
      await tally.pageFailed()
      emit(.pageFailed(page: page, error: reason, partial: "", stats: nil))
    }
    var stats = await tally.stats(at: .now)
    stats.concurrency = gate.stats()
    emit(.documentFinished(stats))
  }

  /// Reads one page under `permit`, retrying as the policy says; false when it gave its
  /// permit back (a cancelled wait to retry after an overload).
  private func runPage(
    _ page: Int, mode: OCRMode, rendered: Result<PageImage, DocumentError>,
    permit: InFlightGate.Permit, tally: RunTally, prefetcher: PagePrefetcher,
    gate: InFlightGate, cancels: PageCancels,
    emit: @escaping @Sendable (RunEvent) -> Void
  ) async -> Bool {
    let image: PageImage
    switch rendered {
    case .success(let value): image = value
    case .failure(let error):
      await tally.pageFailed()
      emit(.pageFailed(page: page, error: .document(error), partial: "", stats: nil))
      return true
    }
    var attempts = 0
    // Times the server turned the page away for load: counted apart, so they do not use up
    // the retries a broken connection gets.
    var busyAttempts = 0
    var holdsPermit = true
    // Sent ahead for a slot about to free (`LookAhead`): only the first request is.
    var permit = permit
    // The most text any attempt got (an earlier run's too): what a page failing in the end keeps.
    var mostText = plan.restored[page]?.text ?? ""
    // Whether the page has no ink, measured once, the first time an answer has no text.
    var blank: Bool?
    // Reads of the page that ended (an interrupted run's too): the rescue ladder goes on from
    // them, and the best of them is kept.
    var reads = PageReads(restored: plan.restored[page]?.reads ?? [], mode: mode)
    // The temperature of the next read; nil: the engine's own.
    var temperature: Double?
    if !reads.attempts.isEmpty {
      guard let next = rescuing ? plan.rescue.nextTemperature(after: reads.attempts) : nil else {
        // An earlier run spent every read this run allows: the best of them stands.
        return await finish(page, reads, tally: tally, emit: emit)
      }
      temperature = next
    }
    while true {
      // A server that asked to wait (429, Retry-After) gets no request until then.
      await engine.acceptingRequests()
      let flight = gate.sent(permit)
      permit = InFlightGate.Permit()
      // Each attempt is a task of its own, so this one page can be cancelled alone.
      let options = ReadOptions(mode: mode, temperature: temperature)
      let request = Task {
        await attempt(page, image, options, tally: tally, emit: emit) {
          await prefetcher.prefetch()
        }
      }
      cancels.register(page, request)
      let result = await withTaskCancellationHandler {
        await request.value
      } onCancel: {
        request.cancel()
      }
      cancels.unregister(page)
      if result.failure == nil, rescuing {
        // The read ended: judged, and read again warmer if it ended badly.
        let empty = result.text.allSatisfy(\.isWhitespace)
        if empty, blank == nil { blank = await Self.looksBlank(image) }
        let read = PageAttempt(
          reason: RescueReason.judging(
            finish: result.stats.finishReason, text: result.text, blank: empty ? blank : false),
          temperature: temperature ?? engine.temperature ?? 0,
          characters: result.text.count, outputTokens: result.stats.outputTokens)
        reads.append(read, text: result.text, stats: result.stats)
        // A read the loop guard stopped was cut short by the client: no latency to learn from.
        if read.reason == .loop {
          gate.dropped(flight)
        } else if let limit = gate.completed(flight) {
          await changed(limit: limit, prefetcher: prefetcher, emit: emit)
        }
        if let next = plan.rescue.nextTemperature(after: reads.attempts), !Task.isCancelled,
          !cancels.isCancelled(page)
        {
          emit(
            .pageRescuing(page: page, attempt: read, text: result.text, nextTemperature: next))
          temperature = next
          continue
        }
        return await finish(page, reads, tally: tally, emit: emit)
      }
      guard var failure = result.failure else {
        await tally.pageDone()
        if let limit = gate.completed(flight) {
          await changed(limit: limit, prefetcher: prefetcher, emit: emit)
        }
        emit(.pageFinished(page: page, text: result.text, stats: result.stats))
        return true
      }
      if result.text.count > mostText.count { mostText = result.text }
      let wasUp = await tally.engineAnswered
      let overload = failure.isOverload(serverWasUp: wasUp)
      if overload {
        busyAttempts += 1
        if let limit = gate.overloaded(flight) {
          await changed(limit: limit, prefetcher: prefetcher, emit: emit)
        }
      } else {
        gate.dropped(flight)
        attempts += 1
      }
      if let delay = plan.retry.delay(
        after: failure, attempt: overload ? busyAttempts : attempts, serverWasUp: wasUp),
        !Task.isCancelled,
        !cancels.isCancelled(page)
      {
        emit(
          .pageRetrying(
            page: page, attempt: attempts + busyAttempts, error: failure, after: delay))
        // A page turned away for load waits without its permit, and queues for one first
        // thing: the smaller limit holds for it too.
        if overload, plan.concurrency.isAdaptive {
          gate.release()
          try? await Task.sleep(for: delay)
          holdsPermit = await gate.acquire(first: true) != nil
        } else {
          try? await Task.sleep(for: delay)
        }
        if holdsPermit, !Task.isCancelled, !cancels.isCancelled(page) { continue }
        failure = .cancelled
      }
      if failure.isFatalForRun {
        await tally.setFatal(failure)
        await prefetcher.stop()
      }
      // A rescue that could not be read (the server went away) leaves the page its best read
      // so far; a cancelled page keeps the most text any of its reads got.
      if !reads.attempts.isEmpty, failure != .cancelled, holdsPermit {
        return await finish(page, reads, tally: tally, emit: emit)
      }
      if let best = reads.attempts.isEmpty ? nil : reads.kept.text,
        best.count > mostText.count
      {
        mostText = best
      }
      await tally.pageFailed()
      emit(.pageFailed(page: page, error: failure, partial: mostText, stats: result.stats))
      return holdsPermit
    }
  }

  /// Whether reads that end badly are judged and rescued: a server's (the built-in engine
  /// reads the same text every time).
  private var rescuing: Bool { engine.kind == .server }

  /// Ends a page with the best of its reads: finished, or failed with `noText` when even the
  /// best read has no text on a page with ink. Returns true (the permit is still held).
  private func finish(
    _ page: Int, _ reads: PageReads, tally: RunTally, emit: @Sendable (RunEvent) -> Void
  ) async -> Bool {
    let (text, stats, reason) = reads.kept
    if reason == .empty {
      await tally.pageFailed()
      emit(.pageFailed(page: page, error: .server(.noText), partial: text, stats: stats))
    } else {
      await tally.pageDone()
      emit(.pageFinished(page: page, text: text, stats: stats))
    }
    return true
  }

  /// Whether a page has too little ink to hold text, by `--check`'s measure and threshold
  /// (`PageCheck.Thresholds.blankInk`). Decoding the image blocks: it runs off the pool.
  static func looksBlank(_ image: PageImage) async -> Bool {
    await BlockingQueue.onThread {
      guard let decoded = LeptonicaImage(png: image.bytes) else { return false }
      return decoded.inkShare() < PageCheck.Thresholds.standard.blankInk
    }
  }

  /// The adaptive limit moved: reported, and the look-ahead follows it.
  private func changed(
    limit: Int, prefetcher: PagePrefetcher, emit: @Sendable (RunEvent) -> Void
  ) async {
    await prefetcher.setAheadLimit(limit)
    emit(.concurrencyChanged(limit: limit))
  }

  /// One request for a page: its text, stats, and why it failed (nil: it finished).
  private func attempt(
    _ page: Int, _ image: PageImage, _ options: ReadOptions, tally: RunTally,
    emit: @Sendable (RunEvent) -> Void,
    sent: @Sendable () async -> Void
  ) async -> AttemptResult {
    let mode = options.mode
    emit(.pageStarted(page: page, mode: mode))
    var timer = PageTimer(mode: mode, sentAt: .now)
    var text = ""
    var info: CompletionInfo?
    var failure: OCRError?
    var loops = plan.loopGuard ? LoopGuard() : nil
    do {
      let outputs = engine.recognize(image, options)
      await sent()
      imageSent?(image)
      reading: for try await output in outputs {
        switch output {
        case .delta(let delta):
          timer.recordDelta(at: .now)
          if text.isEmpty { await tally.sawText(at: .now) }
          let before = text.utf8.count
          text += delta
          if let keep = loops?.feed(delta, text: text) {
            // Only the text up to the loop is passed on; leaving the loop ends the request
            // (the connection closes and the server stops generating).
            text = String(decoding: text.utf8.prefix(keep), as: UTF8.self)
            let kept = String(decoding: text.utf8.dropFirst(min(before, keep)), as: UTF8.self)
            if !kept.isEmpty { emit(.delta(page: page, text: kept)) }
            info = CompletionInfo()
            info?.finishReason = .loop
            break reading
          }
          emit(.delta(page: page, text: delta))
        case .finished(let completion):
          info = completion
        }
      }
      if Task.isCancelled, info == nil { failure = .cancelled }
    } catch {
      failure = OCRError(error)
    }
    let stats = timer.stats(endedAt: .now, info: info, image: image, text: text)
    if failure == nil, info == nil {
      failure = .engine("the engine ended without finishing the page")
    }
    return (text, stats, failure)
  }
}

/// A started run, as `RunRecipe.start()` hands it back: its events, and ways to stop it (or
/// a page of it) that still report every page, and to change the mode of pages not yet sent.
public struct RunControl: Sendable {
  public let events: AsyncStream<RunEvent>
  let task: Task<Void, Never>
  let cancels: PageCancels
  let mode: LiveMode

  /// Cancels pages in flight (their partial text is reported) and the pages not yet started.
  public func cancel() { task.cancel() }

  /// The mode of every page not yet sent (rendered-ahead ones included); pages in flight
  /// finish in theirs. The viewer's `m`, reaching the document that is running.
  public func setMode(_ mode: OCRMode) { self.mode.current = mode }

  /// Cancels one page — in flight or not yet started — and lets the others run on.
  public func cancel(page: Int) { cancels.cancel(page) }
}

/// The mode a run's next page starts in, changed while the run goes on.
final class LiveMode: Sendable {
  private let value: Mutex<OCRMode>
  init(_ mode: OCRMode) { value = Mutex(mode) }
  var current: OCRMode {
    get { value.withLock { $0 } }
    set { value.withLock { $0 = newValue } }
  }
}

/// The pages of a run cancelled one by one, and the requests to stop for them.
final class PageCancels: Sendable {
  private let state = Mutex<(cancelled: Set<Int>, requests: [Int: Task<AttemptResult, Never>])>(
    ([], [:]))

  func cancel(_ page: Int) {
    let request = state.withLock { state in
      state.cancelled.insert(page)
      return state.requests[page]
    }
    request?.cancel()
  }

  func isCancelled(_ page: Int) -> Bool { state.withLock { $0.cancelled.contains(page) } }

  func register(_ page: Int, _ request: Task<AttemptResult, Never>) {
    let cancelNow = state.withLock { state in
      state.requests[page] = request
      return state.cancelled.contains(page)
    }
    if cancelNow { request.cancel() }
  }

  func unregister(_ page: Int) { _ = state.withLock { $0.requests.removeValue(forKey: page) } }
}

typealias AttemptResult = (text: String, stats: PageStats, failure: OCRError?)

/// Counts what happened across the pages of one run.
private actor RunTally {
  private var stats = DocumentStats()
  private let started: ContinuousClock.Instant
  private(set) var fatalError: OCRError?
  /// Some page got text from the engine in this run: the server was up.
  private(set) var engineAnswered = false

  init(started: ContinuousClock.Instant) { self.started = started }

  func sawText(at instant: ContinuousClock.Instant) {
    engineAnswered = true
    if stats.timeToFirstText == nil { stats.timeToFirstText = instant - started }
  }
  func pageDone() { stats.pagesDone += 1 }
  func pageFailed() { stats.pagesFailed += 1 }
  func setFatal(_ error: OCRError) { if fatalError == nil { fatalError = error } }

  func stats(at instant: ContinuousClock.Instant) -> DocumentStats {
    var result = stats
    result.total = instant - started
    return result
  }
}

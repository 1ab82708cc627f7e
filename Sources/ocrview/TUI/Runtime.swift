import Dispatch
import Foundation
import OCRKit
import OCRViewUI
import Synchronization

/// Performs `update`'s effects — the viewer's I/O — and posts their results as events
/// (bubbletea's commands). It decides nothing: which document, run, engine and mode are in
/// each effect. What it holds is what the model cannot: the open documents, the runs and the
/// engines made so far, keyed by the ids the effects carry.
final class Runtime: Sendable {
  private struct State {
    /// Opened documents by open id; a run drops the older ones.
    var documents: [Int: OpenedDocument] = [:]
    var runs: [Int: RequestedRun] = [:]
    /// Each engine is made once and kept for the session.
    var engines: [EngineKind: EngineSelection] = [:]
    /// The referee of `K`, while checking is on.
    var referee: PageReferee?
  }

  private let state = Mutex(State())
  private let services: RuntimeServices
  private let post: @Sendable (Event) -> Void
  /// Directory listings and saves: blocking file I/O, one at a time, in order.
  private let files = DispatchQueue(label: "ocrview.files")
  /// Decoded pages for the page pane, and the queue that draws them.
  private let images = PageImages()

  init(services: RuntimeServices, post: @escaping @Sendable (Event) -> Void) {
    self.services = services
    self.post = post
  }

  /// Starts an effect and returns at once; nothing here blocks the caller (the UI thread).
  func perform(_ effect: Effect) {
    switch effect {
    case .listDirectory(let path):
      files.async { [services, post] in
        do {
          post(.directoryListed(path: path, entries: try services.listDirectory(path)))
        } catch {
          post(
            .directoryFailed(
              path: path, message: "\(path): cannot list it (\(error.localizedDescription))"))
        }
      }
    case .selectEngine:
      Task { [services, post] in
        await self.ready { try await services.selectEngine { post(.serverLoading(url: $0)) } }
      }
    case .switchEngine(let kind, let grounding):
      // Each kind is made once; the servers again only to turn grounding on or off.
      if let made = state.withLock({ $0.engines[kind] }),
        grounding == nil || grounding == made.profile?.grounding
      {
        post(.engineSelected(info(made)))
      } else {
        Task { [services] in await self.ready { try await services.makeEngine(kind, grounding) } }
      }
    case .openDocument(let id, let path, let password):
      Task { [services, post] in
        do {
          let document = try await services.openDocument(path, password)
          self.state.withLock { $0.documents[id] = document }
          post(.documentOpened(id: id, path: path, pageCount: document.pageCount))
        } catch DocumentError.encrypted {
          post(.documentNeedsPassword(id: id, path: path, wrong: false))
        } catch DocumentError.wrongPassword {
          post(.documentNeedsPassword(id: id, path: path, wrong: true))
        } catch {
          post(.documentFailed(id: id, path: path, message: "\(error)"))
        }
      }
    case .startRun(let run, let document, let pages, let mode, let engine, let journal):
      startRun(run, document: document, pages: pages, mode: mode, engine: engine, journal: journal)
    case .setMode(let mode):
      for run in state.withLock({ Array($0.runs.values) }) { run.setMode(mode) }
    case .drawPageImage(let key):
      drawPageImage(key)
    case .copyToClipboard:
      break  // the terminal's to do (App), never the runtime's
    case .cancelRuns, .quit:
      cancelRuns()
    case .checkPages(let id, let requests):
      checkPages(id, requests)
    case .stopChecking:
      if let referee = state.withLock({ state in
        defer { state.referee = nil }
        return state.referee
      }) {
        Task { await referee.shutdown() }
      }
    case .saveSearchablePDF(let id, let requests, let grounded):
      saveSearchablePDF(id, requests, grounded: grounded)
    case .save(let text, let documentPath):
      files.async { [services, post] in
        do {
          post(.saved(path: try services.save(text, documentPath)))
        } catch {
          post(
            .saveFailed(message: "could not save the transcript: \(error.localizedDescription)"))
        }
      }
    }
  }

  /// Keeps the engine `make` gives and reports it, or why there is none.
  private func ready(_ make: () async throws -> EngineSelection) async {
    do {
      let selection = try await make()
      state.withLock { $0.engines[selection.engine.kind] = selection }
      post(.engineSelected(info(selection)))
    } catch {
      post(.engineFailed(message: "\(error)"))
    }
  }

  private func info(_ selection: EngineSelection) -> EngineInfo {
    let kind = selection.engine.kind
    return EngineInfo(
      kind: kind, label: selection.engine.label, reason: selection.reason,
      serverLoading: selection.serverLoading, insecure: kind == .server && services.insecure,
      profile: selection.profile?.summary, maxSide: selection.maxSide,
      groundingAvailable: selection.profile?.model.grounding ?? false,
      grounding: selection.profile?.grounding ?? false)
  }

  private func startRun(
    _ run: Int, document id: Int, pages: [Int], mode: OCRMode, engine kind: EngineKind,
    journal use: JournalUse
  ) {
    let handle = RequestedRun(mode: mode)
    let (document, selection, older) = state.withLock { state in
      state.documents = state.documents.filter { $0.key >= id }
      state.runs[run] = handle
      return (
        state.documents[id], state.engines[kind], state.runs.filter { $0.key != run }.map(\.value)
      )
    }
    // A page re-run here is no longer the older runs' to do: stop it there.
    for other in older { for page in pages { other.cancel(page: page) } }
    guard let document, let selection else {
      // Never asked for by update (it waits for both); said rather than left queued forever.
      let reason = OCRError.engine("the document or engine is gone — open the document again")
      for page in pages {
        post(.run(.pageFailed(page: page, error: reason, partial: "", stats: nil), run: run))
      }
      post(.run(.documentFinished(DocumentStats()), run: run))
      return
    }
    let (services, post) = (services, post)
    Task {
      var plan = services.plan(pages, mode, selection)
      var writer: JournalWriter?
      if var journal = services.journal(selection) {
        // --fresh turns the opening run's restore into forget; r and R say what they want.
        if use != .restore { journal.use = use }
        let prepared = await journal.prepare(plan, for: document)
        (plan, writer) = (prepared.plan, prepared.writer)
        if let warning = prepared.warning { post(.journalUnavailable(message: warning)) }
      }
      // Pages are checked when `update` asks (`K`), by the referee of the moment.
      let checked = CheckedRun(
        starting: RunRecipe(
          document: document, engine: selection.engine, plan: plan, journal: writer),
        referee: { self.state.withLock { $0.referee } },
        grounded: selection.profile?.grounding ?? false, asking: .whenAsked)
      handle.attach(checked)
      for await item in checked.items {
        switch item {
        case .run(let event): post(.run(event, run: run))
        case .checked(let page, let result):
          post(.pageChecked(document: id, page: page, run: run, result))
        }
      }
      self.state.withLock { state in
        if state.runs[run] === handle { state.runs[run] = nil }
      }
    }
  }

  /// Asks the runs that read these pages for their checks (the referee made on first use);
  /// each check comes back as its run's `.checked` item.
  private func checkPages(_ id: Int, _ requests: [CheckRequest]) {
    let (services, post) = (services, post)
    // Making the referee loads tesseract's data: not on the UI thread.
    Task {
      let asked = self.state.withLock {
        state -> Result<[(CheckRequest, RequestedRun?)], CheckUnavailable> in
        if state.referee == nil {
          switch services.referee() {
          case .success(let referee): state.referee = referee
          case .failure(let reason): return .failure(reason)
          }
        }
        return .success(requests.map { ($0, state.runs[$0.run]) })
      }
      switch asked {
      case .failure(let reason):
        post(.checkUnavailable(message: reason.said(by: "K")))
      case .success(let asked):
        let gone = PageReferee.Failure(description: "the document is no longer open")
        for (request, run) in asked {
          let taken = run?.check(page: request.page, text: request.text) ?? false
          if !taken {
            post(.pageChecked(document: id, page: request.page, run: request.run, .failure(gone)))
          }
        }
      }
    }
  }

  /// `P`: a reader of its own reads the pages at normal priority (someone waits for it), the
  /// model's words are placed on its readings, and the file is written beside the document.
  private func saveSearchablePDF(_ id: Int, _ requests: [CheckRequest], grounded: Bool) {
    guard let document = state.withLock({ $0.documents[id] }) else {
      return post(.searchablePDFFailed(message: "the document is no longer open"))
    }
    let (services, post) = (services, post)
    Task {
      let reader: PageReferee
      switch services.textLayerReader() {
      case .success(let made): reader = made
      case .failure(let error): return post(.searchablePDFFailed(message: error.description))
      }
      await reader.hurry(document)
      let pass = TextLayerPass(reader: reader)
      let maxSide = services.maxSideWithoutEngine
      let placed = await withTaskGroup(of: (Int, PlacedPage?).self) { group in
        for request in requests {
          group.addTask {
            let result = await pass.place(
              page: request.page, text: request.text, of: document, maxSide: maxSide,
              grounded: grounded)
            return (request.page, try? result.get())
          }
        }
        return await group.reduce(into: [Int: PlacedPage?]()) { $0[$1.0] = $1.1 }
      }
      await reader.shutdown()
      let pages = placed.values.compactMap { $0 }.sorted { $0.number < $1.number }
      let missing = placed.filter { $0.value == nil }.keys.sorted()
      do {
        let saved = try await BlockingQueue.onThread {
          Result { try services.saveSearchablePDF(pages, document) }
        }.get()
        post(.searchablePDFSaved(path: saved.path, missing: missing, kept: saved.kept))
      } catch {
        post(.searchablePDFFailed(message: "\(error)"))
      }
    }
  }

  /// The page pane's image: the page as OCR sees it (rendered on the document's own queue,
  /// decoded once and kept for the last few pages, so zooming and panning decode nothing),
  /// cut, scaled and turned into cells on the images queue — never on the UI thread.
  private func drawPageImage(_ key: PageImageKey) {
    guard let document = state.withLock({ $0.documents[key.document] }) else {
      return post(.pageImageFailed(key, message: "the document is no longer open"))
    }
    let maxSide = key.maxSide ?? services.maxSideWithoutEngine
    let (images, post) = (images, post)
    Task {
      let decoded: DecodedPage
      if let kept = images.decoded(key.document, key.page) {
        decoded = kept
      } else {
        do throws(DocumentError) {
          let page = try await document.render(page: key.page, maxSide: maxSide)
          guard let made = await images.queue.run({ DecodedPage(page) }) else {
            return post(.pageImageFailed(key, message: "the page image could not be decoded"))
          }
          decoded = made
          images.keep(made, key.document, key.page)
        } catch {
          return post(.pageImageFailed(key, message: error.description))
        }
      }
      let image = await images.queue.run { PagePaneState.PageImage.draw(decoded, for: key) }
      post(
        image.map { .pageImageReady(key, $0) }
          ?? .pageImageFailed(key, message: "the page image could not be drawn"))
    }
  }

  private func cancelRuns() {
    let runs = state.withLock { state in
      defer { state.runs.removeAll() }
      return Array(state.runs.values)
    }
    for run in runs { run.cancel() }
  }

  /// Ends everything: runs, and the engines (the built-in one's threads, so tesseract exits
  /// cleanly).
  func shutdown() async {
    cancelRuns()
    await state.withLock({ $0.referee })?.shutdown()
    for selection in state.withLock({ Array($0.engines.values) }) {
      await selection.engine.shutdown()
    }
  }

  /// `shutdown()` for the UI thread, which waits for it (never call it on the concurrency pool:
  /// it blocks a thread the shutdown itself may need).
  func shutdownWaiting() {
    let done = DispatchSemaphore(value: 0)
    Task {
      await shutdown()
      done.signal()
    }
    done.wait()
  }
}

/// The last few pages decoded for the page pane: zooming and panning reuse them.
private final class PageImages: Sendable {
  let queue = BlockingQueue("ocrview.images")
  private let kept = Mutex<[(document: Int, page: Int, image: DecodedPage)]>([])
  /// A decoded 1540-px page is a few MB: two are enough to flip between.
  private let capacity = 2

  func decoded(_ document: Int, _ page: Int) -> DecodedPage? {
    kept.withLock { $0.first { $0.document == document && $0.page == page }?.image }
  }

  func keep(_ image: DecodedPage, _ document: Int, _ page: Int) {
    kept.withLock { kept in
      kept.removeAll { $0.document == document && $0.page == page }
      kept.append((document, page, image))
      if kept.count > capacity { kept.removeFirst() }
    }
  }
}

import Dispatch
import Foundation
import OCRKit
import OCRViewUI
import Synchronization

/// Performs `update`'s effects: the I/O the pure model asks for. Results come back as events
/// through the inbox. Blocking work runs on queues of its own, never on the UI thread.
final class EffectRunner: @unchecked Sendable {
  // Safe: the mutable state below is only touched on the UI thread (perform is called there),
  // except inside `state`, which is locked.
  private let inbox: EventInbox
  private let options: EngineOptions
  private let outDirectory: String?
  private let transport = CurlTransport()
  private let files = DispatchQueue(label: "ocrview.files")
  /// Where the session's runs are journaled.
  private let journalStore: JournalStore
  private var document: OpenedDocument?
  private var engines = Engines()
  private var runs: [Int: RunHandle] = [:]

  /// The engines made so far (each made once, kept for the session).
  private struct Engines {
    var current: EngineSelection?
    var server: EngineSelection?
    var builtIn: EngineSelection?
  }

  init(inbox: EventInbox, options: EngineOptions, outDirectory: String?) {
    self.inbox = inbox
    self.options = options
    self.outDirectory = outDirectory
    journalStore = .standard(environment: ProcessInfo.processInfo.environment)
  }

  /// Picks the engine as the options say (probing the server), then reports it.
  func selectEngine() {
    let (options, transport, inbox) = (options, transport, inbox)
    let selected = SelectionBox()
    let semaphore = DispatchSemaphore(value: 0)
    Task.detached {
      do throws(TesseractError) {
        selected.value = .success(try await options.selectEngine(transport: transport))
      } catch {
        selected.value = .failure(error)
      }
      semaphore.signal()
    }
    semaphore.wait()
    switch selected.value {
    case .success(let selection)?:
      use(selection)
    case .failure(let error)?:
      engineError = error.description
      inbox.post(.saveFailed(message: error.description))
    case nil:
      break
    }
  }

  private func use(_ selection: EngineSelection) {
    engines.current = selection
    if selection.engine is TesseractEngine {
      engines.builtIn = selection
    } else {
      engines.server = selection
    }
    let isServer = !(selection.engine is TesseractEngine)
    // Skipped certificate checks are shown, never silent.
    let label =
      selection.engine.label
      + (isServer && options.insecure ? " · TLS NOT VERIFIED (--insecure)" : "")
    inbox.post(.engineSelected(label: label, reason: selection.reason, isServer: isServer))
  }

  func perform(_ effect: Effect) {
    switch effect {
    case .listDirectory(let path):
      files.async { [inbox] in
        do {
          inbox.post(.directoryListed(path: path, entries: try DirectoryLister.list(path)))
        } catch {
          inbox.post(
            .directoryFailed(
              path: path, message: "\(path): cannot list it (\(error.localizedDescription))"))
        }
      }
    case .openDocument(let path, let typed):
      // The current run goes on until the new document is open (update cancels it then).
      let (inbox, password) = (inbox, typed ?? options.pdfPassword)
      let opened = DocumentBox()
      Task {
        do throws(DocumentError) {
          let document = try await OpenedDocument.open(path: path, password: password)
          opened.set(document)
          inbox.post(.documentOpened(path: path, pageCount: document.pageCount))
        } catch {
          switch error {
          case .encrypted: inbox.post(.documentNeedsPassword(path: path, wrong: false))
          case .wrongPassword: inbox.post(.documentNeedsPassword(path: path, wrong: true))
          default: inbox.post(.documentFailed(path: path, message: error.description))
          }
        }
      }
      pendingDocument = opened
    case .startRun(let run, let pages, let mode, let journal):
      startRun(run, pages: pages, mode: mode, journal: journal)
    case .cancelRuns:
      cancelRuns()
    case .save(let text, let documentPath):
      files.async { [inbox, outDirectory] in
        do {
          inbox.post(
            .saved(path: try TranscriptFile.save(text, for: documentPath, in: outDirectory)))
        } catch {
          inbox.post(
            .saveFailed(message: "could not save the transcript: \(error.localizedDescription)"))
        }
      }
    case .switchEngine:
      switchEngine()
    case .quit:
      cancelRuns()
    }
  }

  private var pendingDocument: DocumentBox?
  /// Why no engine could be started, for the pages that then cannot run.
  private var engineError: String?

  private func startRun(_ run: Int, pages: [Int], mode: OCRMode, journal use: JournalUse) {
    if let opened = pendingDocument?.get() { document = opened }
    guard let document else { return }
    // A page re-run here is no longer the older runs' to do: stop it there.
    for (id, older) in runs where id != run {
      for page in pages { older.cancel(page: page) }
    }
    guard let selection = engines.current else {
      // No engine: say so on every page rather than leaving them queued forever.
      let reason = OCRError.engine(engineError ?? "no OCR engine could be started")
      for page in pages {
        inbox.post(.run(.pageFailed(page: page, error: reason, partial: "", stats: nil), run: run))
      }
      inbox.post(.run(.documentFinished(DocumentStats()), run: run))
      return
    }
    let handle = RunHandle()
    runs[run] = handle
    var journal = options.journal(for: selection.engine, store: journalStore)
    // --fresh turns the opening run's restore into forget; r and R say what they want.
    if use != .restore { journal.use = use }
    let plan = options.plan(pages: pages, mode: mode, concurrency: selection.concurrency)
    let (inbox, engine) = (inbox, selection.engine)
    Task {
      let (plan, writer, warning) = await journal.prepare(plan, for: document)
      if let warning { inbox.post(.saveFailed(message: warning)) }
      let running = DocumentRun(document: document, engine: engine, plan: plan, journal: writer)
        .start()
      handle.attach(running)
      for await event in running.events { inbox.post(.run(event, run: run)) }
    }
  }

  private func cancelRuns() {
    for run in runs.values { run.cancel() }
    runs.removeAll()
  }

  /// Server ↔ built-in, for pages started from now on.
  private func switchEngine() {
    let toBuiltIn = !(engines.current?.engine is TesseractEngine)
    if toBuiltIn {
      if let builtIn = engines.builtIn { return use(builtIn) }
      do throws(TesseractError) {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        use(
          EngineSelection(
            engine: try TesseractEngine(languages: options.lang, workers: workers),
            concurrency: workers,
            reason: "built-in Tesseract (switched with e)"))
      } catch {
        inbox.post(.saveFailed(message: error.description))
      }
    } else {
      if let server = engines.server { return use(server) }
      let servers = options.serverEngines(transport: transport)
      let engine: any OCREngine =
        servers.count == 1
        ? servers[0] : ServerPool(servers: servers, slots: servers.map { _ in 1 })
      use(
        EngineSelection(
          engine: engine, concurrency: options.concurrency ?? 1,
          reason: "\(engine.label) (switched with e)"))
    }
  }

  /// Ends everything: runs, and the built-in engine's workers (so tesseract exits cleanly).
  func shutdown() {
    cancelRuns()
    (engines.builtIn?.engine as? TesseractEngine)?.shutdown()
  }
}

/// A value handed from a task to the thread waiting for it.
private final class SelectionBox: @unchecked Sendable {
  // Safe: written once by the task before the semaphore is signalled, read after the wait.
  var value: Result<EngineSelection, TesseractError>?
}

/// The document being opened, handed from the opening task to the UI thread.
private final class DocumentBox: Sendable {
  private let document = Mutex<OpenedDocument?>(nil)
  func set(_ value: OpenedDocument) { document.withLock { $0 = value } }
  func get() -> OpenedDocument? { document.withLock { $0 } }
}

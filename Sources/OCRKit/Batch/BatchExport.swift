import Foundation

/// `ocrview batch export`: every page not yet in the journal as one line of OpenAI batch JSONL —
/// `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}` — whose body is the
/// request a live run sends (`ChatRequest.body`, batch mode, with the same settings), for
/// `vllm run-batch`, Ray Data or a hosted Batch API; and a manifest that import checks against.
///
/// Pages render on the document's render pool (one worker per core, as `ocrview ocr`), through
/// the same `PagePrefetcher`, at most `workers` rendered pages waiting: memory stays flat in
/// the number of pages. Lines are written off the concurrency pool.
public struct BatchExport: Sendable {
  public enum Images: String, Sendable, CaseIterable {
    /// `data:image/png;base64,…` in the line, as sent live.
    case inline
    /// `images/<document>-p<N>.png` beside the JSONL, referenced as `file://` (vLLM's
    /// `--allowed-local-media-path`).
    case files
  }

  public var paths: [String]
  /// `--pages`, applied to every document (nil: all).
  public var pages: String?
  public var settings: GenerationSettings
  /// The journal identity a live run with the same flags uses (`EngineSetup.journalIdentity`).
  public var identity: String
  public var maxSide: Int
  public var images = Images.inline
  public var directory: String
  public var store: JournalStore
  public var password: String?
  public var renderWorkers = OpenedDocument.defaultWorkers
  public var maxLines = BatchFiles.defaultMaxLines
  public var maxBytes = BatchFiles.defaultMaxBytes
  /// One line for people (stderr): each document as it is done, and what was skipped.
  public var report: @Sendable (String) -> Void = { _ in }
  /// After each page written: pages written so far in this export, and the time since it
  /// began (for a progress line).
  public var progress: @Sendable (_ written: Int, _ elapsed: Duration) -> Void = { _, _ in }

  public init(
    paths: [String], settings: GenerationSettings, identity: String, maxSide: Int,
    directory: String, store: JournalStore
  ) {
    self.paths = paths
    self.settings = settings
    self.identity = identity
    self.maxSide = maxSide
    self.directory = directory
    self.store = store
  }

  /// What an export wrote.
  public struct Summary: Sendable, Equatable {
    public var manifest: BatchManifest
    /// Pages left out because the journal has them finished already.
    public var alreadyDone = 0
    /// Pages or documents that could not be read (each reported).
    public var failures = 0
    public var exported: Int { manifest.documents.reduce(0) { $0 + $1.pages.count } }
  }

  /// Pages rendered ahead of the one being written: four per worker keeps every worker busy
  /// while lines are written, as `ocr`'s in-flight pages do (two per worker left the cores
  /// half idle: 4.0 s of CPU in 7.9 s for 324 pages on 2 cores); each waiting page is one
  /// encoded image, so memory stays flat.
  var lookAhead: Int { max(1, renderWorkers) * 4 }

  public func run() async throws(BatchError) -> Summary {
    try prepareDirectory()
    let started = ContinuousClock.now
    var written = 0
    let files = BatchFiles(directory: directory, maxLines: maxLines, maxBytes: maxBytes)
    let writer = BlockingQueue("ocrview.batch-export")
    var summary = Summary(manifest: BatchManifest(identity: identity, images: images.rawValue))
    for path in paths {
      let absolute = Self.absolute(path)
      guard
        let fingerprint = await BlockingQueue.onThread({
          ContentHash.fingerprint(fileAt: absolute)
        })
      else {
        report("\(ServerText.name(path)): cannot be read — skipped")
        summary.failures += 1
        continue
      }
      // A copy of a document is the same document to the journal; its lines would repeat
      // `custom_id`s, which batch engines refuse.
      if let first = summary.manifest.documents.first(where: { $0.contentHash == fingerprint }) {
        report(
          "\(ServerText.name(path)): the same content as \(ServerText.name(first.path)) — skipped")
        continue
      }
      let document: OpenedDocument
      let selected: [Int]
      do throws(DocumentError) {
        document = try await OpenedDocument.open(
          path: absolute, password: password, workers: renderWorkers)
        selected =
          try pages.map { spec throws(DocumentError) in
            try PageRange.parse(spec, pageCount: document.pageCount)
          } ?? Array(1...document.pageCount)
      } catch {
        report("\(error.description) — skipped")
        summary.failures += 1
        continue
      }
      let journal = store.path(contentHash: fingerprint, identity: identity)
      let done = JournalStore.read(journal).map(JournalSnapshot.init(replaying:))?.pages
        .filter { $0.value.isFinished }.keys
      let finished = Set(done.map(Array.init) ?? [])
      let toExport = selected.filter { !finished.contains($0) }
      summary.alreadyDone += selected.count - toExport.count
      var entry = BatchManifest.Document(
        path: absolute, contentHash: fingerprint, pageCount: document.pageCount, pages: [])
      let prefetcher = PagePrefetcher(
        pages: toExport, aheadLimit: lookAhead,
        // Rendering is all an export does: every page on whichever worker is free.
        render: { [maxSide] page, _ async throws(DocumentError) -> PageImage in
          try await document.render(page: page, maxSide: maxSide)
        })
      while let (page, rendered) = await prefetcher.next() {
        for _ in 0..<lookAhead { await prefetcher.prefetch() }
        let image: PageImage
        switch rendered {
        case .success(let value): image = value
        case .failure(let error):
          report("\(ServerText.name(path)) page \(page): \(error.description) — skipped")
          summary.failures += 1
          continue
        }
        let id = BatchID(
          document: fingerprint, settings: summary.manifest.settingsHash, page: page)
        let result = await writer.run { [self] () -> Result<Void, BatchError> in
          Result { () throws(BatchError) in
            try files.append(line(for: image, id: id))
          }
        }
        try result.get()
        entry.pages.append(
          BatchManifest.Page(
            page: page, width: image.width, height: image.height, imageBytes: image.bytes.count,
            maxTokens: settings.maxTokens(for: image)))
        written += 1
        progress(written, .now - started)
      }
      if !entry.pages.isEmpty { summary.manifest.documents.append(entry) }
      let skipped = selected.count - toExport.count
      report(
        "\(ServerText.name(path)): \(entry.pages.count) page\(entry.pages.count == 1 ? "" : "s") exported"
          + (skipped > 0 ? ", \(skipped) already in the journal" : ""))
    }
    await writer.run { files.finish() }
    summary.manifest.files = files.files
    let manifestPath = directory + "/" + BatchManifest.fileName
    do throws(WriteError) {
      try AtomicFile.write(summary.manifest.encoded(), to: manifestPath)
    } catch {
      throw .cannotWrite(path: manifestPath, reason: error.reason)
    }
    return summary
  }

  /// One request line: the live request's body under its `custom_id`.
  func line(for image: PageImage, id: BatchID) throws(BatchError) -> [UInt8] {
    var imageURL: String?
    if images == .files {
      let path = directory + "/images/\(id.document)-p\(id.page).png"
      do throws(WriteError) { try AtomicFile.write(image.bytes, to: path) } catch {
        throw .cannotWrite(path: path, reason: error.reason)
      }
      imageURL = "file://" + path
    }
    let body = ChatRequest.body(
      for: image, mode: .batch, settings: settings, logprobs: true, imageURL: imageURL)
    var line = Array(
      #"{"custom_id":"\#(id)","method":"POST","url":"/v1/chat/completions","body":"#.utf8)
    line.reserveCapacity(line.count + body.count + 2)
    line += body
    line += "}\n".utf8
    return line
  }

  private func prepareDirectory() throws(BatchError) {
    let manager = FileManager.default
    if manager.fileExists(atPath: directory + "/" + BatchManifest.fileName) {
      throw .notEmpty(directory: directory)
    }
    do {
      try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
      if images == .files {
        try manager.createDirectory(
          atPath: directory + "/images", withIntermediateDirectories: true)
      }
    } catch {
      throw .cannotWrite(path: directory, reason: "cannot create the folder")
    }
  }

  static func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }
}

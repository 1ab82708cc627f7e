import Foundation

/// `ocrview batch import`: result lines back into the journal, as finished pages a live run
/// would have written (text, usage, model's `finish_reason`), so `ocrview ocr`, the viewer,
/// `--pdf` and `--check` find them done and read only what is missing.
///
/// Guarantees: lines match by `custom_id` in any order, from any number of files, and an
/// import repeated changes nothing; a line is refused (one line each, nothing written for it)
/// when the manifest does not know its page or settings, or its document's content has changed
/// since export; a failed line (an error, a status other than 200, `finish_reason: length`, a
/// loop, no text) is listed and its page left for a live run. Each document's journal is
/// replaced whole by rename — a crash leaves it as it was or with every imported page, never
/// part of them — under an exclusive lock, so a run writing it at that moment is waited for by
/// nobody: the document is refused and can be imported again.
public struct BatchImport: Sendable {
  public var manifest: BatchManifest
  public var store: JournalStore

  public init(manifest: BatchManifest, store: JournalStore) {
    self.manifest = manifest
    self.store = store
  }

  public struct Summary: Sendable, Equatable {
    /// Pages written into journals now.
    public var imported = 0
    /// Pages a journal already had finished (an import repeated, or a live run before it).
    public var alreadyDone = 0
    /// Pages whose result failed, each with why: left for a live run.
    public var failed: [String] = []
    /// Lines refused, each with why.
    public var refused: [String] = []
    /// Documents of the manifest with pages still to read after this import.
    public var pagesLeft = 0
  }

  /// A page read well, waiting to be written.
  private struct Good {
    var text: String
    var info: CompletionInfo
  }

  /// `files`: each a JSONL file of result lines.
  public func run(_ files: [String]) throws(BatchError) -> Summary {
    var summary = Summary()
    let loopGuard = manifest.identity.hasSuffix("loop_guard=true")
    var good: [String: [Int: Good]] = [:]  // by content hash, then page
    var failed: [BatchID: String] = [:]
    var changed: [String: Bool] = [:]  // content hash → changed since export
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw .cannotRead(path: file, reason: "no such file, or not readable")
      }
      let source = ServerText.name(file)
      var number = 0
      for line in Array(data).split(separator: 0x0A, omittingEmptySubsequences: false) {
        number += 1
        guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
        let result = BatchResult.judge(Array(line), loopGuard: loopGuard)
        let id: BatchID
        switch result {
        case .unreadable(let reason):
          summary.refused.append("\(source) line \(number): \(reason) — refused")
          continue
        case .page(let found, _, _), .failed(let found, _): id = found
        }
        guard let (document, _) = manifest.lookup(id) else {
          summary.refused.append(
            "\(source) line \(number): \(id) names a page or settings this export does not "
              + "know — refused (give the manifest of the export it came from)")
          continue
        }
        let isChanged =
          changed[document.contentHash]
          ?? (ContentHash.fingerprint(fileAt: document.path) != document.contentHash)
        changed[document.contentHash] = isChanged
        if isChanged {
          summary.refused.append(
            "\(source) line \(number): \(ServerText.name(document.path)) has changed (or is "
              + "gone) since it was exported — refused; export it again")
          continue
        }
        switch result {
        case .page(_, let text, let info):
          // The first good answer stands; a page answered twice keeps it.
          if good[document.contentHash]?[id.page] == nil {
            good[document.contentHash, default: [:]][id.page] = Good(text: text, info: info)
          }
        case .failed(_, let reason):
          failed[id] = "\(ServerText.name(document.path)) page \(id.page): \(reason)"
        case .unreadable: break
        }
      }
    }
    for (id, reason) in failed {
      // A page that also came back well (another file, a run again) is not failed.
      guard let document = manifest.lookup(id)?.document,
        good[document.contentHash]?[id.page] == nil
      else { continue }
      summary.failed.append(reason)
    }
    summary.failed.sort()
    for document in manifest.documents {
      let pages = good[document.contentHash] ?? [:]
      var written = 0
      if !pages.isEmpty {
        do throws(BatchError) {
          let (new, already) = try write(pages, of: document)
          summary.imported += new
          summary.alreadyDone += already
          written = new + already
        } catch {
          summary.refused.append(error.description)
        }
      }
      summary.pagesLeft += document.pages.count - written
    }
    return summary
  }

  /// Adds the pages to the document's journal in one atomic replacement; returns how many were
  /// new and how many it had finished already.
  private func write(_ pages: [Int: Good], of document: BatchManifest.Document)
    throws(BatchError) -> (Int, Int)
  {
    let path = store.path(contentHash: document.contentHash, identity: manifest.identity)
    do throws(JournalError) { try JournalStore.makePrivateDirectory(store.directory) } catch {
      throw .cannotWrite(path: store.directory, reason: "cannot create the folder")
    }
    let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    guard JournalStore.isRegularFile(fd) else {
      throw .cannotWrite(path: path, reason: "not a regular file")
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      throw .cannotWrite(
        path: path, reason: "an ocrview run has it open; import again once it has ended")
    }
    var bytes = JournalStore.read(path) ?? []
    let snapshot = JournalSnapshot(replaying: bytes)
    let finished = Set(snapshot.pages.filter { $0.value.isFinished }.keys)
    let new = pages.keys.filter { !finished.contains($0) }.sorted()
    guard !new.isEmpty else { return (0, pages.count) }
    let encoder = JournalRecord.encoder()
    if bytes.isEmpty {
      bytes = JournalRecord(
        .document, name: document.name, pages: document.pageCount, identity: manifest.identity
      ).line(using: encoder)
    } else if bytes.last != 0x0A {
      bytes.append(0x0A)  // a torn last line must not swallow the first record added
    }
    let writer = UInt32.random(in: 1...UInt32.max)
    let entries = Dictionary(document.pages.map { ($0.page, $0) }, uniquingKeysWith: { a, _ in a })
    for page in new {
      guard let good = pages[page], let entry = entries[page] else { continue }
      let stats = PageStats.imported(good.info, entry: entry, text: good.text)
      bytes += JournalRecord(
        .done, writer: writer, page: page, text: good.text, mode: .batch,
        stats: StatsRecord(stats)
      ).line(using: encoder)
    }
    do throws(WriteError) { try AtomicFile.write(bytes, to: path, mode: 0o600) } catch {
      throw .cannotWrite(path: path, reason: error.reason)
    }
    return (new.count, pages.count - new.count)
  }
}

extension PageStats {
  /// A page a batch engine read: its figures as the answer gives them (no latency was seen
  /// here), its image as the manifest recorded it.
  static func imported(_ info: CompletionInfo, entry: BatchManifest.Page, text: String)
    -> PageStats
  {
    let tokens: (Int, TokenCountSource) =
      if let count = info.usage?.completionTokens {
        (count, .usage)
      } else if let count = info.timings?.predictedN { (count, .timings) } else { (0, .deltas) }
    var stats = PageStats(
      mode: .batch, ttft: nil, e2e: .zero, outputTokens: tokens.0, outputTokensSource: tokens.1,
      outputTokensPerSecond: nil,
      decodeTokensPerSecond: info.timings?.predictedPerSecond.flatMap {
        $0.isFinite && $0 > 0 ? $0 : nil
      },
      maxTokens: entry.maxTokens, itl: nil, deltaCount: 1, finishReason: info.finishReason,
      serverTimings: info.timings, renderTime: .zero, imageBytes: entry.imageBytes,
      imageWidth: entry.width, imageHeight: entry.height)
    if !info.tokenLogprobs.isEmpty {
      stats.confidence = TokenConfidence.measure(info.tokenLogprobs, text: text)
    }
    return stats
  }
}

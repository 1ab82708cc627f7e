import Foundation

/// The folder of journals: one file per document content and output settings, under
/// `$XDG_STATE_HOME/ocrview/journal` (default `~/.local/state/ocrview/journal`), private to
/// the user, capped in size with the least recently used journals evicted first.
public struct JournalStore: Sendable {
  public var directory: String
  /// Total size the folder is trimmed to when a journal is opened.
  public var capBytes: Int

  public static let defaultCapBytes = 256 << 20

  public init(directory: String, capBytes: Int = JournalStore.defaultCapBytes) {
    self.directory = directory
    self.capBytes = capBytes
  }

  /// The store the environment names: `XDG_STATE_HOME`, else `HOME/.local/state`;
  /// `OCRVIEW_JOURNAL_MAX_MB` sets the cap.
  public static func standard(environment: [String: String]) -> JournalStore {
    let state =
      environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
      ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
    let cap = environment["OCRVIEW_JOURNAL_MAX_MB"].flatMap(Int.init).map { $0 << 20 }
    return JournalStore(directory: state + "/ocrview/journal", capBytes: cap ?? defaultCapBytes)
  }

  /// The journal file of a document's content read with these settings. The document part
  /// is the content's fingerprint (a renamed or copied file is the same document); the
  /// settings part hashes `identity` — engine, model and everything else that changes the text.
  public func path(contentHash: String, identity: String) -> String {
    directory + "/\(contentHash.prefix(32))-\(Self.settingsHash(identity)).jsonl"
  }

  /// Opens a document's journal: what it already holds, and a writer to go on appending.
  /// `fresh` ignores what it holds (the pages are read again, and their new records
  /// supersede the old ones; other pages' records stay).
  public func open(
    document path: String, pageCount: Int, identity: String, fresh: Bool
  ) throws(JournalError) -> (snapshot: JournalSnapshot, writer: JournalWriter) {
    guard let fingerprint = ContentHash.fingerprint(fileAt: path) else {
      throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
    }
    let file = self.path(contentHash: fingerprint, identity: identity)
    let snapshot = (fresh ? nil : Self.read(file)).map(JournalSnapshot.init) ?? JournalSnapshot()
    let header = JournalRecord(
      .document, name: (path as NSString).lastPathComponent, pages: pageCount, identity: identity)
    let writer = try JournalWriter(path: file, header: header)
    trim(keeping: file)
    return (snapshot, writer)
  }

  /// The fingerprint a journal is keyed by (for benchmarks: what opening one costs).
  public func contentFingerprint(ofFileAt path: String) -> String? {
    ContentHash.fingerprint(fileAt: path)
  }

  /// The settings part of a journal's file name (and of a batch export's `custom_id`).
  public static func settingsHash(_ identity: String) -> Substring {
    ContentHash.sha256(Array(identity.utf8)).prefix(16)
  }

  /// Every journal, most recently used first.
  public func entries() -> [JournalEntry] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".jsonl") }.compactMap { name in
      let file = directory + "/" + name
      var status = stat()
      guard lstat(file, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
      let snapshot = Self.read(file).map { JournalSnapshot(replaying: $0) } ?? JournalSnapshot()
      return JournalEntry(
        path: file, documentName: snapshot.name ?? "?", pageCount: snapshot.pageCount,
        pagesFinished: snapshot.pages.values.filter(\.isFinished).count,
        pagesPartial: snapshot.pages.values.filter { !$0.isFinished }.count,
        bytes: Int(status.st_size),
        modified: Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec)))
    }.sorted { $0.modified > $1.modified }
  }

  /// Deletes every journal; returns how many.
  @discardableResult public func clear() -> Int {
    entries().reduce(0) { count, entry in count + (unlink(entry.path) == 0 ? 1 : 0) }
  }

  /// Deletes the least recently used journals until the folder fits the cap; never `keeping`,
  /// nor one another process has open (it holds a shared lock). Reads only sizes and times.
  func trim(keeping: String) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    var files: [(path: String, bytes: Int, modified: Int)] = names.filter { $0.hasSuffix(".jsonl") }
      .compactMap { name in
        let path = directory + "/" + name
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (path, Int(status.st_size), Int(status.st_mtim.tv_sec))
      }
    var total = files.reduce(0) { $0 + $1.bytes }
    files.sort { $0.modified < $1.modified }
    for file in files where total > capBytes && file.path != keeping {
      let fd = Foundation.open(file.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
      guard fd >= 0 else { continue }
      defer { close(fd) }
      guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }  // in use elsewhere
      guard Self.names(file.path, fd) else { continue }  // replaced since it was listed
      if unlink(file.path) == 0 { total -= file.bytes }
    }
  }

  static func isRegularFile(_ fd: Int32) -> Bool {
    var status = stat()
    return fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
  }

  /// Whether `path` still names the file open at `fd` (same device and inode).
  static func names(_ path: String, _ fd: Int32) -> Bool {
    FileIdentity(entry: path).map { $0 == FileIdentity(fd: fd) } ?? false
  }

  /// The journal's bytes; nil when there is none — or something that is not a regular file
  /// (a FIFO would block the read forever).
  static func read(_ path: String) -> [UInt8]? {
    let fd = Foundation.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    guard isRegularFile(fd) else { return nil }
    return try? FileHandle(fileDescriptor: fd, closeOnDealloc: false).readToEnd().map(Array.init)
  }

  /// Creates `path` and its parents as needed; the last part is made private (0700).
  static func makePrivateDirectory(_ path: String) throws(JournalError) {
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw .cannotWrite(path: path, reason: "cannot create the folder")
    }
  }
}

/// One journal, for `ocrview journal list`.
public struct JournalEntry: Sendable, Equatable {
  public var path: String
  public var documentName: String
  public var pageCount: Int?
  public var pagesFinished: Int
  public var pagesPartial: Int
  public var bytes: Int
  public var modified: Date
}

extension JournalStore {
  /// Opens the journal of a document for a run, off the concurrency pool (it hashes the file
  /// and may fsync): what it holds and where the run records itself.
  public func journal(
    for document: OpenedDocument, identity: String, fresh: Bool
  ) async -> Result<(snapshot: JournalSnapshot, writer: JournalWriter), JournalError> {
    await BlockingQueue("ocrview.journal-open").run {
      Result { () throws(JournalError) in
        try open(
          document: document.path, pageCount: document.pageCount, identity: identity,
          fresh: fresh)
      }
    }
  }
}

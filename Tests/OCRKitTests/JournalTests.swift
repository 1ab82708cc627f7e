import Foundation
import OCRKitDoubles
import Testing

@testable import OCRKit

/// Replaying journals (pure), the store's files, and runs that restore from them.
@Suite struct JournalTests {
  static func lines(_ records: [JournalRecord]) -> [UInt8] { records.flatMap(\.line) }

  static let stats = PageStats.unmeasured(.stream)

  @Test func replayRestoresFinishedPagesWithStatsAndThePartialTextOfOthers() {
    var finished = Self.stats
    finished.e2e = .milliseconds(1500)
    finished.outputTokens = 42
    let bytes = Self.lines([
      JournalRecord(.document, name: "a.pdf", pages: 3, identity: "x"),
      JournalRecord(.start, page: 1, mode: .stream),
      JournalRecord(.delta, page: 1, text: "Hello, "),
      JournalRecord(.delta, page: 1, text: "world."),
      JournalRecord(.done, page: 1, mode: .batch, stats: StatsRecord(finished)),
      JournalRecord(.start, page: 2, mode: .stream),
      JournalRecord(.delta, page: 2, text: "Half a page"),
    ])
    let snapshot = JournalSnapshot(replaying: bytes)
    #expect(snapshot.name == "a.pdf" && snapshot.pageCount == 3)
    #expect(snapshot.pages[1]?.text == "Hello, world.")
    #expect(snapshot.pages[1]?.stats?.restored == true)
    #expect(snapshot.pages[1]?.stats?.mode == .batch)
    #expect(snapshot.pages[1]?.stats?.e2e == .milliseconds(1500))
    #expect(snapshot.pages[1]?.stats?.outputTokens == 42)
    #expect(snapshot.pages[2] == JournalSnapshot.Page(text: "Half a page", stats: nil))
    #expect(snapshot.pages[3] == nil)
    #expect(snapshot.unreadableLines == 0)
  }

  /// A page count or page number below 1 is damage, not a page (found by `scripts/fuzz
  /// journal`: `"pages":-2` became a document of -2 pages in `journal list`).
  @Test func pageNumbersBelowOneAreNotPages() {
    let bytes = Array(
      """
      {"name":"a.pdf","pages":-2,"t":"document"}
      {"mode":"stream","page":0,"t":"start","w":1}
      {"page":0,"t":"delta","text":"x","w":1}
      {"mode":"stream","page":-3,"t":"start","w":1}

      """.utf8)
    let snapshot = JournalSnapshot(replaying: bytes)
    #expect(snapshot.name == "a.pdf")
    #expect(snapshot.pageCount == nil)
    #expect(snapshot.pages.isEmpty)
  }

  @Test func aTornLastLineAndDamagedLinesAreIgnored() {
    var bytes = Self.lines([
      JournalRecord(.start, page: 1), JournalRecord(.delta, page: 1, text: "kept"),
    ])
    bytes += Array("not json\n".utf8)
    let whole = JournalRecord(.delta, page: 1, text: " lost").line
    // Every cut through the last record leaves exactly the text before it.
    for cut in 0..<whole.count {
      let snapshot = JournalSnapshot(replaying: bytes + whole.prefix(cut))
      #expect(snapshot.pages[1]?.text == "kept", "cut at \(cut)")
      #expect(snapshot.unreadableLines == (cut == 0 ? 1 : 2))
    }
    #expect(JournalSnapshot(replaying: bytes + whole).pages[1]?.text == "kept lost")
  }

  @Test func appendingAfterATornLineLosesNothingAppended() async throws {
    let scratch = TestFiles.scratchDirectory()
    let store = JournalStore(directory: scratch + "/journal")
    let path = TestFiles.asset("sample-scan.png")
    let (_, first) = try store.open(document: path, pageCount: 1, identity: "x", fresh: false)
    first.record(.pageStarted(page: 1, mode: .stream))
    first.record(.delta(page: 1, text: "before the crash"))
    await first.flush()
    // A crash tore the next line half-way.
    let handle = try #require(FileHandle(forWritingAtPath: first.path))
    handle.seekToEndOfFile()
    handle.write(Data(#"{"page":1,"t":"delta","text":"Hal"#.utf8))
    try handle.close()

    let (torn, second) = try store.open(document: path, pageCount: 1, identity: "x", fresh: false)
    #expect(torn.pages[1]?.text == "before the crash")
    second.record(.pageStarted(page: 1, mode: .stream))
    second.record(.delta(page: 1, text: "Whole page."))
    second.record(.pageFinished(page: 1, text: "Whole page.", stats: Self.stats))
    await second.flush()
    let (after, _) = try store.open(document: path, pageCount: 1, identity: "x", fresh: false)
    #expect(after.pages[1]?.text == "Whole page.")
    #expect(after.pages[1]?.isFinished == true)
  }

  @Test func aFinishedPageKeepsTheTextTheRunKeptAndWritersNeverMix() {
    let bytes = Self.lines([
      JournalRecord(.start, writer: 1, page: 1), JournalRecord(.start, writer: 2, page: 1),
      JournalRecord(.delta, writer: 1, page: 1, text: "one "),
      JournalRecord(.delta, writer: 2, page: 1, text: "TWO "),
      JournalRecord(.delta, writer: 1, page: 1, text: "loop loop loop"),
      // The loop guard cut the text back: `done` carries what the run kept.
      JournalRecord(.done, writer: 1, page: 1, text: "one loop", stats: StatsRecord(Self.stats)),
      JournalRecord(.start, writer: 2, page: 2), JournalRecord(.start, writer: 3, page: 2),
      JournalRecord(.delta, writer: 2, page: 2, text: "second run's "),
      JournalRecord(.delta, writer: 3, page: 2, text: "third"),
      JournalRecord(.delta, writer: 2, page: 2, text: "partial"),
    ])
    let snapshot = JournalSnapshot(replaying: bytes)
    #expect(snapshot.pages[1]?.text == "one loop")
    #expect(snapshot.pages[2]?.text == "second run's partial")
  }

  @Test func forgettingPagesVoidsWhatTheJournalHeldForThem() {
    let bytes = Self.lines([
      JournalRecord(.start, page: 1), JournalRecord(.delta, page: 1, text: "old"),
      JournalRecord(.done, page: 1, text: "old", stats: StatsRecord(Self.stats)),
      JournalRecord(.start, page: 2), JournalRecord(.delta, page: 2, text: "old partial"),
      JournalRecord(.forget, list: [1, 2]),
      JournalRecord(.start, writer: 9, page: 2),
      JournalRecord(.delta, writer: 9, page: 2, text: "n"),
    ])
    let snapshot = JournalSnapshot(replaying: bytes)
    #expect(snapshot.pages[1] == nil)
    #expect(snapshot.pages[2]?.text == "n")
  }

  @Test func aPageReadAgainKeepsItsLastFinishedTextUntilANewOneFinishes() {
    let first = [
      JournalRecord(.start, page: 1), JournalRecord(.delta, page: 1, text: "first reading"),
      JournalRecord(.done, page: 1, stats: StatsRecord(Self.stats)),
      JournalRecord(.start, page: 1), JournalRecord(.delta, page: 1, text: "sec"),
    ]
    #expect(JournalSnapshot(replaying: Self.lines(first)).pages[1]?.text == "first reading")
    let second =
      first + [
        JournalRecord(.delta, page: 1, text: "ond"),
        JournalRecord(.done, page: 1, stats: StatsRecord(Self.stats)),
      ]
    #expect(JournalSnapshot(replaying: Self.lines(second)).pages[1]?.text == "second")
  }

  @Test func aPartialPageKeepsTheMostTextAnyAttemptGot() {
    let bytes = Self.lines([
      JournalRecord(.start, page: 2), JournalRecord(.delta, page: 2, text: "the longer one"),
      JournalRecord(.failed, page: 2),
      JournalRecord(.start, page: 2), JournalRecord(.delta, page: 2, text: "short"),
    ])
    #expect(JournalSnapshot(replaying: bytes).pages[2]?.text == "the longer one")
  }

  @Test func theStoreKeysByContentAndSettingsInPrivateFiles() async throws {
    let scratch = TestFiles.scratchDirectory()
    let store = JournalStore(directory: scratch + "/state/ocrview/journal")
    let copy = scratch + "/renamed.pdf"
    try FileManager.default.copyItem(atPath: TestFiles.asset("sample.pdf"), toPath: copy)

    let (empty, writer) = try store.open(
      document: TestFiles.asset("sample.pdf"), pageCount: 3, identity: "engine A", fresh: false)
    #expect(empty.pages.isEmpty)
    writer.record(.pageStarted(page: 1, mode: .stream))
    writer.record(.delta(page: 1, text: "Page one."))
    writer.record(.pageFinished(page: 1, text: "Page one.", stats: Self.stats))
    await writer.flush()

    // The same content under another name is the same document; other settings are not.
    let (restored, _) = try store.open(
      document: copy, pageCount: 3, identity: "engine A", fresh: false)
    #expect(restored.pages[1]?.text == "Page one.")
    #expect(restored.pages[1]?.isFinished == true)
    let (other, _) = try store.open(
      document: copy, pageCount: 3, identity: "engine B", fresh: false)
    #expect(other.pages.isEmpty)
    let (fresh, _) = try store.open(
      document: copy, pageCount: 3, identity: "engine A", fresh: true)
    #expect(fresh.pages.isEmpty)

    #expect(try Self.mode(writer.path) == 0o600)
    #expect(try Self.mode(store.directory) == 0o700)
    let entries = store.entries()
    #expect(entries.count == 2)
    // Listed by the name it was first read under.
    #expect(entries.contains { $0.documentName == "sample.pdf" && $0.pagesFinished == 1 })
    #expect(store.clear() == 2)
    #expect(store.entries().isEmpty)
  }

  @Test func theFingerprintSeesEveryByteOfSmallFilesAndSamplesLargeOnes() throws {
    let scratch = TestFiles.scratchDirectory()
    func fingerprint(_ bytes: [UInt8]) throws -> String {
      let path = scratch + "/f-\(UUID().uuidString)"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      return try #require(ContentHash.fingerprint(fileAt: path))
    }
    var small = [UInt8](repeating: 7, count: 3 << 20)
    let smallPrint = try fingerprint(small)
    small[1_234_567] = 8  // anywhere in a file hashed whole
    #expect(try fingerprint(small) != smallPrint)

    var large = [UInt8](repeating: 7, count: 20 << 20)
    let largePrint = try fingerprint(large)
    #expect(try fingerprint(large) == largePrint)
    large[large.count - 1] = 8  // the end: where a PDF's trailer and offsets are
    #expect(try fingerprint(large) != largePrint)
    large[large.count - 1] = 7
    large[0] = 8  // the start
    #expect(try fingerprint(large) != largePrint)
    large[0] = 7
    #expect(try fingerprint(large + [7]) != largePrint)  // the size
  }

  @Test func aSymlinkWhereTheJournalGoesIsNotFollowed() throws {
    let scratch = TestFiles.scratchDirectory()
    let store = JournalStore(directory: scratch + "/journal")
    let (_, writer) = try store.open(
      document: TestFiles.asset("sample-scan.png"), pageCount: 1, identity: "x", fresh: false)
    let path = writer.path
    try FileManager.default.removeItem(atPath: path)
    let target = scratch + "/elsewhere"
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    #expect(throws: JournalError.self) {
      try store.open(
        document: TestFiles.asset("sample-scan.png"), pageCount: 1, identity: "x", fresh: false)
    }
    #expect(!FileManager.default.fileExists(atPath: target))
  }

  @Test func theFolderIsCappedEvictingTheLeastRecentlyUsedFirst() async throws {
    let scratch = TestFiles.scratchDirectory()
    let store = JournalStore(directory: scratch + "/journal", capBytes: 1_000)
    var paths: [String] = []
    for (age, identity) in ["old", "middle", "new"].enumerated() {
      let (_, writer) = try store.open(
        document: TestFiles.asset("sample-scan.png"), pageCount: 1, identity: identity,
        fresh: false)
      writer.record(.delta(page: 1, text: String(repeating: "x", count: 700)))
      await writer.flush()
      // Last used 3, 2 and 1 hours ago.
      let when = Date().addingTimeInterval(-3600 * Double(3 - age))
      try FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: writer.path)
      paths.append(writer.path)
    }
    let (_, current) = try store.open(
      document: TestFiles.asset("sample-scan.png"), pageCount: 1, identity: "current",
      fresh: false)
    let left = Set(store.entries().map(\.path))
    // Each holds ~830 bytes: "old", then "middle" had to go; the one in use never does.
    #expect(left == [paths[2], current.path])
  }

  @Test func theCapNeverEvictsAJournalAnotherRunHasOpen() async throws {
    let scratch = TestFiles.scratchDirectory()
    let store = JournalStore(directory: scratch + "/journal", capBytes: 100)
    let path = TestFiles.asset("sample-scan.png")
    let (_, busy) = try store.open(document: path, pageCount: 1, identity: "busy", fresh: false)
    busy.record(.delta(page: 1, text: String(repeating: "x", count: 500)))
    await busy.flush()
    let old = Date().addingTimeInterval(-3600)
    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: busy.path)
    var idle: String?
    do {
      let (_, writer) = try store.open(document: path, pageCount: 1, identity: "idle", fresh: false)
      writer.record(.delta(page: 1, text: String(repeating: "y", count: 500)))
      await writer.flush()
      try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: writer.path)
      idle = writer.path
    }
    try await Task.sleep(for: .milliseconds(50))  // the released writer closes on its queue
    _ = try store.open(document: path, pageCount: 1, identity: "new", fresh: false)
    #expect(FileManager.default.fileExists(atPath: busy.path))  // still held open
    #expect(!FileManager.default.fileExists(atPath: try #require(idle)))
    withExtendedLifetime(busy) {}
  }

  static func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as! NSNumber).intValue & 0o777
  }
}

@Suite struct RestoredRunTests {
  @Test func finishedPagesAreNotReadAgainAndPartialOnesAreShownThenReadAgain() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    let engine = ScriptedEngine { .text(["new \($0)"]) }
    var plan = RunPlan(pages: [1, 2, 3], mode: .stream)
    var stats = PageStats.unmeasured(.batch)
    stats.restored = true
    plan.restored = [
      1: JournalSnapshot.Page(text: "old 1", stats: stats),
      2: JournalSnapshot.Page(text: "half of 2", stats: nil),
    ]
    var events: [RunEvent] = []
    for await event in RunRecipe(document: document, engine: engine, plan: plan).start().events {
      events.append(event)
    }
    #expect(engine.pagesCalled.sorted() == [2, 3])
    #expect(events.first == .pageFinished(page: 1, text: "old 1", stats: stats))
    #expect(events.dropFirst().first == .pagePartialRestored(page: 2, text: "half of 2"))
    #expect(events.contains { if case .pageFinished(2, "new 2", _) = $0 { true } else { false } })
    guard case .documentFinished(let document) = events.last else {
      Issue.record("no documentFinished")
      return
    }
    #expect(document.pagesDone == 3)
  }

  @Test func theRunRecordsItselfAndARestoredPageIsWrittenToTheTranscript() async throws {
    let scratch = TestFiles.scratchDirectory()
    let store = JournalStore(directory: scratch + "/journal")
    let path = TestFiles.asset("sample-scan.png")
    let document = try await OpenedDocument.open(path: path)
    let (_, writer) = try store.open(document: path, pageCount: 1, identity: "s", fresh: false)
    let engine = ScriptedEngine { _ in .text(["Read ", "once."]) }
    for await _ in RunRecipe(
      document: document, engine: engine, plan: RunPlan(pages: [1], mode: .stream),
      journal: writer
    ).start().events {}

    let (snapshot, _) = try store.open(document: path, pageCount: 1, identity: "s", fresh: false)
    #expect(snapshot.pages[1]?.text == "Read once.")
    var plan = RunPlan(pages: [1], mode: .stream)
    plan.restored = snapshot.restoring([1])
    var transcript = TranscriptStreamer(format: .md, pages: [1], filePath: path)
    var text = ""
    for await event in RunRecipe(document: document, engine: engine, plan: plan).start().events {
      text += transcript.consume(event)
    }
    #expect(text == "<!-- page 1 -->\n\nRead once.\n\n")
    #expect(engine.pagesCalled == [1])  // only the first run read it
  }
}

/// Nothing voided before it is replaced; nothing at the journal's path that is not a file.
@Suite struct JournalSafetyTests {
  @Test func anInterruptedFreshRunVoidsOnlyThePagesItReplaced() async throws {
    let store = JournalStore(directory: TestFiles.scratchDirectory() + "/journal")
    let document = TestFiles.asset("sample.pdf")
    let (_, first) = try store.open(document: document, pageCount: 3, identity: "x", fresh: false)
    for page in [1, 2] {
      first.record(.pageStarted(page: page, mode: .stream))
      first.record(.pageFinished(page: page, text: "old \(page)", stats: JournalTests.stats))
    }
    await first.flush()
    let (_, fresh) = try store.open(document: document, pageCount: 3, identity: "x", fresh: true)
    fresh.forget([1, 2])
    fresh.record(.pageStarted(page: 1, mode: .stream))
    fresh.record(.pageFinished(page: 1, text: "new 1", stats: JournalTests.stats))
    fresh.record(.pageStarted(page: 2, mode: .stream))
    fresh.record(.delta(page: 2, text: "interrupted"))
    await fresh.flush()
    let (kept, _) = try store.open(document: document, pageCount: 3, identity: "x", fresh: false)
    #expect(kept.pages[1]?.text == "new 1")
    #expect(kept.pages[2]?.text == "old 2")
    #expect(kept.pages[2]?.isFinished == true)
  }

  @Test func aFIFOAtTheJournalsPathIsReplacedNotWaitedOn() throws {
    let store = JournalStore(directory: TestFiles.scratchDirectory() + "/journal")
    let document = TestFiles.asset("sample-scan.png")
    let (_, writer) = try store.open(document: document, pageCount: 1, identity: "x", fresh: false)
    let path = writer.path
    unlink(path)
    #expect(mkfifo(path, 0o600) == 0)
    let (snapshot, again) = try store.open(
      document: document, pageCount: 1, identity: "x", fresh: false)
    #expect(snapshot.pages.isEmpty)
    var status = stat()
    #expect(lstat(again.path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG)
  }
}

import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// Batch import: result lines judged (vLLM's `BatchRequestOutput` shapes), matched out of
/// order across files, failures left for a live run, refusals, and the journal hand-off.
@Suite struct BatchImportTests {
  static let identity = "test identity loop_guard=true"
  static let pages = ["First page.", "Second page.", "Third page.", "Fourth page."]

  /// A 4-page PDF exported, and the folder holding it all.
  static func exported() async throws -> (folder: String, pdf: String, manifest: BatchManifest) {
    let folder = TestFiles.scratchDirectory()
    let pdf = folder + "/four.pdf"
    TestFiles.makePDF(pages: 4, at: pdf)
    let export = BatchExport(
      paths: [pdf], settings: BatchExportTests.settings, identity: identity, maxSide: 300,
      directory: folder + "/out", store: JournalStore(directory: folder + "/state"))
    return (folder, pdf, try await export.run().manifest)
  }

  static func results(_ folder: String, failures: Int = 0, shuffle: Bool = true, seed: UInt64 = 7)
    -> FakeRunBatch.Run
  {
    let input = FileManager.default.contents(atPath: folder + "/out/requests-0001.jsonl")!
    return FakeRunBatch.run(
      input: Array(input), responder: FakeResponder.transcript(pages), failures: failures,
      shuffle: shuffle, seed: seed)
  }

  static func write(_ lines: ArraySlice<Substring>, to path: String) {
    FileManager.default.createFile(
      atPath: path, contents: Data(lines.map { $0 + "\n" }.joined().utf8))
  }

  static func snapshot(_ folder: String, _ manifest: BatchManifest) -> JournalSnapshot {
    let store = JournalStore(directory: folder + "/state")
    let path = store.path(contentHash: manifest.documents[0].contentHash, identity: identity)
    return JournalStore.read(path).map(JournalSnapshot.init(replaying:)) ?? JournalSnapshot()
  }

  static let id = "ocrview-\(String(repeating: "a", count: 32))-0123456789abcdef-p3"

  @Test func resultLinesAreJudgedAsALiveReadWouldBe() throws {
    func judge(_ text: String) -> BatchResult { BatchResult.judge(Array(text.utf8)) }
    let id = try #require(BatchID(parsing: Self.id))
    let body =
      #"{"id":"chatcmpl-1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},"finish_reason":"stop"}],"usage":{"prompt_tokens":900,"completion_tokens":3,"total_tokens":903}}"#
    let good = judge(
      #"{"id":"vllm-1","custom_id":"\#(Self.id)","response":{"status_code":200,"request_id":"r","body":\#(body)},"error":null}"#
    )
    guard case .page(let got, let text, let info) = good else {
      Issue.record("\(good)")
      return
    }
    #expect(got == id && text == "Hello.")
    #expect(info.finishReason == .stop && info.usage?.completionTokens == 3)
    // OpenAI's Batch API leaves `status_code` out of nothing, but a 200 body with no error.
    #expect(
      judge(
        #"{"custom_id":"\#(Self.id)","response":{"status_code":400,"request_id":"r","body":null},"error":"Failed to load image"}"#
      ) == .failed(id, reason: "error: Failed to load image"))
    #expect(
      judge(
        #"{"custom_id":"\#(Self.id)","response":{"status_code":500,"request_id":"r"},"error":{"error":{"message":"CUDA out of memory","code":500}}}"#
      ) == .failed(id, reason: "error: CUDA out of memory"))
    #expect(
      judge(
        #"{"custom_id":"\#(Self.id)","response":{"status_code":503,"request_id":"r","body":{"error":{"message":"overloaded"}}},"error":null}"#
      ) == .failed(id, reason: "HTTP 503: overloaded"))
    let cut = body.replacingOccurrences(of: #""stop""#, with: #""length""#)
    #expect(
      judge(
        #"{"custom_id":"\#(Self.id)","response":{"status_code":200,"body":\#(cut)},"error":null}"#)
        == .failed(id, reason: "cut at max_tokens (finish_reason length)"))
    let loop = body.replacingOccurrences(
      of: "Hello.", with: String(repeating: #"row again\n"#, count: 200))
    #expect(
      judge(
        #"{"custom_id":"\#(Self.id)","response":{"status_code":200,"body":\#(loop)},"error":null}"#)
        == .failed(id, reason: "the text ends in a repetition loop"))
    let empty = body.replacingOccurrences(of: "Hello.", with: " ")
    #expect(
      judge(
        #"{"custom_id":"\#(Self.id)","response":{"status_code":200,"body":\#(empty)},"error":null}"#
      )
        == .failed(id, reason: "no text"))
    #expect(judge("not json") == .unreadable(reason: "not JSON"))
    #expect(judge(#"{"id":"x"}"#) == .unreadable(reason: "no custom_id"))
    #expect(
      judge(#"{"custom_id":"request-1","response":null,"error":null}"#)
        == .unreadable(reason: "custom_id request-1 is not ocrview's"))
  }

  /// The one-pass decoding of common lines and the loose reading of any line agree.
  @Test func theTypedAndTheLooseReadingAgree() async throws {
    let (folder, _, _) = try await Self.exported()
    let run = Self.results(folder, failures: 4, seed: 5)
    let lines = String(decoding: run.output, as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 4 && run.failed.count == 4)
    let extra = [
      #"{"custom_id":"\#(Self.id)","response":{"status_code":503,"body":{"error":{"message":"busy"}}},"error":null}"#,
      #"{"custom_id":"\#(Self.id)","response":{"status_code":200,"body":{"choices":[]}},"error":null}"#,
    ]
    for line in lines.map(String.init) + extra {
      let bytes = Array(line.utf8)
      #expect(BatchResult.judge(bytes) == BatchResult.judgeAny(bytes, loopGuard: true), "\(line)")
    }
  }

  @Test func linesMatchInAnyOrderAcrossFilesAndFailuresAreLeft() async throws {
    let (folder, _, manifest) = try await Self.exported()
    let run = Self.results(folder, failures: 1, seed: 3)
    #expect(run.failed.count == 1)
    let lines = String(decoding: run.output, as: UTF8.self).split(separator: "\n")
    Self.write(lines[..<2], to: folder + "/out/results-a.jsonl")
    Self.write(lines[2...], to: folder + "/out/results-b.jsonl")
    let importer = BatchImport(
      manifest: manifest, store: JournalStore(directory: folder + "/state"))
    let summary = try importer.run([
      folder + "/out/results-b.jsonl", folder + "/out/results-a.jsonl",
    ])
    #expect(summary.imported == 3)
    #expect(summary.failed.count == 1 && summary.refused.isEmpty && summary.pagesLeft == 1)
    let failedID = try #require(run.failed.keys.first)
    let failedPage = try #require(BatchID(parsing: failedID)).page
    let snapshot = Self.snapshot(folder, manifest)
    #expect(snapshot.pageCount == 4)
    #expect(Set(snapshot.pages.keys) == Set(1...4).subtracting([failedPage]))
    for (page, entry) in snapshot.pages {
      #expect(entry.text == Self.pages[page - 1])
      let stats = try #require(entry.stats)
      #expect(stats.finishReason == .stop && stats.mode == .batch)
      #expect(stats.outputTokensSource == .usage && stats.outputTokens == 2)
      #expect(stats.imageHeight == 300 && stats.maxTokens == 4096)
    }
    // Again: nothing changes, and the journal's bytes stay as they were.
    let path = JournalStore(directory: folder + "/state").path(
      contentHash: manifest.documents[0].contentHash, identity: Self.identity)
    let before = JournalStore.read(path)
    let again = try importer.run([folder + "/out/results-a.jsonl", folder + "/out/results-b.jsonl"])
    #expect(again.imported == 0 && again.alreadyDone == 3)
    #expect(JournalStore.read(path) == before)
    // The failed page, read well by a second batch run, completes the document.
    let second = Self.results(folder, failures: 0, shuffle: false)
    FileManager.default.createFile(
      atPath: folder + "/out/results-c.jsonl", contents: Data(second.output))
    let last = try importer.run([folder + "/out/results-c.jsonl"])
    #expect(last.imported == 1 && last.alreadyDone == 3 && last.pagesLeft == 0)
    #expect(Self.snapshot(folder, manifest).pages.count == 4)
  }

  @Test func unknownPagesOtherSettingsAndChangedDocumentsAreRefused() async throws {
    let (folder, pdf, manifest) = try await Self.exported()
    let good = String(decoding: Self.results(folder, shuffle: false).output, as: UTF8.self)
    let hash = String(manifest.documents[0].contentHash.prefix(32))
    let unknownPage = good.split(separator: "\n")[0].replacingOccurrences(
      of: "-p1\"", with: "-p9\"")
    let otherSettings = good.split(separator: "\n")[1].replacingOccurrences(
      of: "\(hash)-\(manifest.settingsHash)", with: "\(hash)-ffffffffffffffff")
    FileManager.default.createFile(
      atPath: folder + "/odd.jsonl",
      contents: Data((unknownPage + "\n" + otherSettings + "\n").utf8))
    let store = JournalStore(directory: folder + "/state")
    let odd = try BatchImport(manifest: manifest, store: store).run([folder + "/odd.jsonl"])
    #expect(odd.imported == 0 && odd.refused.count == 2)
    #expect(odd.refused.allSatisfy { $0.contains("this export does not know — refused") })

    // The document changes after export: every line of it is refused, nothing is written.
    let handle = try #require(FileHandle(forWritingAtPath: pdf))
    handle.seekToEndOfFile()
    handle.write(Data("% edited\n".utf8))
    try handle.close()
    FileManager.default.createFile(atPath: folder + "/good.jsonl", contents: Data(good.utf8))
    let changed = try BatchImport(manifest: manifest, store: store).run([folder + "/good.jsonl"])
    #expect(changed.imported == 0 && changed.refused.count == 4)
    #expect(changed.refused[0].contains("four.pdf has changed (or is gone) since it was exported"))
    #expect(Self.snapshot(folder, manifest).pages.isEmpty)
  }

  /// A run holding the journal open (its shared lock) is never written under: the document is
  /// refused whole and its journal left byte for byte as it was.
  @Test func aJournalInUseIsLeftAlone() async throws {
    let (folder, pdf, manifest) = try await Self.exported()
    let store = JournalStore(directory: folder + "/state")
    let (_, writer) = try store.open(
      document: pdf, pageCount: 4, identity: Self.identity, fresh: false)
    await writer.flush()
    let before = JournalStore.read(writer.path)
    FileManager.default.createFile(
      atPath: folder + "/good.jsonl", contents: Data(Self.results(folder).output))
    let summary = try BatchImport(manifest: manifest, store: store).run([folder + "/good.jsonl"])
    #expect(summary.imported == 0 && summary.pagesLeft == 4)
    #expect(summary.refused.count == 1 && summary.refused[0].contains("an ocrview run has it open"))
    #expect(JournalStore.read(writer.path) == before)
  }
}

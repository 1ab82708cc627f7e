import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// Batch export: the request lines against vLLM's batch schema, `custom_id`s, splitting, and
/// pages the journal has already.
@Suite struct BatchExportTests {
  static let settings: GenerationSettings = {
    var settings = RequestedSettings(model: "lightonai/LightOnOCR-2-1B")
      .settings(profile: .lightOnOCR2, contextTokens: nil)
    settings.grounding = false
    return settings
  }()

  static func export(_ paths: [String], directory: String, state: String) -> BatchExport {
    BatchExport(
      paths: paths, settings: settings, identity: "test identity loop_guard=true", maxSide: 400,
      directory: directory, store: JournalStore(directory: state))
  }

  static func lines(_ path: String) -> [[String: Any]] {
    let data = FileManager.default.contents(atPath: path) ?? Data()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
    }
  }

  @Test func customIDsRoundTripAndRefuseOthers() {
    let id = BatchID(
      document: String(repeating: "ab", count: 32), settings: "0123456789abcdef", page: 12)
    #expect(id.description == "ocrview-\(String(repeating: "ab", count: 16))-0123456789abcdef-p12")
    #expect(BatchID(parsing: id.description) == id)
    for text in [
      "", "request-1", "ocrview-abc-0123456789abcdef-p1",
      "ocrview-\(String(repeating: "a", count: 32))-0123456789abcdef-p0",
      "ocrview-\(String(repeating: "a", count: 32))-0123456789abcdef-1",
      "ocrview-\(String(repeating: "g", count: 32))-0123456789abcdef-p1",
    ] {
      #expect(BatchID(parsing: text) == nil, "\(text)")
    }
  }

  /// Each line is vLLM's `BatchRequestInput` (`custom_id`, `method`, `url`, `body`, nothing
  /// else) and its body is what a live run sends in batch mode: the same builder's output.
  @Test func linesAreVLLMBatchRequestsWithTheLiveBody() async throws {
    let folder = TestFiles.scratchDirectory()
    let pdf = folder + "/three.pdf"
    TestFiles.makePDF(pages: 3, at: pdf)
    var export = Self.export([pdf], directory: folder + "/out", state: folder + "/state")
    export.renderWorkers = 2
    let summary = try await export.run()
    #expect(summary.exported == 3)
    #expect(
      summary.manifest.files == [
        BatchManifest.File(
          name: "requests-0001.jsonl", lines: 3, bytes: summary.manifest.files.first?.bytes ?? 0)
      ])
    let lines = Self.lines(folder + "/out/requests-0001.jsonl")
    #expect(lines.count == 3)
    let document = try await OpenedDocument.open(path: pdf)
    var widths: [Int] = []
    let fingerprint = try #require(ContentHash.fingerprint(fileAt: pdf))
    for (index, line) in lines.enumerated() {
      #expect(Set(line.keys) == ["custom_id", "method", "url", "body"])
      #expect(line["method"] as? String == "POST")
      #expect(line["url"] as? String == "/v1/chat/completions")
      let id = try #require(BatchID(parsing: line["custom_id"] as? String ?? ""))
      #expect(id.page == index + 1)
      #expect(id.document == String(fingerprint.prefix(32)))
      #expect(id.settings == String(JournalStore.settingsHash("test identity loop_guard=true")))
      let image = try await document.render(page: index + 1, maxSide: 400)
      widths.append(image.width)
      let live = ChatRequest.body(for: image, mode: .batch, settings: Self.settings, logprobs: true)
      let liveObject = try JSONSerialization.jsonObject(with: Data(live)) as? NSDictionary
      #expect((line["body"] as? NSDictionary) == liveObject)
      let body = try #require(line["body"] as? [String: Any])
      // What vLLM's ChatCompletionRequest reads: a model, messages, no streaming.
      #expect(body["model"] as? String == "lightonai/LightOnOCR-2-1B")
      #expect(body["stream"] as? Bool == false)
      #expect(body["stream_options"] == nil)
      #expect(body["max_tokens"] as? Int == 4096)
    }
    let manifest = try BatchManifest.read(folder + "/out/manifest.json")
    #expect(manifest == summary.manifest)
    #expect(manifest.documents.map(\.pages.count) == [3])
    #expect(manifest.documents.first?.pages.map(\.width) == widths)
    #expect(manifest.documents.first?.pages.map(\.height) == [400, 400, 400])
  }

  @Test func filesSplitAtTheLineAndByteLimits() throws {
    let folder = TestFiles.scratchDirectory()
    let byLines = BatchFiles(directory: folder, maxLines: 2)
    for index in 0..<5 { try byLines.append(Array("line \(index)\n".utf8)) }
    byLines.finish()
    #expect(byLines.files.map(\.lines) == [2, 2, 1])
    #expect(
      byLines.files.map(\.name) == [
        "requests-0001.jsonl", "requests-0002.jsonl", "requests-0003.jsonl",
      ])
    let subfolder = folder + "/bytes"
    try FileManager.default.createDirectory(atPath: subfolder, withIntermediateDirectories: true)
    let byBytes = BatchFiles(directory: subfolder, maxBytes: 20)
    for _ in 0..<5 { try byBytes.append(Array("0123456789\n".utf8)) }  // 11 bytes each
    byBytes.finish()
    #expect(byBytes.files.map(\.lines) == [1, 1, 1, 1, 1])
    #expect(byBytes.files.allSatisfy { $0.bytes <= 20 })
    let text = try String(contentsOfFile: subfolder + "/requests-0005.jsonl", encoding: .utf8)
    #expect(text == "0123456789\n")
  }

  @Test func imagesAsFilesAreReferencedByFileURL() async throws {
    let folder = TestFiles.scratchDirectory()
    let pdf = folder + "/one.pdf"
    TestFiles.makePDF(pages: 1, at: pdf)
    var export = Self.export([pdf], directory: folder + "/out", state: folder + "/state")
    export.images = .files
    _ = try await export.run()
    let line = try #require(Self.lines(folder + "/out/requests-0001.jsonl").first)
    let body = try #require(line["body"] as? [String: Any])
    let content = (body["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]]
    let url = (content?.first?["image_url"] as? [String: Any])?["url"] as? String ?? ""
    #expect(url.hasPrefix("file://" + folder + "/out/images/"))
    let png = try #require(FileManager.default.contents(atPath: String(url.dropFirst(7))))
    #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
  }

  @Test func pagesTheJournalHasAreNotExportedAndAnExportIsNotOverwritten() async throws {
    let folder = TestFiles.scratchDirectory()
    let pdf = folder + "/three.pdf"
    TestFiles.makePDF(pages: 3, at: pdf)
    let store = JournalStore(directory: folder + "/state")
    let (_, writer) = try store.open(
      document: pdf, pageCount: 3, identity: "test identity loop_guard=true", fresh: false)
    writer.record(.pageFinished(page: 2, text: "Done before.", stats: .unmeasured(.stream)))
    await writer.flush()
    // A copy of the document adds nothing: its custom_ids would repeat.
    let copy = folder + "/copy.pdf"
    try FileManager.default.copyItem(atPath: pdf, toPath: copy)
    let summary = try await Self.export(
      [pdf, copy], directory: folder + "/out", state: folder + "/state"
    ).run()
    #expect(summary.manifest.documents.count == 1)
    #expect(summary.alreadyDone == 1)
    #expect(summary.manifest.documents.first?.pages.map(\.page) == [1, 3])
    await #expect(throws: BatchError.notEmpty(directory: folder + "/out")) {
      _ = try await Self.export([pdf], directory: folder + "/out", state: folder + "/state").run()
    }
  }
}

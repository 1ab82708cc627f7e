import Foundation
import OCRKit
import OCRTestSupport

/// Issue 24: `ocrview batch export` and `import`, each against a reference in the same run —
/// export against `ocrview ocr`'s own pipeline to an instant server (same render and encode
/// path), its peak memory at 100 and 2,000 pages, import of 10,000 result lines, and the round
/// trip on real pages (live transcript vs. export → run-batch imitation → import → `ocr`).
enum BatchBenchmark {
  static let model = "lightonai/LightOnOCR-2-1B"
  static let budget = ["--model", model, "--max-tokens", "4096"]

  /// libtasn1's 36-page manual nine times over, as one 324-page document (`pdfunite`).
  static func realPages(in scratch: String) throws -> String {
    let source = "/usr/share/doc/libtasn1-doc/libtasn1.pdf"
    guard FileManager.default.fileExists(atPath: source) else {
      throw BenchmarkError("\(source) missing: apt-get install libtasn1-doc")
    }
    let path = scratch + "/real-324.pdf"
    let exit = try Child(["/usr/bin/pdfunite"] + Array(repeating: source, count: 9) + [path])
      .wait()
    guard exit.status == 0 else { throw BenchmarkError("pdfunite failed (poppler-utils)") }
    return path
  }

  static func fresh(_ scratch: String) -> [String: String] {
    let own = scratch + "/run-" + UUID().uuidString
    return ["XDG_STATE_HOME": own + "/state", "XDG_CONFIG_HOME": own + "/config"]
  }

  static func export(_ file: String, out: String, environment: [String: String], scratch: String)
    throws -> Child
  {
    try Child(
      [OcrviewProcess.binary, "batch", "export", file, "--out", out] + budget,
      environment: environment, stdoutPath: "/dev/null", stderrPath: scratch + "/stderr.log")
  }

  static func run(rounds: Int) async throws {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let real = try realPages(in: scratch)
    let responder = FakeResponder.transcript(
      (1...36).map { "## Page \($0)\n\n" + ServerBenchmarks.pageText })
    let server = try FakeOCRServer(slots: 64, responder: responder)

    // Export speed: the same pages through `ocr` and through export. Like the ceiling
    // benchmark, the server answers at once with a word (batch mode, as export's requests), so
    // only the client's render, encode and upload path is timed.
    let instant = try FakeOCRServer(slots: 64, responder: FakeResponder.transcript(["text"]))
    var walls: [String: [Double]] = [:]
    var cpus: [String: [Double]] = [:]
    for round in 0..<rounds {
      for which in round % 2 == 0 ? ["ocr", "export"] : ["export", "ocr"] {
        let child =
          which == "ocr"
          ? try OcrviewProcess.startOCR(
            file: real, server: instant.baseURL,
            extra: budget + [
              "--batch", "--concurrency", "16", "-o", scratch + "/speed.md", "--overwrite",
            ],
            scratch: scratch)
          : try export(
            real, out: scratch + "/speed-" + UUID().uuidString, environment: fresh(scratch),
            scratch: scratch)
        let exit = child.wait()
        guard exit.status == 0 else {
          throw BenchmarkError("\(which) exited \(exit.status); see \(scratch)/stderr.log")
        }
        walls[which, default: []].append(exit.elapsed.millisecondsValue / 1000)
        cpus[which, default: []].append(exit.cpuSeconds)
      }
    }
    let ocr = Figures.median(walls["ocr"]!)
    let exported = Figures.median(walls["export"]!)
    print("batch export: 324 real pages (libtasn1 ×9), median of \(rounds), alternating")
    print(
      "  ocrview ocr --batch to an instant server \(Figures.format(ocr, 2)) s "
        + "(\(Figures.format(324 / ocr)) pages/s); batch export \(Figures.format(exported, 2)) s "
        + "(\(Figures.format(324 / exported)) pages/s)")
    let cpu = (ocr: Figures.median(cpus["ocr"]!), export: Figures.median(cpus["export"]!))
    print(
      "  export/ocr = \(Figures.format(exported / ocr, 2)) wall (target ≤ 1.2) "
        + Figures.verdict(exported / ocr <= 1.2) + "; CPU \(Figures.format(cpu.export, 2)) s vs "
        + "\(Figures.format(cpu.ocr, 2)) s = \(Figures.format(cpu.export / cpu.ocr, 2))")

    // Memory: peak RSS exporting 100 and 2,000 synthetic pages.
    var peaks: [Int: Double] = [:]
    for count in [100, 2000] {
      let pdf = scratch + "/synthetic-\(count).pdf"
      SyntheticPDF.write(pages: count, to: pdf, linesPerPage: 40)
      let exit = try export(
        pdf, out: scratch + "/memory-\(count)", environment: fresh(scratch), scratch: scratch
      ).wait(samplingPeakRSS: true)
      guard exit.status == 0, let peak = exit.peakRSSMegabytes else {
        throw BenchmarkError("export exited \(exit.status)")
      }
      peaks[count] = peak
      try? FileManager.default.removeItem(atPath: scratch + "/memory-\(count)")
    }
    print(
      "  peak RSS: 100 pages \(Figures.format(peaks[100]!)) MB, 2,000 pages "
        + "\(Figures.format(peaks[2000]!)) MB (target ≤ 150) \(Figures.verdict(peaks[2000]! <= 150)); "
        + "2000/100 = \(Figures.format(peaks[2000]! / peaks[100]!, 2))")

    try await roundTrip(real, server: server, responder: responder, scratch: scratch)
    try importSpeed(lines: 10_000, rounds: rounds, scratch: scratch)
  }

  /// Live transcript vs. export → imitation (shuffled) → import → `ocr`: bytes and requests.
  static func roundTrip(
    _ real: String, server: FakeOCRServer,
    responder: @escaping @Sendable (FakeRequest) -> FakeResponse,
    scratch: String
  ) async throws {
    let live = try OcrviewProcess.startOCR(
      file: real, server: server.baseURL,
      extra: budget + ["--concurrency", "16", "-o", scratch + "/live.md", "--overwrite"],
      scratch: scratch
    ).wait()
    guard live.status == 0 else { throw BenchmarkError("live run exited \(live.status)") }
    let state = fresh(scratch)
    let out = scratch + "/round-trip"
    guard try export(real, out: out, environment: state, scratch: scratch).wait().status == 0 else {
      throw BenchmarkError("export failed")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: out)
      .filter { $0.hasPrefix("requests-") }.sorted()
    var results: [String] = []
    for (index, file) in files.enumerated() {
      let input = FileManager.default.contents(atPath: out + "/" + file) ?? Data()
      let run = FakeRunBatch.run(
        input: Array(input), responder: responder, shuffle: true, seed: UInt64(index + 1))
      let path = out + "/results-\(index + 1).jsonl"
      FileManager.default.createFile(atPath: path, contents: Data(run.output))
      results.append(path)
    }
    let imported = try Child(
      [OcrviewProcess.binary, "batch", "import"] + results, environment: state,
      stdoutPath: scratch + "/import.txt", stderrPath: scratch + "/stderr.log"
    ).wait()
    let before = server.requests.count
    let again = try Child(
      [OcrviewProcess.binary, "ocr", real, "--engine", "server", "--server", server.baseURL]
        + budget + ["-o", scratch + "/after.md"],
      environment: state, stderrPath: scratch + "/stderr.log"
    ).wait()
    let sent = server.requests.count - before
    let same =
      FileManager.default.contents(atPath: scratch + "/live.md")
      == FileManager.default.contents(atPath: scratch + "/after.md")
    let summary = (try? String(contentsOfFile: scratch + "/import.txt", encoding: .utf8)) ?? ""
    print("round trip: 324 real pages, export → run-batch imitation (shuffled) → import → ocr")
    print("  import: \(summary.split(separator: "\n").first ?? "?") (exit \(imported.status))")
    print(
      "  ocr afterwards: exit \(again.status), \(sent) requests (target 0) "
        + "\(Figures.verdict(sent == 0)); transcript identical to the live run: "
        + "\(same ? "yes" : "NO") \(Figures.verdict(same))")
  }

  /// `ocrview batch import` of `lines` result lines (one document of that many pages).
  static func importSpeed(lines: Int, rounds: Int, scratch: String) throws {
    let folder = scratch + "/import"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let pdf = folder + "/doc.pdf"
    SyntheticPDF.write(pages: 1, to: pdf)
    guard let hash = JournalStore(directory: folder).contentFingerprint(ofFileAt: pdf) else {
      throw BenchmarkError("cannot read \(pdf)")
    }
    var manifest = BatchManifest(identity: "benchmark loop_guard=true", images: "inline")
    manifest.documents = [
      BatchManifest.Document(
        path: pdf, contentHash: hash, pageCount: lines,
        pages: (1...lines).map {
          BatchManifest.Page(
            page: $0, width: 1190, height: 1540, imageBytes: 90_000, maxTokens: 4096)
        })
    ]
    FileManager.default.createFile(
      atPath: folder + "/" + BatchManifest.fileName, contents: Data(manifest.encoded()))
    var output = Data()
    for page in 1...lines {
      let id = BatchID(document: hash, settings: manifest.settingsHash, page: page)
      let body: [String: Any] = [
        "id": "chatcmpl-\(page)", "object": "chat.completion", "model": model,
        "choices": [
          [
            "index": 0, "finish_reason": "stop",
            "message": [
              "role": "assistant", "content": "## Page \(page)\n\n" + ServerBenchmarks.pageText,
            ],
          ]
        ],
        "usage": ["prompt_tokens": 2100, "completion_tokens": 380, "total_tokens": 2480],
      ]
      let line: [String: Any] = [
        "id": "vllm-\(page)", "custom_id": id.description,
        "response": ["status_code": 200, "request_id": "vllm-batch-\(page)", "body": body],
        "error": NSNull(),
      ]
      output += try JSONSerialization.data(withJSONObject: line)
      output.append(0x0A)
    }
    let results = folder + "/results.jsonl"
    FileManager.default.createFile(atPath: results, contents: output)
    var times: [Double] = []
    for _ in 0..<rounds {
      let exit = try Child(
        [OcrviewProcess.binary, "batch", "import", results], environment: fresh(scratch),
        stderrPath: scratch + "/stderr.log"
      ).wait()
      guard exit.status == 0 else { throw BenchmarkError("import exited \(exit.status)") }
      times.append(exit.elapsed.millisecondsValue / 1000)
    }
    let median = Figures.median(times)
    print(
      "batch import: \(lines) result lines (\(output.count / 1_000_000) MB), median of \(rounds): "
        + "\(Figures.format(median, 2)) s (target ≤ 5) \(Figures.verdict(median <= 5))")
  }
}

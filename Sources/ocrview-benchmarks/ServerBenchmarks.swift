import Foundation
import OCRKit
import OCRTestSupport

/// Targets 1, 3, 4 and 6: the `ocrview` binary against an in-process fake llama-server.
enum ServerBenchmarks {
  /// Text of one page as the fake server sends it: ~1.5 KB, 11 words a line.
  static let pageText = (1...24).map { line in
    "Line \(line) of the page, with a few more words to read in it."
  }.joined(separator: "\n")

  static func document(pages: Int, in scratch: String) -> String {
    let path = scratch + "/doc-\(pages).pdf"
    if !FileManager.default.fileExists(atPath: path) {
      SyntheticPDF.write(pages: pages, to: path, linesPerPage: 40)
    }
    return path
  }

  /// Target 1: from starting `ocrview ocr` to the first request reaching the server, for a
  /// 1-page and a 300-page PDF, alternating — and a 300-page one padded with a 40 MB
  /// incompressible image on its last page, whose journal fingerprint is sampled.
  static func firstRequest(runs: Int) async throws {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let server = try FakeOCRServer(slots: 4, responder: FakeResponder.transcript([pageText]))
    var times: [Int: [Double]] = [:]
    let counts = [1, 300, -300]  // -300: the padded one
    for count in counts.dropLast() { _ = document(pages: count, in: scratch) }
    let padded = scratch + "/padded-300.pdf"
    SyntheticPDF.write(pages: 300, to: padded, linesPerPage: 40, noiseMegabytes: 40)
    for run in 0..<runs {
      for count in run % 2 == 0 ? counts : counts.reversed() {
        let before = server.requests.count
        let file = count < 0 ? padded : document(pages: count, in: scratch)
        let child = try OcrviewProcess.startOCR(
          file: file, server: server.baseURL, scratch: scratch)
        guard await server.waitUntil(timeout: .seconds(30), { server.requests.count > before })
        else { throw BenchmarkError("no request arrived; see \(scratch)/stderr.log") }
        let arrived = server.requests[before].receivedAt
        child.signal(SIGKILL)
        _ = child.wait()
        times[count, default: []].append((arrived - child.started).millisecondsValue)
      }
    }
    let one = Figures.median(times[1]!)
    let many = Figures.median(times[300]!)
    let big = Figures.median(times[-300]!)
    let size = ((try? FileManager.default.attributesOfItem(atPath: padded)[.size]) as? Int) ?? 0
    let ratio = max(many, big) / one
    print("first request: start of `ocrview ocr` → first request at the server, median of \(runs)")
    print(
      "  1 page: \(Figures.format(one)) ms; 300 pages: \(Figures.format(many)) ms; "
        + "300 pages in \(size >> 20) MB: \(Figures.format(big)) ms")
    print(
      "  ratio \(Figures.format(ratio, 2)) (target within 10%) "
        + Figures.verdict(abs(ratio - 1) <= 0.10))
  }

  /// Target 3: 4 slots, a fixed page time, in each mode: 40 pages of 250 ms (issue 5), and
  /// 20 pages of 1 s (issue 14: the first four requests must leave together).
  static func throughput(runs: Int) async throws {
    try await throughput(pages: 40, firstToken: .milliseconds(100), runs: runs, target: 1.1)
    try await throughput(pages: 20, firstToken: .milliseconds(850), runs: runs, target: 1.05)
  }

  /// `pages` pages on 4 slots, each 10 deltas, the first after `firstToken`, each next one and
  /// the stop chunk 15 ms apart: a page takes `firstToken` + 150 ms in both modes.
  static func throughput(pages: Int, firstToken: Duration, runs: Int, target: Double)
    async throws
  {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let text = (1...10).map { "word\($0)" }.joined(separator: " ")
    let server = try FakeOCRServer(
      slots: 4,
      responder: FakeResponder.transcript(
        [text], firstTokenDelay: firstToken, between: .milliseconds(15)))
    let pageTime = firstToken.millisecondsValue + 150
    let ideal = Double(pages) * pageTime / 4
    let file = document(pages: pages, in: scratch)
    var totals: [String: [Double]] = [:]
    // From the start of `ocrview` to its first request, and from that to its fourth.
    var firstRequest: [Double] = []
    var fourthRequest: [Double] = []
    for _ in 0..<runs {
      for mode in ["--stream", "--batch"] {
        let before = server.requests.count
        let child = try OcrviewProcess.startOCR(
          file: file, server: server.baseURL, extra: [mode], scratch: scratch)
        let exit = child.wait()
        guard exit.status == 0 else { throw BenchmarkError("ocrview exited \(exit.status)") }
        totals[mode, default: []].append(exit.elapsed.millisecondsValue)
        let arrivals = server.requests.dropFirst(before).prefix(4).map(\.receivedAt)
        firstRequest.append((arrivals[arrivals.startIndex] - child.started).millisecondsValue)
        fourthRequest.append(
          (arrivals[arrivals.endIndex - 1] - arrivals[arrivals.startIndex]).millisecondsValue)
      }
    }
    let time = Figures.format(pageTime, 0)
    print(
      "throughput: \(pages) pages, 4 slots, \(time) ms a page; ideal \(pages) × \(time) / 4 = "
        + "\(Figures.format(ideal, 0)) ms")
    for mode in ["--stream", "--batch"] {
      let ratio = Figures.median(totals[mode]!) / ideal
      print(
        "  \(mode): median \(Figures.format(Figures.median(totals[mode]!), 0)) ms, "
          + "\(Figures.format(ratio, 3))× ideal (target ≤ \(target)×) "
          + Figures.verdict(ratio <= target))
    }
    print(
      "  peak concurrent requests at the server: \(server.peakConcurrentChats); start → first "
        + "request \(Figures.format(Figures.median(firstRequest), 0)) ms, first → fourth "
        + "\(Figures.format(Figures.median(fourthRequest), 0)) ms (medians)")
  }

  /// Target 6: what the client adds per page over an instant server, at concurrency 1.
  static func overhead(runs: Int) async throws {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let server = try FakeOCRServer(slots: 1, responder: FakeResponder.transcript([pageText]))
    let pages = 40
    var perPage: [Double] = []
    var renders: [Double] = []
    var requests: [Double] = []
    for _ in 0..<runs {
      var walls: [Int: Double] = [:]
      for count in [1, pages] {
        let jsonl = scratch + "/out.jsonl"
        let child = try OcrviewProcess.startOCR(
          file: document(pages: count, in: scratch), server: server.baseURL,
          extra: ["--stream", "--concurrency", "1", "--format", "jsonl"], stdoutPath: jsonl,
          scratch: scratch)
        let exit = child.wait()
        guard exit.status == 0 else { throw BenchmarkError("ocrview exited \(exit.status)") }
        walls[count] = exit.elapsed.millisecondsValue
        if count == pages {
          for record in try statsRecords(jsonl) {
            renders.append(record.renderMs)
            requests.append(record.e2eMs)
          }
        }
      }
      perPage.append((walls[pages]! - walls[1]!) / Double(pages - 1))
    }
    let render = Figures.median(renders)
    let added = Figures.median(perPage) - render
    print("overhead: instant server, concurrency 1, \(pages) pages vs 1 page, median of \(runs)")
    print(
      "  each extra page: \(Figures.format(Figures.median(perPage), 2)) ms; its render "
        + "\(Figures.format(render, 2)) ms; request to last byte \(Figures.format(Figures.median(requests), 2)) ms"
    )
    print(
      "  client overhead beyond render: \(Figures.format(added, 2)) ms (target ≤ 5 ms) "
        + Figures.verdict(added <= 5))
  }

  /// Target 4: peak RSS of `ocrview ocr` over 100 and 300 pages (and 1, for the baseline).
  /// The peak depends on how the render workers' and curl's allocations happen to spread over
  /// malloc's arenas (±10 % run to run), so it is the median of `runs`, counts alternating.
  static func memory(runs: Int) async throws {
    let scratch = OcrviewProcess.scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let server = try FakeOCRServer(slots: 4, responder: FakeResponder.transcript([pageText]))
    var samples: [Int: [Double]] = [:]
    for run in 0..<runs {
      for count in run % 2 == 0 ? [1, 100, 300] : [300, 100, 1] {
        let child = try OcrviewProcess.startOCR(
          file: document(pages: count, in: scratch), server: server.baseURL,
          extra: ["-o", scratch + "/out-\(count).md", "--overwrite"], scratch: scratch)
        let exit = child.wait(samplingPeakRSS: true)
        guard exit.status == 0, let peak = exit.peakRSSMegabytes else {
          throw BenchmarkError("ocrview exited \(exit.status)")
        }
        samples[count, default: []].append(peak)
      }
    }
    let peaks = samples.mapValues(Figures.median)
    let ratio = peaks[300]! / peaks[100]!
    print("memory: peak RSS of `ocrview ocr -o FILE`, 4 slots, instant server, median of \(runs)")
    print(
      "  1 page \(Figures.format(peaks[1]!)) MB; 100 pages \(Figures.format(peaks[100]!)) MB; "
        + "300 pages \(Figures.format(peaks[300]!)) MB")
    print(
      "  300 pages ≤ 150 MB \(Figures.verdict(peaks[300]! <= 150)); 300/100 = "
        + "\(Figures.format(ratio, 3)) (target within 15%) \(Figures.verdict(abs(ratio - 1) <= 0.15))"
    )
  }

  /// The `stats` of each line of `--format jsonl` output.
  static func statsRecords(_ path: String) throws -> [StatsRecord] {
    struct Line: Decodable { var stats: StatsRecord? }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n").compactMap { line in
      try? JSONDecoder().decode(Line.self, from: Data(line.utf8)).stats
    }
  }
}

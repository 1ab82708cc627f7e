import Foundation
import OCRKit
import Synchronization

/// The progress line of a headless run on a terminal. Its page total is counted in the
/// background (opening every document), so the first request never waits for it.
final class Progress: Sendable {
  private let total = Mutex<Int?>(nil)
  private let started = ContinuousClock.now

  /// `pages`: `--pages`, which the total counts as each document's run does.
  init(_ files: [String], _ password: String?, pages: String?) {
    Task.detached { [self] in
      var count = 0
      for file in files {
        guard let document = try? await OpenedDocument.open(path: file, password: password)
        else { continue }
        count +=
          (pages.map { try? PageRange.parse($0, pageCount: document.pageCount).count }
            ?? document.pageCount) ?? 0
      }
      total.withLock { $0 = count }
    }
  }

  func line(done: Int, failed: Int, inFlight: Int?) -> String {
    ProgressLine.text(
      done: done, failed: failed, total: total.withLock { $0 }, elapsed: .now - started,
      inFlight: inFlight)
  }
}

/// stderr for people: reports and stats lines, with a progress line kept at the bottom (when
/// there is one: several documents or an output file, on a terminal).
final class StatusLines {
  private let output = OutputFile.standardError
  private let progress: Progress?
  private var progressShown = ""

  init(progress: Progress?) { self.progress = progress }

  func report(_ line: String) { write("ocrview: \(ServerText.name(line))") }

  func write(_ line: String) {
    output.write(clearProgress() + line + "\n" + progressShown)
  }

  func progress(done: Int, failed: Int, inFlight: Int?) {
    guard let line = progress?.line(done: done, failed: failed, inFlight: inFlight) else {
      return
    }
    progressShown = line
    output.write("\r\u{1B}[2K" + line)
  }

  func endProgress() {
    guard !progressShown.isEmpty else { return }
    output.write("\n")
    progressShown = ""
  }

  private func clearProgress() -> String { progressShown.isEmpty ? "" : "\r\u{1B}[2K" }
}

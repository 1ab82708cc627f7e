import Foundation
import OCRKit

/// Says each distinct failure once: when the server is down, fifty pages fail alike and the
/// user needs one line, not fifty.
struct FailureReporter {
  private var lastMessage: String?
  private var repeats = 0

  /// The line to print for this failure, or nil when it repeats the previous one.
  mutating func line(page: Int, error: OCRError, file: String?) -> String? {
    let message = error.description
    if message == lastMessage {
      repeats += 1
      return nil
    }
    lastMessage = message
    let place = file.map { "\($0): page \(page)" } ?? "page \(page)"
    return "\(place): \(message)"
  }

  /// A closing line counting the repeats that were not printed.
  func summary() -> String? {
    repeats > 0 ? "\(repeats) more page\(repeats == 1 ? "" : "s") failed the same way" : nil
  }
}

/// Says each failed write once, naming the file and what to do about the text that did not
/// reach it.
struct WriteReport {
  private(set) var any = false
  private(set) var journalFailed = false
  private var pending: [WriteError] = []

  /// Notes a failure found outside a document's events (replacing a file at the end).
  mutating func record(_ failure: WriteError) { pending.append(failure) }

  /// The lines for these transcript failures and the journal's, plus any recorded ones.
  mutating func lines(_ failures: [WriteError], journal: WriteError?, document: String?)
    -> [String]
  {
    var lines = (pending + failures).map { failure in
      guard failure.code != EPIPE else { return "\(failure) — stopped printing" }
      return "\(failure) — the text it misses is in the journal"
        + (document.map { " (ocrview journal show \($0))" } ?? "")
    }
    if let failure = journal {
      journalFailed = true
      lines.append(
        "\(failure) — the journal stops here (pages will not be restored after a crash); "
          + "the transcript still gets the text")
    }
    pending = []
    any = any || !lines.isEmpty
    return lines
  }
}

import Foundation

extension JournalSnapshot {
  /// What the journal holds as a Markdown transcript (`ocrview journal show`): finished pages
  /// as `ocrview ocr` writes them, a page an interruption cut short with its text so far and
  /// `<!-- page N: cancelled -->`.
  public func markdown(filePath: String) -> String {
    let numbers = pages.keys.sorted()
    var transcript = FinalTranscript(format: .md, pages: numbers, filePath: filePath)
    for number in numbers {
      let page = pages[number]!
      if let stats = page.stats {
        transcript.consume(.pageFinished(page: number, text: page.text, stats: stats))
      } else {
        transcript.consume(
          .pageFailed(page: number, error: .cancelled, partial: page.text, stats: nil))
      }
    }
    return transcript.text
  }
}

extension JournalStore {
  /// The journals kept for the document at `path` (one per set of settings it was read
  /// with), most recently used first, with what each holds.
  public func journals(ofDocumentAt path: String) throws(JournalError) -> [(
    path: String, snapshot: JournalSnapshot
  )] {
    guard let fingerprint = ContentHash.fingerprint(fileAt: path) else {
      throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
    }
    let prefix = directory + "/\(fingerprint.prefix(32))-"
    return entries().filter { $0.path.hasPrefix(prefix) }.map { entry in
      (entry.path, Self.read(entry.path).map(JournalSnapshot.init) ?? JournalSnapshot())
    }
  }
}

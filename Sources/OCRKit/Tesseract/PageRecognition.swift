import CTesseract

/// One page read by one `TessBaseAPIRecognize` — exactly what batch mode, stream mode and the
/// `tesseract` command line read — with a monitor that hands out each text line as soon as
/// recognition has passed it.
///
/// How it follows recognition: tesseract lays out the whole page, then recognises its words
/// one by one in page order, calling the monitor's cancel hook before each word with the
/// pass's word count. At the first call nothing is recognised yet, and the lines' word counts
/// (layout only, safe to read) say after which word each line is done; at each later call
/// the lines whose words are all done are read and handed out. With LSTM models nothing after
/// that pass changes a word's text (tesseract 5.3 `recog_all_words`: the later passes are for
/// the legacy engine only), so what was handed out is what batch mode reads; with a legacy or
/// combined model, or any count that does not match, text is handed out at the end instead.
/// Measured (BENCHMARKS.md, "Stream mode reads what batch mode reads"): on 14 pages — real
/// scans, a two-column brochure, a printed article, skewed and rotated scans, Korean — stream
/// text equals batch text byte for byte, the first line arrives after 11–29 % of the page's
/// time, and the page takes as long as in batch mode. (The old block-by-block stream mode
/// read up to 1.5× batch mode's words on skewed pages, similarity 0.64.)
///
/// Reading the result iterator inside the hook is safe because the hook runs on this thread
/// between two words (nothing is half-written) and only finished words' text is read; the
/// iterator is deleted before the hook returns (recognition then replaces words it split).
final class PageRecognition {
  private let api: OpaquePointer?
  private let cancelled: CancelFlag
  private let wordsRead: Counter
  /// Where finished lines go as they are read; nil in batch mode.
  private let emit: ((String) -> Void)?
  private var followsRecognition: Bool
  /// Words through line i (layout analysis' words, before recognition splits any).
  private var lineEnds: [Int] = []
  private var linesDone = 0
  private var wordsStarted = 0

  init(
    api: OpaquePointer?, cancelled: CancelFlag, wordsRead: Counter,
    emit: ((String) -> Void)?
  ) {
    self.api = api
    self.cancelled = cancelled
    self.wordsRead = wordsRead
    self.emit = emit
    followsRecognition = emit != nil && Self.isLSTMOnly(api)
  }

  /// The engine mode tesseract settled on after loading the models (`TessBaseAPIOem` only
  /// says what was asked for: the default). Debian's language packs are LSTM-only.
  private static func isLSTMOnly(_ api: OpaquePointer?) -> Bool {
    var mode: Int32 = -1
    return TessBaseAPIGetIntVariable(api, "tessedit_ocr_engine_mode", &mode) != 0
      && mode == Int32(OEM_LSTM_ONLY.rawValue)
  }

  /// Recognises the image set on `api` and returns the page text not yet handed out (all of it
  /// in batch mode), or nil when the page was cancelled.
  func run() -> String? {
    let monitor = TessMonitorCreate()
    defer { TessMonitorDelete(monitor) }
    TessMonitorSetCancelFunc(monitor) { context, words in
      guard let context else { return false }
      return Unmanaged<PageRecognition>.fromOpaque(context).takeUnretainedValue()
        .wordStarting(pageWords: Int(words))
    }
    TessMonitorSetCancelThis(monitor, Unmanaged.passUnretained(self).toOpaque())
    let failed = withExtendedLifetime(self) { TessBaseAPIRecognize(api, monitor) != 0 }
    if failed && cancelled.isSet { return nil }
    // The rest of the page, written the same way (a failed or empty page reads as "").
    let lines = PageLines.walk(api, reading: linesDone..<Int.max)
    return lines.dropFirst(linesDone).map(PageLines.write).joined()
  }

  /// Called by tesseract before it recognises each word; true cancels the page (tesseract
  /// then skips the remaining words and `TessBaseAPIRecognize` fails).
  private func wordStarting(pageWords: Int) -> Bool {
    if cancelled.isSet { return true }
    wordsRead.increment()
    defer { wordsStarted += 1 }
    guard followsRecognition, let emit else { return false }
    if wordsStarted == 0 {
      var words = 0
      lineEnds = PageLines.walk(api, countingWords: true).map { line in
        words += line.words
        return words
      }
      // Not the pass described above: hand the text out at the end.
      if words != pageWords { followsRecognition = false }
      return false
    }
    guard wordsStarted < pageWords else {
      followsRecognition = false  // a second pass: words are being read again
      return false
    }
    var done = linesDone
    while done < lineEnds.count, lineEnds[done] <= wordsStarted { done += 1 }
    guard done > linesDone else { return false }
    let lines = PageLines.walk(api, limit: done, reading: linesDone..<done)
    let text = lines.dropFirst(linesDone).map(PageLines.write).joined()
    linesDone = done
    if !text.isEmpty { emit(text) }
    return false
  }
}

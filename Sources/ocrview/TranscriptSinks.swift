import Foundation
import OCRKit

/// Where a headless run's transcript goes, and in what shape:
/// - stdout (only when there is neither `-o` nor `--out-dir`: like `curl -o`, a run that writes
///   files leaves the terminal to its progress line), and an `-o` that is a pipe or device,
///   get the transcript in page order as it
///   arrives (`TranscriptStreamer`): a page's text waits while an earlier page is in flight,
///   and a retried page's next attempt follows a retry marker (nothing sent can be taken back);
/// - an `-o` or `--out-dir` *file* gets every piece of text the moment it arrives
///   (`LiveTranscript`), and when its document (`--out-dir`) or the run (`-o`) ends, it is
///   replaced atomically by the finished transcript (`FinalTranscript`): each page once, in
///   order, its final attempt.
///
/// `-o` is opened only once a document has opened, so a mistyped input leaves no empty file
/// behind to block the corrected run. Every write is checked; `failures()` hands each failed
/// file's error out once.
final class TranscriptSinks {
  private let format: TranscriptFormat
  private let outputPath: String?
  private let overwrite: Bool
  private let outputDirectory: String?
  /// Nil with `-o` or `--out-dir`.
  private let standardOutput: OutputFile?
  private var output: OutputFile?
  /// The current document's own file in `--out-dir`.
  private var documentFile: OutputFile?
  private var stream: TranscriptStreamer?
  private var live: LiveTranscript?
  private var final: FinalTranscript?
  /// The finished transcript of the documents before the current one (for `-o`).
  private var finishedText = ""

  init(format: TranscriptFormat, outputPath: String?, overwrite: Bool, outputDirectory: String?) {
    self.format = format
    self.outputPath = outputPath
    self.overwrite = overwrite
    self.outputDirectory = outputDirectory
    standardOutput =
      outputPath == nil && outputDirectory == nil ? OutputFile.standardOutput : nil
  }

  private var streams: [OutputFile] {
    (standardOutput.map { [$0] } ?? []) + (output.map { $0.isRegularFile ? [] : [$0] } ?? [])
  }
  private var files: [OutputFile] {
    (output.map { $0.isRegularFile ? [$0] : [] } ?? []) + (documentFile.map { [$0] } ?? [])
  }
  private var all: [OutputFile] {
    (standardOutput.map { [$0] } ?? []) + (output.map { [$0] } ?? [])
      + (documentFile.map { [$0] } ?? [])
  }

  /// Starts a document: opens `-o` (the first time) and its `--out-dir` file, and writes the
  /// text that separates it from the previous one.
  func begin(
    document path: String, pages: [Int], separator: String, grounding: GroundingOutput? = nil
  ) throws(OutputFileError) {
    if output == nil, let outputPath {
      output = try OutputFile(creating: outputPath, overwrite: overwrite)
    }
    if let outputDirectory {
      documentFile = try OutputFile(newFor: path, in: outputDirectory, format: format)
    }
    // hOCR is made whole at the document's end (`endDocument(whole:)`).
    if format.streams {
      stream = TranscriptStreamer(
        format: format, pages: pages, filePath: path, grounding: grounding)
      live = LiveTranscript(format: format, filePath: path, grounding: grounding)
      final = FinalTranscript(format: format, pages: pages, filePath: path, grounding: grounding)
    }
    streams.write(separator)
    output.map { $0.isRegularFile ? $0.write(separator) : () }
    finishedText += separator
  }

  func consume(_ event: RunEvent) {
    if let text = stream?.consume(event) { streams.write(text) }
    if let text = live?.consume(event), !text.isEmpty { files.write(text) }
    final?.consume(event)
    if event.endsPage { all.sync() }
  }

  /// Ends the document: its `--out-dir` file becomes its finished transcript — `whole`, for a
  /// format made at the end (hOCR), which a stream then gets too.
  func endDocument(whole: String? = nil) -> WriteError? {
    if let whole { streams.write(whole) }
    let text = whole ?? final?.text ?? ""
    finishedText += text
    stream = nil
    live = nil
    final = nil
    defer { documentFile = nil }
    guard let documentFile, !documentFile.failed else { return nil }
    return documentFile.replace(with: text)
  }

  /// Ends the run: `-o` becomes the finished transcript of every document.
  func finish() -> WriteError? {
    guard let output, !output.failed else { return nil }
    return output.replace(with: finishedText)
  }

  /// Files whose write failed since last asked, each once.
  func failures() -> [WriteError] { all.compactMap { $0.takeFailure() } }

  /// Whether every transcript sink failed: nothing more can be shown or saved but the journal.
  /// None open (`--out-dir` between documents) is not failed.
  var allFailed: Bool { !all.isEmpty && all.allSatisfy(\.failed) }
}

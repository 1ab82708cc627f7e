import Foundation

/// Saves transcripts next to their document without ever overwriting a file.
public enum TranscriptFile {
  /// `NAME.ocr.md` beside the document (or in `directory`), else `NAME.ocr-2.md`, `-3`, …:
  /// the first name `exists` says is free.
  public static func path(
    for documentPath: String, in directory: String? = nil, extension suffix: String = "md",
    exists: (String) -> Bool
  ) -> String {
    let url = URL(fileURLWithPath: documentPath)
    let folder = directory ?? url.deletingLastPathComponent().path
    let base = url.deletingPathExtension().lastPathComponent
    var number = 1
    while true {
      let name = number == 1 ? "\(base).ocr.\(suffix)" : "\(base).ocr-\(number).\(suffix)"
      let candidate = (folder as NSString).appendingPathComponent(name)
      if !exists(candidate) { return candidate }
      number += 1
    }
  }

  /// Writes `text` to a new file at a free name (temp file + link, so a reader never sees half
  /// a file and an existing file is never replaced); returns the path written. Every write is
  /// checked: a full disk throws `WriteError` naming the file ("disk full").
  public static func save(_ text: String, for documentPath: String, in directory: String? = nil)
    throws(WriteError) -> String
  {
    try save(Array(text.utf8), for: documentPath, in: directory)
  }

  /// `save` for any file made whole in memory (`extension`: a searchable PDF's `pdf`).
  public static func save(
    _ bytes: [UInt8], for documentPath: String, in directory: String? = nil,
    extension suffix: String = "md"
  ) throws(WriteError) -> String {
    var target = documentPath
    for _ in 0..<100 {
      target = path(for: documentPath, in: directory, extension: suffix) {
        FileManager.default.fileExists(atPath: $0)
      }
      let temporary = try AtomicFile.written(bytes, beside: target)
      defer {
        close(temporary.fd)
        unlink(temporary.path)
      }
      // link(2) fails if the target appeared meanwhile: then try the next free name.
      if link(temporary.path, target) == 0 { return target }
      guard errno == EEXIST else { throw WriteError(path: target, code: errno) }
    }
    throw WriteError(path: target, code: EEXIST)
  }
}

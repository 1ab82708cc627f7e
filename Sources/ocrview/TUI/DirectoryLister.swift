import Foundation
import OCRKit
import OCRViewUI

/// Lists a directory for the picker: what each entry is (by content), its size and, for PDFs,
/// its page count. Blocking file I/O: call it off the concurrency pool.
enum DirectoryLister {
  /// PDFs beyond this many are listed without a page count, so huge folders open fast.
  static let pageCountLimit = 200

  static func list(_ directory: String) throws -> [PickerEntry] {
    // A folder with a non-UTF-8 name is entered through the path RawPath lends.
    let names = try RawPath.withOpenable(directory) {
      try FileManager.default.contentsOfDirectory(atPath: $0)
    }.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
    var entries = directory == "/" ? [] : [PickerEntry(name: "..", kind: .directory)]
    var pdfsCounted = 0
    for name in names {
      let path = (directory as NSString).appendingPathComponent(name)
      entries.append(entry(name: name, path: path, countPages: &pdfsCounted))
    }
    return entries
  }

  /// A non-UTF-8 name is listed with U+FFFD in it; RawPath finds the file again.
  private static func entry(name: String, path: String, countPages: inout Int) -> PickerEntry {
    RawPath.withOpenable(path) { entry(name: name, openable: $0, countPages: &countPages) }
  }

  private static func entry(name: String, openable path: String, countPages: inout Int)
    -> PickerEntry
  {
    var info = stat()
    guard stat(path, &info) == 0 else {
      var link = stat()
      let reason =
        lstat(path, &link) == 0 ? "broken link" : String(cString: strerror(errno)).lowercased()
      return PickerEntry(name: name, kind: .unreadable(reason))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR { return PickerEntry(name: name, kind: .directory) }
    let size = Int64(info.st_size)
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      return PickerEntry(name: name, kind: .unreadable("not a regular file"), size: size)
    }
    guard access(path, R_OK) == 0 else {
      return PickerEntry(name: name, kind: .unreadable("permission denied"), size: size)
    }
    guard let kind = DocumentKind.of(fileAt: path) else {
      return PickerEntry(name: name, kind: .unsupported, size: size)
    }
    var pages: Int? = kind == .pdf ? nil : 1
    if kind == .pdf, countPages < pageCountLimit {
      countPages += 1
      pages = PDFInfo.pageCount(path: path)
    }
    return PickerEntry(name: name, kind: .document(kind, pageCount: pages), size: size)
  }
}

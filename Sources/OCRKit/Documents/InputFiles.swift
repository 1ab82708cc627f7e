import Foundation

/// The documents named on a command line: files as given, directories expanded to every
/// PDF or image inside them (recursively, by content, hidden entries skipped, in name order).
public enum InputFiles {
  /// What a command line names: the documents to read, and one line for each thing inside a
  /// folder that could not be looked at (a file that cannot be read, a folder that cannot be
  /// listed) — skipped, but never silently.
  public struct Expansion: Sendable, Equatable {
    public var documents: [String] = []
    public var skipped: [String] = []
  }

  public static func expand(_ paths: [String]) -> Expansion {
    var expansion = Expansion()
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        isDirectory.boolValue
      else {
        expansion.documents.append(path)
        continue
      }
      documents(in: path, into: &expansion)
    }
    return expansion
  }

  private static func documents(in directory: String, into expansion: inout Expansion) {
    if let problem = unlistable(directory) {
      expansion.skipped.append(problem)
      return
    }
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
    var found: [String] = []
    while let relative = walker.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      if name.hasPrefix(".") {
        walker.skipDescendants()
        continue
      }
      let path = (directory as NSString).appendingPathComponent(relative)
      var entry = stat()
      if lstat(path, &entry) == 0, (entry.st_mode & S_IFMT) == S_IFDIR {
        if let problem = unlistable(path) { expansion.skipped.append(problem) }
        continue
      }
      do throws(DocumentError) {
        let head = try FileCheck.readableHead(path: path, count: DocumentKind.sniffLength)
        if DocumentKind.sniff(head) != nil { found.append(path) }
      } catch {
        if let reason = skipReason(error) {
          expansion.skipped.append("\(ServerText.name(path)): skipped (\(reason))")
        }
      }
    }
    expansion.documents += found.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
  }

  /// Why a file in a folder is worth a line: it may be a document we could not look at. An
  /// empty file is no document; one we cannot read, or a link to nothing, may be.
  private static func skipReason(_ error: DocumentError) -> String? {
    switch error {
    case .notReadable(_, let reason): reason
    case .notFound: "a symlink to nothing"
    case .notARegularFile: "not a regular file"
    default: nil
    }
  }

  /// "cannot list DIR (permission denied)", or nil when it can be listed.
  private static func unlistable(_ directory: String) -> String? {
    guard let handle = opendir(directory) else {
      return
        "\(ServerText.name(directory)): cannot list the folder (\(String(cString: strerror(errno)).lowercased()))"
    }
    closedir(handle)
    return nil
  }
}

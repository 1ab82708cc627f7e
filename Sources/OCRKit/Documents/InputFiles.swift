import Foundation

/// The documents named on a command line: files as given, directories expanded to every
/// PDF or image inside them (recursively, by content, hidden entries skipped, in name order).
public enum InputFiles {
  public static func expand(_ paths: [String]) -> [String] {
    paths.flatMap { path -> [String] in
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        isDirectory.boolValue
      else { return [path] }
      return documents(in: path)
    }
  }

  private static func documents(in directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var found: [String] = []
    while let relative = walker.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      if name.hasPrefix(".") {
        walker.skipDescendants()
        continue
      }
      let path = (directory as NSString).appendingPathComponent(relative)
      if DocumentKind.of(fileAt: path) != nil { found.append(path) }
    }
    return found.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
  }
}

/// "12/40 pages · 8.1 pages/min · ETA 3 min 20 s": the progress line of a folder run; while the
/// total is still being counted, "12 pages · 8.1 pages/min".
public enum ProgressLine {
  public static func text(done: Int, total: Int?, elapsed: Duration) -> String {
    var line = total.map { "\(done)/\($0) pages" } ?? "\(done) pages"
    let minutes = elapsed.seconds / 60
    guard done > 0, minutes > 0 else { return line }
    let rate = Double(done) / minutes
    line += " · " + String(format1: rate) + " pages/min"
    if let total, done < total {
      let left = Int((Double(total - done) / rate * 60).rounded())
      line += " · ETA " + (left >= 60 ? "\(left / 60) min \(left % 60) s" : "\(left) s")
    }
    return line
  }
}

import CNcurses
import OCRKit
import OCRViewUI

/// What `ocrview --version` prints, and the libraries line `ocrview doctor` shares with it.
///
/// A bug report needs three facts: which release, which commit it was built from, and which
/// C libraries it actually loaded — the Debian packages it runs against can be updated under
/// it, so those versions are read from the libraries at run time, never recorded at build time.
enum Version {
  /// The release number: the one place it is written. `scripts/package-deb` takes the .deb's
  /// version from `ocrview --version`, so the two never disagree.
  static let number = "0.1.0"

  /// `ocrview 0.1.0 (git 1a2b3c4d5e6f)` then the libraries line. The commit comes from the
  /// GitCommit build plugin; a build outside a git checkout prints the number alone.
  static var text: String {
    let commit = GitCommit.hash.map { " (git \($0))" } ?? ""
    return "ocrview \(number)\(commit)\n\(librariesLine)"
  }

  /// `libraries  libcurl 7.88.1, poppler 22.12.0, …`: the C libraries in use, as loaded.
  static var librariesLine: String {
    let ncurses = String(cString: curses_version()).replacingOccurrences(of: "ncurses ", with: "")
    let libraries = LibraryVersions.all + ReviewLibraries.versions + [("ncurses", ncurses)]
    return "libraries  " + libraries.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
  }
}

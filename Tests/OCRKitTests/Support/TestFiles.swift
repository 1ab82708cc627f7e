import Foundation
import OCRTestSupport

/// Paths of the repository's sample assets and test fixtures, and scratch files.
enum TestFiles {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func asset(_ name: String) -> String { root.appendingPathComponent("assets/\(name)").path }
  static func fixture(_ name: String) -> String {
    root.appendingPathComponent("Tests/Fixtures/\(name)").path
  }

  /// A fresh directory for one test's files.
  static func scratchDirectory() -> String {
    ScratchDirectory.make("test")
  }

  /// Writes a PDF of `pages` letter pages, each saying "Page N".
  static func makePDF(pages: Int, at path: String, redSquare: Bool = false) {
    SyntheticPDF.write(pages: pages, to: path, redSquare: redSquare)
  }
}

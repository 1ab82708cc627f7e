import Foundation
import OCRViewUI
import Testing

@testable import ocrview

@Suite struct DirectoryListerTests {
  @Test func recognisesEntriesByContentAndSaysWhyOthersCannotOpen() throws {
    let directory = CLI.scratchDirectory()
    let manager = FileManager.default
    try manager.copyItem(atPath: CLI.asset("sample.pdf"), toPath: directory + "/doc.pdf")
    try manager.copyItem(atPath: CLI.asset("sample.pdf"), toPath: directory + "/lying.txt")
    try manager.copyItem(atPath: CLI.asset("sample-scan.png"), toPath: directory + "/scan.png")
    try "notes".write(toFile: directory + "/notes.md", atomically: false, encoding: .utf8)
    try manager.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: false)
    try manager.createSymbolicLink(
      atPath: directory + "/dangling", withDestinationPath: directory + "/gone")
    mkfifo(directory + "/pipe", 0o644)

    let entries = try DirectoryLister.list(directory)
    func kind(_ name: String) -> PickerEntry.Kind? { entries.first { $0.name == name }?.kind }
    #expect(entries.first?.name == "..")
    #expect(kind("doc.pdf") == .document(.pdf, pageCount: 3))
    #expect(kind("lying.txt") == .document(.pdf, pageCount: 3))
    #expect(kind("scan.png") == .document(.png, pageCount: 1))
    #expect(kind("notes.md") == .unsupported)
    #expect(kind("sub") == .directory)
    #expect(kind("dangling") == .unreadable("broken link"))
    #expect(kind("pipe") == .unreadable("not a regular file"))
  }

  @Test func anUnlistableDirectoryThrows() {
    #expect(throws: (any Error).self) { try DirectoryLister.list("/nonexistent-dir") }
  }
}

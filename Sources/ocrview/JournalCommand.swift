import ArgumentParser
import Foundation
import OCRKit

/// `ocrview journal list|show|clear`: what earlier runs kept, and forgetting it.
struct JournalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "journal",
    abstract: "List, show or clear the journal of received text that lets runs resume.",
    discussion: """
      Every delta is appended to a journal in $XDG_STATE_HOME/ocrview/journal (default \
      ~/.local/state/ocrview/journal) as it arrives. Reopening the same document (by content) \
      with the same engine, model and settings restores finished pages and re-reads the rest. \
      The folder is capped at $OCRVIEW_JOURNAL_MAX_MB (default 256) MB, least recently used \
      journals evicted first.
      """,
    subcommands: [List.self, Show.self, Clear.self],
    defaultSubcommand: List.self)

  static var store: JournalStore { .standard(environment: ProcessInfo.processInfo.environment) }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "One line per journal.")

    func run() {
      let entries = JournalCommand.store.entries()
      guard !entries.isEmpty else {
        print("no journals in \(JournalCommand.store.directory)")
        return
      }
      for entry in entries { print(Self.line(entry)) }
    }

    static func line(_ entry: JournalEntry) -> String {
      let total = entry.pageCount.map { "/\($0)" } ?? ""
      let partial = entry.pagesPartial > 0 ? " (+\(entry.pagesPartial) partial)" : ""
      let date = ISO8601DateFormatter.string(
        from: entry.modified, timeZone: .current,
        formatOptions: [
          .withFullDate, .withTime,
          .withColonSeparatorInTime, .withSpaceBetweenDateAndTime,
        ])
      // The name is what the journal stored: anyone's bytes, shown escaped.
      return "\(ServerText.name(entry.documentName))  \(entry.pagesFinished)\(total) pages"
        + "\(partial)  "
        + "\(ByteCountFormatter.string(fromByteCount: Int64(entry.bytes), countStyle: .file))  "
        + "\(date)  \(ServerText.name(entry.path))"
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print what the journal holds for a document, as Markdown.",
      discussion: """
        Finished pages as `ocrview ocr` writes them; a page an interruption cut short with its \
        text so far and `<!-- page N: cancelled -->`. A document read with several settings \
        (engine, model, …) has a journal for each: each is printed after a \
        `<!-- journal: PATH -->` line.
        """)

    @Argument(help: "The document (found by its content, so a renamed copy works too).")
    var file: String

    func run() throws {
      let journals: [(path: String, snapshot: JournalSnapshot)]
      do throws(JournalError) {
        journals = try JournalCommand.store.journals(ofDocumentAt: file)
      } catch {
        OutputFile.standardError.write("ocrview: \(error)\n")
        throw ExitCode(ExitStatus.usage)
      }
      guard !journals.isEmpty else {
        OutputFile.standardError.write(
          "ocrview: the journal holds nothing for \(ServerText.name(file)) "
            + "(in \(ServerText.name(JournalCommand.store.directory)))\n"
        )
        throw ExitCode(ExitStatus.pagesFailed)
      }
      for journal in journals {
        if journals.count > 1 {
          OutputFile.standardOutput.write("<!-- journal: \(ServerText.name(journal.path)) -->\n\n")
        }
        OutputFile.standardOutput.write(journal.snapshot.markdown(filePath: file))
      }
    }
  }

  struct Clear: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete every journal.")

    func run() {
      let count = JournalCommand.store.clear()
      print(
        "deleted \(count) journal\(count == 1 ? "" : "s") from \(JournalCommand.store.directory)")
    }
  }
}

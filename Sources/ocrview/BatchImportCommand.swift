import ArgumentParser
import Foundation
import OCRKit

/// `ocrview batch import`: a batch engine's result lines into the journal.
struct BatchImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Write the pages of batch result files into the journal as finished pages.",
    discussion: """
      Lines match their pages by custom_id, in any order, from any number of files; importing \
      again changes nothing. A failed line (an error, a status other than 200, \
      finish_reason length, a repetition loop, no text) is listed and its page left for \
      `ocrview ocr`; a line the manifest does not know, or for a document changed since \
      export, is refused. Exit status 1 when any page failed or any line was refused.
      """)

  @Argument(help: "Result JSONL files (vllm run-batch -o, a Batch API's output file, Ray Data's).")
  var results: [String]

  @Option(help: "The export's manifest.json (default: the one beside the first results file).")
  var manifest: String?

  func run() throws {
    let folder = ((results.first ?? "") as NSString).deletingLastPathComponent
    let path = manifest ?? (folder.isEmpty ? "." : folder) + "/" + BatchManifest.fileName
    let summary: BatchImport.Summary
    do throws(BatchError) {
      guard manifest != nil || FileManager.default.fileExists(atPath: path) else {
        throw BatchError.noManifest(beside: results.first ?? ".")
      }
      let read = try BatchManifest.read(path)
      summary = try BatchImport(
        manifest: read, store: .standard(environment: ProcessInfo.processInfo.environment)
      ).run(results)
    } catch {
      OutputFile.standardError.write("ocrview: \(error.description)\n")
      throw ExitCode(ExitStatus.usage)
    }
    for line in summary.refused { OutputFile.standardError.write("ocrview: \(line)\n") }
    for line in summary.failed {
      OutputFile.standardError.write("ocrview: failed, left for a live run: \(line)\n")
    }
    print(
      "imported \(summary.imported) page\(summary.imported == 1 ? "" : "s")"
        + (summary.alreadyDone > 0 ? " (\(summary.alreadyDone) already in the journal)" : "")
        + "; \(summary.failed.count) failed, \(summary.refused.count) refused; "
        + "\(summary.pagesLeft) page\(summary.pagesLeft == 1 ? "" : "s") left for `ocrview ocr`")
    if !summary.failed.isEmpty || !summary.refused.isEmpty {
      throw ExitCode(ExitStatus.pagesFailed)
    }
  }
}

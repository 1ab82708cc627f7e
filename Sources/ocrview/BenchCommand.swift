import ArgumentParser
import Foundation
import OCRKit

/// `ocrview bench FILE`: the stream/batch comparison the viewer makes felt, as numbers. Runs
/// the document in stream and in batch mode alternately (A B A B …, so drift hits both) and
/// prints p50/p90 of TTFT, E2E latency, ITL and output tokens/s, with the document's time to
/// first text and total time.
struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Compare stream and batch mode on a document: TTFT, E2E latency, ITL, tokens/s.")

  @Argument(help: "A PDF or image.") var file: String
  @Option(help: "Pages, e.g. 1-3 (default: all).") var pages: String?
  @Option(help: "Runs of the document in each mode.") var runs = 3
  @Flag(help: "Print the results as JSON.") var json = false
  @OptionGroup var options: EngineOptions

  func validate() throws {
    guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
  }

  func run() async throws {
    let setup = try options.setupOrExit()
    let selection: EngineSelection
    let document: OpenedDocument
    let selected: [Int]
    do {
      selection = try await setup.selectAsRequested(
        transport: CurlTransport(),
        loading: EngineOptions.sayLoading(waitingUpTo: setup.retry.loadingWait))
      document = try await OpenedDocument.open(
        path: file, password: options.pdfPassword, workers: setup.renderWorkers)
      selected =
        try pages.map { try PageRange.parse($0, pageCount: document.pageCount) }
        ?? Array(1...document.pageCount)
    } catch {
      OutputFile.standardError.write("ocrview: \(error)\n")
      throw ExitCode(ExitStatus.usage)
    }
    var summary = BenchSummary()
    for run in 1...runs {
      for mode in [OCRMode.stream, .batch] {
        if !json {
          OutputFile.standardError.write("run \(run)/\(runs) \(mode.rawValue)…\n")
        }
        let result = await measure(document, selected, mode, selection, setup)
        summary.add(
          mode: mode, pages: result.pages, failed: result.failed, document: result.document)
      }
    }
    await selection.engine.shutdown()
    let header = BenchReport.Header(
      file: file, pages: selected, runs: runs, engine: selection.engine.label,
      concurrency: selection.concurrency.initial)
    print(json ? BenchReport.json(summary, header) : BenchReport.table(summary, header))
    let failed = summary.modes.values.map(\.failed).reduce(0, +)
    if failed > 0 { throw ExitCode(ExitStatus.pagesFailed) }
  }

  private func measure(
    _ document: OpenedDocument, _ pages: [Int], _ mode: OCRMode, _ selection: EngineSelection,
    _ setup: EngineSetup
  ) async -> (pages: [PageStats], failed: Int, document: DocumentStats) {
    let run = RunRecipe(
      document: document, engine: selection.engine,
      plan: setup.plan(pages: pages, mode: mode, for: selection)
    ).start()
    var stats: [PageStats] = []
    var failed = 0
    var documentStats = DocumentStats()
    for await event in run.events {
      switch event {
      case .pageFinished(_, _, let page): stats.append(page)
      case .pageFailed(let page, let error, _, _):
        failed += 1
        OutputFile.standardError.write("ocrview: page \(page): \(error)\n")
      case .documentFinished(let document): documentStats = document
      default: break
      }
    }
    return (stats, failed, documentStats)
  }
}

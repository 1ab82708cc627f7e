import ArgumentParser

/// `ocrview batch export|import`: past one machine — a corpus handed to a batch engine as
/// OpenAI batch JSONL, and its results brought back into the journal for review.
struct BatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batch",
    abstract:
      "Export pages as OpenAI batch JSONL (vllm run-batch, Ray Data, Batch APIs); import the results.",
    discussion: """
      `ocrview batch export DOCS… --model NAME --out DIR` writes one request a page — the \
      request `ocrview ocr` would send, in batch mode — into DIR/requests-NNNN.jsonl (at most \
      50,000 lines or 200 MB a file) and DIR/manifest.json. Run them anywhere, e.g. \
      `vllm run-batch -i DIR/requests-0001.jsonl -o DIR/results-0001.jsonl --model NAME`. \
      `ocrview batch import DIR/results-*.jsonl` then writes each page read well into the \
      journal, so `ocrview ocr DOCS… --model NAME` with the same flags finds them done and \
      reads only the pages that failed.
      """,
    subcommands: [BatchExportCommand.self, BatchImportCommand.self])
}

import Foundation
import OCRTestSupport

/// `fake-ocr-server run-batch -i IN -o OUT`: `vllm run-batch` imitated — each request line of
/// IN answered by the fake model (the transcript's pages, one per distinct image, in input
/// order), the results written to OUT; `--shuffle` writes them in a seeded random order (as a
/// hosted Batch API may), `--fail N` turns N lines into failures (an error string, an error
/// object, `finish_reason: length`, a loop, in turn).
enum RunBatch {
  static let usage = """
    usage: fake-ocr-server run-batch -i IN.jsonl -o OUT.jsonl [--transcript FILE] [--shuffle]
                                     [--fail N] [--seed N] [--grounding]
    """

  static func main(_ argv: [String], builtIn: String) -> Never {
    var arguments = argv[...]
    var input: String?
    var output: String?
    var transcript = builtIn
    var shuffle = false
    var failures = 0
    var seed: UInt64 = 1
    var grounding = false
    func fail(_ message: String) -> Never {
      FileHandle.standardError.write(Data("fake-ocr-server run-batch: \(message)\n\(usage)\n".utf8))
      exit(2)
    }
    while let flag = arguments.popFirst() {
      switch flag {
      case "-i", "--input-file": input = arguments.popFirst()
      case "-o", "--output-file": output = arguments.popFirst()
      case "--transcript":
        guard let path = arguments.popFirst(),
          let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { fail("--transcript needs a readable file") }
        transcript = text
      case "--shuffle": shuffle = true
      case "--fail":
        guard let value = arguments.popFirst().flatMap(Int.init), value >= 0 else {
          fail("--fail needs a non-negative number")
        }
        failures = value
      case "--seed":
        guard let value = arguments.popFirst().flatMap(UInt64.init) else {
          fail("--seed needs a number")
        }
        seed = value
      case "--grounding": grounding = true
      default: fail("unknown option \(flag)")
      }
    }
    guard let input, let output else { fail("-i and -o are required") }
    guard let bytes = FileManager.default.contents(atPath: input) else {
      fail("cannot read \(input)")
    }
    let plain = FakeResponder.transcript(FakeResponder.pages(fromTranscript: transcript))
    let boxed = FakeGrounding.responder()
    let grounds = grounding
    let run = FakeRunBatch.run(
      input: Array(bytes),
      responder: { request in
        grounds && request.promptText?.contains("grounding") == true
          ? boxed(request) : plain(request)
      }, failures: failures, shuffle: shuffle, seed: seed)
    guard FileManager.default.createFile(atPath: output, contents: Data(run.output)) else {
      fail("cannot write \(output)")
    }
    exit(0)
  }
}

// fake-ocr-server: a stand-in llama-server for manual and end-to-end tests of ocrview.
//
//   fake-ocr-server [--port N] [--slots N] [--transcript FILE] [--first-token-ms N]
//                   [--delta-ms N] [--words-per-delta N] [--loading-ms N] [--log]
//                   [--model ID] [--vllm] [--context N] [--grounding]
//                   [--overflow queue|429] [--retry-after N] [--refuse-logprobs]
//                   [--fault loop|cut[,…]] [--metrics vllm|llamacpp] [--slots-endpoint]
//   fake-ocr-server run-batch -i IN.jsonl -o OUT.jsonl [--shuffle] [--fail N] [--seed N]
//
// Answers /v1/chat/completions with the pages of a Markdown transcript (`<!-- page N -->`
// separators), one page per distinct image, streamed like llama-server streams LightOnOCR.
// Prints `listening on http://127.0.0.1:PORT` once ready; runs until SIGINT or SIGTERM.

import Foundation
import OCRTestSupport

let usage = """
  usage: fake-ocr-server [options]
         fake-ocr-server run-batch -i IN.jsonl -o OUT.jsonl [--transcript FILE] [--shuffle]
                                   [--fail N] [--seed N]  (vllm run-batch, imitated)
    --port N             port on 127.0.0.1 (default 8080; 0 picks a free one)
    --slots N            parallel slots reported by /props and enforced (default 1); with
                         --vllm, the capacity a vLLM serves at once (unreported)
    --overflow MODE      a request finding every slot busy: queue (waits; default) or 429
    --retry-after N      with --overflow 429, send Retry-After: N (seconds)
    --transcript FILE    Markdown with `<!-- page N -->` separator lines (default: built-in text)
    --first-token-ms N   delay before the first token of each answer (default 300)
    --delta-ms N         delay between deltas (default 40)
    --words-per-delta N  words per streamed delta (default 1)
    --loading-ms N       answer 503 "Loading model" for the first N ms (default 0)
    --log                log each request to stderr
    --model ID           the model /v1/models and /props name (default LightOnOCR-1B-1025-Q8_0.gguf)
    --vllm               answer /v1/models as vLLM does (max_model_len) and have no /props
    --context N          the context size in tokens (default 8192; /props reports it per slot)
    --grounding          answer requests with the text part `grounding` with a boxed page
    --refuse-logprobs    answer a request asking for logprobs 400, as a server that refuses
                         them does (llama-server's words; vLLM's with --vllm); otherwise each
                         streamed token carries its logprob in llama-server's shape
    --fault F[,F…]       the first reads of every page fail so, in order (loop: its middle
                         line for ever; cut: 60 % of it, finish_reason length); later reads
                         are clean — `--fault loop,loop,loop` loops on three reads
    --metrics KIND       publish GET /metrics as vllm or llamacpp (llama-server --metrics)
                         does, its running and waiting figures following the fake's state
    --slots-endpoint     answer llama-server's GET /slots (each slot's is_processing)
  """

let builtInTranscript = """
  <!-- page 1 -->

  # A Fake Page

  This text comes from **fake-ocr-server**, a stand-in for llama-server serving LightOnOCR.
  Each distinct image gets the next page of the transcript; the same image gets the same page.

  | Column | Value |
  | --- | --- |
  | tokens | streamed word by word |

  <!-- page 2 -->

  ## Second Page

  Mathematics arrives as LaTeX: $E = mc^2$, and Korean as UTF-8: 안녕하세요.

  - one
  - two

  <!-- page 3 -->

  The third and last page. Pages repeat from the first when images outnumber them.
  """

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("fake-ocr-server: \(message)\n\(usage)\n".utf8))
  exit(2)
}

struct Options {
  var port: UInt16 = 8080
  var slots = 1
  var transcriptPath: String?
  var firstTokenMs = 300
  var deltaMs = 40
  var wordsPerDelta = 1
  var loadingMs = 0
  var logRequests = false
  var model = FakeModel()
  var grounding = false
  var rejectOverflow = false
  var retryAfter: Int?
  var refuseLogprobs = false
  var faults: [FakeFault] = []
  var metrics: FakeMetrics?
  var slotsEndpoint = false

  init(_ argv: [String]) {
    var arguments = argv[...]
    func intValue(_ flag: String) -> Int {
      guard let text = arguments.popFirst(), let value = Int(text), value >= 0 else {
        fail("\(flag) needs a non-negative number")
      }
      return value
    }
    while let flag = arguments.popFirst() {
      switch flag {
      case "--port":
        let value = intValue(flag)
        guard value <= Int(UInt16.max) else { fail("--port must be at most 65535") }
        port = UInt16(value)
      case "--slots": slots = max(intValue(flag), 1)
      case "--transcript":
        guard let path = arguments.popFirst() else { fail("--transcript needs a file") }
        transcriptPath = path
      case "--first-token-ms": firstTokenMs = intValue(flag)
      case "--delta-ms": deltaMs = intValue(flag)
      case "--words-per-delta": wordsPerDelta = max(intValue(flag), 1)
      case "--loading-ms": loadingMs = intValue(flag)
      case "--log": logRequests = true
      case "--model":
        guard let id = arguments.popFirst() else { fail("--model needs a model id") }
        model.id = id
      case "--vllm": model.server = .vllm
      case "--context": model.contextTokens = max(intValue(flag), 1)
      case "--grounding": grounding = true
      case "--overflow":
        switch arguments.popFirst() {
        case "queue": rejectOverflow = false
        case "429": rejectOverflow = true
        default: fail("--overflow must be queue or 429")
        }
      case "--retry-after": retryAfter = intValue(flag)
      case "--refuse-logprobs": refuseLogprobs = true
      case "--fault":
        let list = arguments.popFirst()?.split(separator: ",").map(String.init) ?? []
        faults = list.compactMap(FakeFault.init(rawValue:))
        guard !list.isEmpty, faults.count == list.count else {
          fail("--fault takes loop or cut, comma-separated")
        }
      case "--metrics":
        guard let kind = arguments.popFirst().flatMap(FakeMetrics.init(rawValue:)) else {
          fail("--metrics must be vllm or llamacpp")
        }
        metrics = kind
      case "--slots-endpoint": slotsEndpoint = true
      case "-h", "--help":
        FileHandle.standardOutput.write(Data((usage + "\n").utf8))
        exit(0)
      default: fail("unknown option \(flag)")
      }
    }
  }
}

func makeServer(_ options: Options) -> FakeOCRServer {
  var transcript = builtInTranscript
  if let path = options.transcriptPath {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      fail("cannot read \(path)")
    }
    transcript = text
  }
  let plain = FakeResponder.transcript(
    FakeResponder.pages(fromTranscript: transcript), wordsPerDelta: options.wordsPerDelta,
    firstTokenDelay: .milliseconds(options.firstTokenMs), between: .milliseconds(options.deltaMs),
    faults: options.faults)
  let boxed = FakeGrounding.responder()
  let grounding = options.grounding
  let refusal =
    options.refuseLogprobs ? FakeResponse.logprobsRefused(by: options.model.server) : nil
  let responder: @Sendable (FakeRequest) -> FakeResponse = { request in
    if let refusal, request.wantsLogprobs { return refusal }
    return grounding && request.promptText?.contains("grounding") == true
      ? boxed(request) : plain(request)
  }
  var log: (@Sendable (String) -> Void)? = nil
  if options.logRequests {
    log = { line in FileHandle.standardError.write(Data("fake-ocr-server: \(line)\n".utf8)) }
  }
  do {
    return try FakeOCRServer(
      port: options.port, slots: options.slots,
      overflow: options.rejectOverflow ? .reject(retryAfter: options.retryAfter) : .queue,
      health: options.loadingMs > 0 ? .loading : .ok,
      model: options.model, metrics: options.metrics, slotsEndpoint: options.slotsEndpoint,
      log: log, responder: responder)
  } catch {
    fail("\(error)")
  }
}

if CommandLine.arguments.dropFirst().first == "run-batch" {
  RunBatch.main(Array(CommandLine.arguments.dropFirst(2)), builtIn: builtInTranscript)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let server = makeServer(options)

if options.loadingMs > 0 {
  DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(options.loadingMs)) {
    server.setHealth(.ok)
  }
}

var signalSources: [DispatchSourceSignal] = []
for sig in [SIGINT, SIGTERM] {
  signal(sig, SIG_IGN)
  let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
  source.setEventHandler {
    server.stop()
    exit(0)
  }
  source.resume()
  signalSources.append(source)
}

// Said from the main queue, once `dispatchMain` has handed it over: that hand-over opens an
// eventfd, and libdispatch traps when a client already holds every descriptor (a test that
// exhausts them on purpose crashed the fake one run in ten).
DispatchQueue.main.async {
  FileHandle.standardOutput.write(Data("listening on \(server.baseURL)\n".utf8))
}
dispatchMain()

import Dispatch
import Foundation
import OCRKit

/// One scratch file per process (so `-fork`/`-jobs` workers never share it), rewritten for
/// every input: ocrview opens documents by path, so the fuzzer's bytes must be a file.
let scratchPath = NSTemporaryDirectory() + "ocrview-fuzz-\(getpid()).bin"

/// libFuzzer entry point: the input is a file a user might open.
///
/// Opens it as ocrview does (sniffed by content; poppler for PDFs, leptonica for images) and
/// renders page 1 small, so each input stays fast. A `DocumentError` is the correct answer to
/// a bad file; only crashes, traps and sanitizer reports are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocuments(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard
    FileManager.default.createFile(
      atPath: scratchPath, contents: Data(bytes: data, count: size))
  else { fatalError("cannot write \(scratchPath)") }
  // The API is async; libFuzzer calls on its own (non-pool) thread, so blocking it on a
  // semaphore while a detached task runs cannot starve the cooperative pool.
  let done = DispatchSemaphore(value: 0)
  Task.detached {
    defer { done.signal() }
    guard let document = try? await OpenedDocument.open(path: scratchPath) else { return }
    _ = try? await document.render(page: 1, maxSide: 400)
    // A PNG or JPEG that fits is sent as is, only its header read; a tiny side forces the
    // full decode and scale, so small image inputs reach leptonica's decoders too.
    if document.kind.mimeType != nil { _ = try? await document.render(page: 1, maxSide: 8) }
  }
  done.wait()
  return 0
}

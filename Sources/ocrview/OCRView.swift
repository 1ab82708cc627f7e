import ArgumentParser
import Foundation

/// The `ocrview` command: the viewer (the default) and the headless subcommands.
struct OCRView: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ocrview",
    abstract: "Watch documents being OCR'd by a vision LLM, live — or OCR them headless.",
    discussion: """
      Exit codes: 0 every page done; 1 some pages failed; 2 usage or input error \
      (bad arguments, a file that cannot be opened); 130, 143, 129 interrupted by SIGINT \
      (Ctrl-C), SIGTERM, SIGHUP.
      """,
    version: Version.text,
    subcommands: [
      TUICommand.self, OCRCommand.self, BatchCommand.self, BenchCommand.self, DoctorCommand.self,
      JournalCommand.self,
      BenchTesseractCommand.self,
      BenchUICommand.self, TerminalSelfTest.self,
    ],
    defaultSubcommand: TUICommand.self
  )
}

/// Exit codes, as documented in the README.
enum ExitStatus {
  static let ok: Int32 = 0
  static let pagesFailed: Int32 = 1
  static let usage: Int32 = 2
  /// Ctrl-C (SIGINT).
  static let interrupted: Int32 = 130
  /// Ended by `signal` (SIGINT 130, SIGHUP 129, SIGTERM 143): 128 + its number, as shells say.
  static func signalled(_ signal: Int32) -> Int32 { 128 + signal }
}

@main
enum Main {
  static func main() async {
    do {
      var command = try OCRView.parseAsRoot()
      if var command = command as? AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
      exit(ExitStatus.ok)
    } catch let code as ExitCode {
      exit(code.rawValue)
    } catch {
      // swift-argument-parser exits 64 on usage errors; ocrview documents 2.
      let status = OCRView.exitCode(for: error)
      let message = OCRView.fullMessage(for: error)
      if status == .success {
        print(message)
        exit(ExitStatus.ok)
      }
      FileHandle.standardError.write(Data((message + "\n").utf8))
      exit(ExitStatus.usage)
    }
  }
}

/// Ends the process without running C++ static destructors: poppler's and tesseract's globals
/// could be torn down while a library thread still uses them (glibc then aborts with
/// "munmap_chunk(): invalid pointer", seen once at exit). Everything ocrview writes goes out
/// with write(2) or is flushed here, and the terminal is restored before this.
func exit(_ status: Int32) -> Never {
  fflush(nil)
  _exit(status)
}

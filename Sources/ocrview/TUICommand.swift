import ArgumentParser
import Foundation
import OCRKit
import OCRViewUI

/// `ocrview [PATH]`: the full-screen viewer. A directory opens the picker there, a file opens
/// at once, nothing opens the picker in the current directory.
struct TUICommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "view",
    abstract: "The full-screen viewer (the default): pick a file and watch its pages fill in.")

  @Argument(help: "A directory to browse or a PDF/image to open (default: the current directory).")
  var path: String?

  @Flag(help: "Start in stream mode (default) or batch mode; m toggles it.")
  var mode: OCRMode = .stream

  @Flag(
    help:
      "Start with checking on (K): each page a server reads is checked against the built-in engine."
  )
  var check = false

  @Option(help: "Save transcripts here instead of next to the document.")
  var outDir: String?

  @Option(
    help:
      "Page images: auto (what the terminal supports), symbols (coloured blocks, any terminal), kitty, sixel, iterm (pixels) or none."
  )
  var graphics: GraphicsChoice = .auto

  @OptionGroup var options: EngineOptions

  func run() async throws {
    let setup = try options.setupOrExit()
    let target = absolute(path ?? FileManager.default.currentDirectoryPath)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else {
      OutputFile.standardError.write("ocrview: \(DocumentError.notFound(path: target))\n")
      throw ExitCode(ExitStatus.usage)
    }
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
      OutputFile.standardError.write(
        "ocrview: the viewer needs a terminal — for scripts and pipes use `ocrview ocr FILE`\n")
      throw ExitCode(ExitStatus.usage)
    }
    let services = RuntimeServices.live(
      setup: setup, password: options.pdfPassword, outDirectory: outDir.map(absolute),
      environment: options.environment)
    let app = App(
      services: services, start: isDirectory.boolValue ? .directory(target) : .file(target),
      mode: mode, graphics: graphics.mode(environment: options.environment), checking: check)
    // A closed pipe or socket is a failed write to report, not a death with the terminal raw.
    signal(SIGPIPE, SIG_IGN)
    // The UI loop blocks in poll(): it gets a thread of its own, never the concurrency pool.
    let ended: Result<Int32?, Failure> = await withCheckedContinuation { done in
      let thread = Thread {
        do {
          done.resume(returning: .success(try app.run()))
        } catch {
          done.resume(returning: .failure(Failure(description: String(describing: error))))
        }
      }
      thread.name = "ocrview.ui"
      thread.start()
    }
    switch ended {
    case .failure(let failure):
      // The viewer could not start (no terminal, unknown TERM): a usage/environment error.
      OutputFile.standardError.write("ocrview: \(failure.description)\n")
      throw ExitCode(ExitStatus.usage)
    case .success(let signal?) where App.fatalSignals.contains(signal):
      SignalHandler.dieOf(signal)
    case .success(let signal?):
      throw ExitCode(ExitStatus.signalled(signal))
    case .success(nil):
      break
    }
  }

  private struct Failure: Error {
    var description: String
  }

  private func absolute(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: full).standardizedFileURL.path
  }
}

/// `--graphics`: a mode, or `auto` to detect it from the terminal's environment.
enum GraphicsChoice: String, ExpressibleByArgument, CaseIterable {
  case auto, symbols, kitty, sixel, iterm, none

  func mode(environment: [String: String]) -> GraphicsMode {
    GraphicsMode(rawValue: rawValue) ?? .detect(environment: environment)
  }
}

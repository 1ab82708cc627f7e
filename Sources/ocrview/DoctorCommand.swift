import ArgumentParser
import CNcurses
import Foundation
import OCRKit
import OCRViewUI

/// `ocrview doctor`: one line per thing ocrview depends on, saying whether it is usable.
struct DoctorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor",
    abstract: "Check the OCR server, the built-in engine, the libraries and the terminal.")

  @OptionGroup var options: EngineOptions

  func run() async throws {
    let transport = CurlTransport()
    var lines: [String] = []
    for probe in try options.setupOrExit().probes(transport: transport) {
      lines.append(try await serverLine(probe))
    }
    lines.append(tesseractLine())
    lines.append(Version.librariesLine)
    lines.append(terminalLine())
    lines.append(
      "cores      \(ProcessInfo.processInfo.activeProcessorCount): the built-in engine reads that many pages at once"
    )
    print(lines.joined(separator: "\n"))
  }

  private func serverLine(_ probe: ServerProbe) async throws -> String {
    let url = probe.endpoint.baseURL
    guard let status = await probe.health() else {
      return
        "server     \(url): no answer — start llama-server (see README); until then the built-in engine is used"
    }
    if status == 503 { return "server     \(url): up, still loading its model (HTTP 503)" }
    let facts = await probe.facts()
    var line = "server     \(url): up (HTTP \(status))"
    // Server text, shown as one safe line.
    if let model = facts.modelIDs.first { line += ", model \(ServerText.oneLine(model))" }
    let profile = try options.setupOrExit().requested.profile(for: facts)
    line += " (\(profile.summary))"
    if let context = facts.contextTokens { line += ", context \(context) tokens" }
    if let slots = facts.slots { line += ", \(slots) slot\(slots == 1 ? "" : "s")" }
    return line
  }

  private func tesseractLine() -> String {
    let languages = TessData.installedLanguages()
    var line = "tesseract  \(TessData.version), languages: "
    line +=
      languages.isEmpty
      ? "none — sudo apt-get install tesseract-ocr-eng" : languages.joined(separator: ", ")
    if !languages.contains("kor") { line += " (Korean: sudo apt-get install tesseract-ocr-kor)" }
    return line + " in \(TessData.directory)"
  }

  private func terminalLine() -> String {
    let environment = ProcessInfo.processInfo.environment
    let term = environment["TERM"] ?? "unset"
    setlocale(LC_ALL, "")
    let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
    let colors = cncurses_terminal_colors()
    var line = "terminal   TERM=\(term), "
    line += colors == -2 ? "unknown to terminfo" : colors <= 0 ? "no colours" : "\(colors) colours"
    line +=
      codeset == "UTF-8"
      ? ", UTF-8 locale" : ", locale \(codeset) is not UTF-8 — set LANG=C.UTF-8 for Korean/CJK text"
    if environment["NO_COLOR"] != nil { line += ", NO_COLOR set" }
    line += ", page images: \(GraphicsMode.detect(environment: environment).rawValue)"
    line += " (--graphics auto; symbols work everywhere)"
    return line
  }
}

import Foundation

/// A word as `pdftotext -bbox-layout` reads it: points of the displayed page, y down.
struct BBoxWord: Equatable {
  var text: String
  var x1, y1, x2, y2: Double

  func iou(_ other: BBoxWord) -> Double {
    let width = min(x2, other.x2) - max(x1, other.x1)
    let height = min(y2, other.y2) - max(y1, other.y1)
    guard width > 0, height > 0 else { return 0 }
    let overlap = width * height
    return overlap
      / ((x2 - x1) * (y2 - y1) + (other.x2 - other.x1) * (other.y2 - other.y1) - overlap)
  }
}

/// One page as poppler's text layout sees it: blocks of lines of words, and the page's size.
struct BBoxPage {
  var width = 0.0
  var height = 0.0
  var blocks: [[[BBoxWord]]] = []

  var words: [BBoxWord] { blocks.flatMap { $0.flatMap { $0 } } }
}

/// Runs poppler's command-line tools (an independent reader of what the writers write).
enum Poppler {
  /// `pdftotext -bbox-layout` of one page; `cropBox` reads it as displayed (what ocrview
  /// renders), else poppler uses the media box.
  static func layout(of pdf: String, page: Int, cropBox: Bool = true) -> BBoxPage {
    var arguments = ["-bbox-layout", "-f", "\(page)", "-l", "\(page)"]
    if cropBox { arguments.append("-cropbox") }
    let xml = Command.output("pdftotext", arguments + [pdf, "-"])
    var page = BBoxPage()
    func number(_ name: String, in line: Substring) -> Double {
      guard let range = line.range(of: "\(name)=\"") else { return 0 }
      let rest = line[range.upperBound...]
      return Double(rest.prefix { $0 != "\"" }) ?? 0
    }
    for raw in xml.split(separator: "\n") {
      let line = raw.drop { $0 == " " }
      if line.hasPrefix("<page ") {
        page.width = number("width", in: line)
        page.height = number("height", in: line)
      } else if line.hasPrefix("<block") {
        page.blocks.append([])
      } else if line.hasPrefix("<line") {
        page.blocks[page.blocks.count - 1].append([])
      } else if line.hasPrefix("<word"), let open = line.firstIndex(of: ">"),
        let close = line.range(of: "</word>")
      {
        let text = String(line[line.index(after: open)..<close.lowerBound])
          .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
          .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(
            of: "&apos;", with: "'"
          )
          .replacingOccurrences(of: "&amp;", with: "&")
        let word = BBoxWord(
          text: text, x1: number("xMin", in: line), y1: number("yMin", in: line),
          x2: number("xMax", in: line), y2: number("yMax", in: line))
        let block = page.blocks.count - 1
        page.blocks[block][page.blocks[block].count - 1].append(word)
      }
    }
    return page
  }

  /// The page rendered by `pdftoppm` as a grey PGM at `dpi` (header and samples).
  static func render(_ pdf: String, page: Int, dpi: Int = 50) -> [UInt8] {
    let data = Command.data(
      "pdftoppm", ["-gray", "-r", "\(dpi)", "-f", "\(page)", "-l", "\(page)", pdf])
    return Array(data)
  }
}

/// A command's standard output (its standard error discarded).
enum Command {
  static func data(_ tool: String, _ arguments: [String]) -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return Data() }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
  }

  static func output(_ tool: String, _ arguments: [String]) -> String {
    String(decoding: data(tool, arguments), as: UTF8.self)
  }

  /// The exit status and the combined output.
  static func status(_ tool: String, _ arguments: [String]) -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    guard (try? process.run()) != nil else { return (-1, "") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

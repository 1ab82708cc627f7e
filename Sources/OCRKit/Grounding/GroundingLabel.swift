import Foundation

/// The block labels LightOnOCR-3 writes in grounding mode (`lightonocr/grounding.py`).
public enum GroundingLabel {
  public static let all = [
    "title", "section", "text", "list", "caption", "footnote", "aside_text", "header", "footer",
    "page_number", "table", "chart", "formula", "code", "image",
  ]

  /// A comma list of labels (`--drop header,footer,page_number`); spaces around names and
  /// empty items are ignored, an unknown name is an error.
  public static func parseList(_ text: String) throws(GroundingLabelError) -> [String] {
    let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    for name in names where !all.contains(name) { throw .unknown(name) }
    return names
  }
}

public enum GroundingLabelError: Error, Equatable, CustomStringConvertible {
  case unknown(String)

  public var description: String {
    switch self {
    case .unknown(let name):
      "--drop: \"\(ServerText.oneLine(name))\" is not a block label; use some of "
        + GroundingLabel.all.joined(separator: ", ")
    }
  }
}

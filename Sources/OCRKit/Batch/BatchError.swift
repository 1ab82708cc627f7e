import Foundation

/// Why a batch export or import cannot go on: one line that says what to do.
public enum BatchError: Error, Sendable, Equatable, CustomStringConvertible {
  case cannotRead(path: String, reason: String)
  case cannotWrite(path: String, reason: String)
  case notAManifest(path: String)
  case noManifest(beside: String)
  case notEmpty(directory: String)
  case needsModel

  public var description: String {
    let shown = ServerText.name
    return switch self {
    case .cannotRead(let path, let reason): "cannot read \(shown(path)) (\(reason))"
    case .cannotWrite(let path, let reason):
      "cannot write \(shown(path)) (\(reason)) — check the folder and free space"
    case .notAManifest(let path):
      "\(shown(path)) is not an ocrview batch manifest — give the manifest.json that "
        + "`ocrview batch export` wrote (--manifest)"
    case .noManifest(let beside):
      "no \(BatchManifest.fileName) beside \(shown(beside)) — give the export's manifest with "
        + "--manifest DIR/\(BatchManifest.fileName)"
    case .notEmpty(let directory):
      "\(shown(directory)) already holds a batch export — give an empty or new folder to --out"
    case .needsModel:
      "batch export needs --model NAME: a batch engine runs the model each request names "
        + "(e.g. --model lightonai/LightOnOCR-2-1B)"
    }
  }
}

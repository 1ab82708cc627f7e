/// Why the built-in engine cannot run: one line that says what to install or change.
public enum TesseractError: Error, Sendable, Equatable, CustomStringConvertible {
  case missingLanguage(code: String, package: String)
  case initFailed(languages: String)
  case undecodableImage(page: Int)

  public var description: String {
    switch self {
    case .missingLanguage(let code, let package):
      "tesseract has no data for language '\(code)' — install it: sudo apt-get install \(package)"
    case .initFailed(let languages):
      "tesseract could not start with languages '\(languages)' — check the tessdata files"
    case .undecodableImage(let page): "page \(page): the built-in engine cannot decode the image"
    }
  }
}

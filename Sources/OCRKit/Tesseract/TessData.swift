import CTesseract
import Foundation

/// Where tesseract's language data lives and which languages are installed.
public enum TessData {
  /// `$TESSDATA_PREFIX` (with or without a trailing `tessdata`), else Debian's location.
  public static var directory: String {
    if let prefix = ProcessInfo.processInfo.environment["TESSDATA_PREFIX"], !prefix.isEmpty {
      let nested = (prefix as NSString).appendingPathComponent("tessdata")
      return FileManager.default.fileExists(atPath: nested) ? nested : prefix
    }
    for version in ["5", "4.00"] {
      let path = "/usr/share/tesseract-ocr/\(version)/tessdata"
      if FileManager.default.fileExists(atPath: path) { return path }
    }
    return "/usr/share/tesseract-ocr/5/tessdata"
  }

  /// Installed language codes, sorted (`osd` excluded: it is not a language to read).
  public static func installedLanguages(in directory: String = directory) -> [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return files.filter { $0.hasSuffix(".traineddata") }
      .map { String($0.dropLast(".traineddata".count)) }
      .filter { $0 != "osd" }
      .sorted()
  }

  /// Checks every language of a `kor+eng` list is installed.
  public static func check(_ languages: String, in directory: String = directory)
    throws(TesseractError)
  {
    let installed = Set(installedLanguages(in: directory))
    for code in languages.split(separator: "+").map(String.init) where !installed.contains(code) {
      throw .missingLanguage(code: code, package: debianPackage(for: code))
    }
  }

  /// Debian names language packs `tesseract-ocr-chi-sim` for `chi_sim`.
  public static func debianPackage(for code: String) -> String {
    "tesseract-ocr-" + code.lowercased().replacingOccurrences(of: "_", with: "-")
  }

  public static var version: String { String(cString: TessVersion()) }
}

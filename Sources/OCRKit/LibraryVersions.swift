import CCurl
import CPoppler
import CTesseract

/// Versions of the C libraries in use, for `ocrview doctor` and bug reports.
public enum LibraryVersions {
  public static var all: [(name: String, version: String)] {
    var leptonica = "unknown"
    if let text = getLeptonicaVersion() {
      leptonica = String(cString: text).replacingOccurrences(of: "leptonica-", with: "")
      lept_free(text)
    }
    return [
      ("libcurl", String(cString: ccurl_version())),
      ("poppler", String(cString: poppler_get_version())),
      ("cairo", String(cString: cairo_version_string())),
      ("tesseract", String(cString: TessVersion())),
      ("leptonica", leptonica),
    ]
  }
}

import CChafa
import CMark
import CXML

/// The versions of the review libraries, for `ocrview doctor`.
public enum ReviewLibraries {
  public static var versions: [(name: String, version: String)] {
    [
      ("chafa", "\(CHAFA_MAJOR_VERSION).\(CHAFA_MINOR_VERSION).\(CHAFA_MICRO_VERSION)"),
      ("cmark-gfm", String(cString: cmark_version_string())),
      ("libxml2", LIBXML_DOTTED_VERSION),
    ]
  }
}

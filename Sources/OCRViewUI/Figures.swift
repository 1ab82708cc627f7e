import OCRKit

/// Figures in narrow places. A number cut to fit reads as another number (`353 ms` cut to
/// `35`), so a place too narrow for a figure gets its short form, or leaves it out — never a
/// cut one.
enum Figures {
  /// A duration in at most 5 columns: "0.35s", "3.20s", "12.3s", "123s", "17m", "5h".
  static func short(_ duration: Duration) -> String {
    let seconds =
      Double(duration.components.seconds)
      + Double(duration.components.attoseconds) / 1e18
    if seconds < 9.995 {
      let hundredths = Int((seconds * 100).rounded())
      return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)s"
    }
    if seconds < 99.95 {
      let tenths = Int((seconds * 10).rounded())
      return "\(tenths / 10).\(tenths % 10)s"
    }
    if seconds < 999.5 { return "\(Int(seconds.rounded()))s" }
    if seconds < 59.5 * 60 { return "\(Int((seconds / 60).rounded()))m" }
    return "\(Int((seconds / 3600).rounded()))h"
  }

  /// `duration` as `seconds` writes it when that fits `width` columns, else its short form
  /// (`suffix`, e.g. "…" for a live timer, goes after either); nil when neither fits.
  static func fitting(_ duration: Duration, suffix: String = "", width: Int) -> String? {
    [seconds(duration) + suffix, short(duration) + suffix].first { DisplayWidth.of($0) <= width }
  }

  /// Two durations of one row (TTFT and E2E) in one form: both as `seconds` writes them where
  /// both fit their columns, else both short. A batch page's one time shown two ways ("13.65 s"
  /// and "13.7s") reads as two different times. A width of 0 is a column not shown; nil: a
  /// figure that does not fit, or a `first` not known.
  static func fitting(
    _ first: Duration?, width firstWidth: Int, _ second: Duration, suffix: String = "",
    width secondWidth: Int
  ) -> (first: String?, second: String?) {
    func fits(_ text: String?, _ width: Int) -> Bool {
      text.map { width == 0 || DisplayWidth.of($0) <= width } ?? true
    }
    let full = (first.map { seconds($0) }, seconds(second) + suffix)
    if fits(full.0, firstWidth), fits(full.1, secondWidth) { return full }
    let brief = (first.map { short($0) }, short(second) + suffix)
    return (
      fits(brief.0, firstWidth) ? brief.0 : nil,
      secondWidth > 0 && fits(brief.1, secondWidth) ? brief.1 : nil
    )
  }
}

/// `line` cut only where one of its parts ends (before a `separators` string): the parts that
/// fit whole, then " …" when some were left out — "1/3 done …" rather than "first text 45…".
/// A line with no such place that fits is cut as `TextWrap.truncate` cuts.
func fitWhole(_ line: String, separators: [String], width: Int) -> String {
  guard DisplayWidth.of(line) > width else { return line }
  var best: Substring?
  for range in separators.flatMap({ line.ranges(of: $0) }) {
    let head = line[..<range.lowerBound]
    if DisplayWidth.of(head) + 2 <= width, head.count > (best?.count ?? 0) { best = head }
  }
  guard let best else { return TextWrap.truncate(line, width: width) }
  return best + " …"
}

/// "12/40 pages · 1 failed · 8.1 pages/min · ETA 3 min 20 s": the progress line of a headless
/// run on a terminal (several documents, or `-o`); while the total is still being counted,
/// "12 pages · 8.1 pages/min". A server faster than a page a second is said in pages/s.
public enum ProgressLine {
  /// `done` counts failed pages too; `inFlight`: an adaptive run's current limit
  /// ("· in flight 12").
  public static func text(
    done: Int, failed: Int = 0, total: Int?, elapsed: Duration, inFlight: Int? = nil
  ) -> String {
    var line = total.map { "\(done)/\($0) pages" } ?? "\(done) pages"
    if failed > 0 { line += " · \(failed) failed" }
    if let inFlight { line += " · in flight \(inFlight)" }
    let seconds = elapsed.seconds
    guard done > 0, seconds > 0 else { return line }
    let rate = Double(done) / seconds
    line +=
      rate >= 1
      ? " · " + String(format1: rate) + " pages/s"
      : " · " + String(format1: rate * 60) + " pages/min"
    if let total, done < total {
      let left = Int(saturating: (Double(total - done) / rate).rounded())
      line += " · ETA " + (left >= 60 ? "\(left / 60) min \(left % 60) s" : "\(left) s")
    }
    return line
  }
}

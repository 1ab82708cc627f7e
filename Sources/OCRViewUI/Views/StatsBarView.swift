import OCRKit

/// Mode, page i/n with its TTFT/E2E (live while waiting), tokens/s and document progress with
/// its time to first text. (The engine is named in the header, where there is room.)
func drawStatsBar(
  _ canvas: inout Canvas, _ model: Model, _ document: DocumentState, _ rect: Rect, _ theme: Theme
) {
  canvas.fill(rect, with: Cell(grapheme: " ", style: theme.bar))
  canvas.write(
    fitWhole(statsLine(model, document), separators: [" │ ", ", "], width: rect.width),
    x: rect.x, y: rect.y,
    style: theme.bar)
}

func statsLine(_ model: Model, _ document: DocumentState) -> String {
  let page = document.selectedPage
  var parts = [
    " \(model.mode.rawValue.uppercased())", "page \(page.number)/\(document.pages.count)",
  ]
  if page.progress == .failed || page.progress == .cancelled {
    // Its figures (1 ms to a refused connection) are no reading's.
    parts.append(page.progress.rawValue)
  } else if let stats = page.stats, !page.progress.isRunning {
    parts.append("TTFT \(seconds(stats.ttft))")
    parts.append("E2E \(seconds(stats.e2e))")
    if let speed = StatsText.speed(stats) { parts.append(speed) }
    if stats.maxTokens != nil { parts.append(StatsText.tokens(stats)) }
    // A page cut off at its token cap is said where the eye is, not only above its text.
    if stats.finishReason == .length { parts.append("⚠ CUT OFF at max_tokens") }
    if let rescued = stats.attempts.rescueSummary { parts.append(rescued) }
  } else if page.progress.isRunning, let sentAt = page.sentAt {
    let elapsed = seconds(model.now - sentAt)
    if let first = page.firstTextAt {
      parts.append("TTFT \(seconds(first - sentAt))")
      parts.append("E2E \(elapsed)…")
    } else {
      parts.append("waiting \(elapsed)")
    }
  }
  var progress = "\(document.doneCount)/\(document.pages.count) done"
  let failed = document.pages.filter { $0.progress == .failed }.count
  if failed > 0 { progress += ", \(failed) failed (F)" }
  if let first = document.firstTextAt {
    progress += ", first text \(seconds(first - document.openedAt))"
  }
  progress += ", \(seconds(document.totalTime(at: model.now)))"
  parts.append(progress)
  if let search = model.search, !search.isTyping {
    parts.insert(search.count == 0 ? "no match" : "match \(search.index)/\(search.count)", at: 2)
  }
  return parts.joined(separator: " │ ")
}

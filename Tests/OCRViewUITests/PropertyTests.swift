import OCRTestSupport
import OCRViewUI
import Testing

/// Invariants over a few hundred random strings (fixed seeds, so failures reproduce).
@Suite struct PropertyTests {
  @Test(arguments: [1, 2, 3, 5, 8, 13, 40])
  func wrappedLinesFitAndLoseNothing(width: Int) {
    var random = SplitMix64(seed: 0x0C12 &+ UInt64(width))
    for _ in 0..<300 {
      let text = randomText(&random)
      let lines = TextWrap.wrap(text, width: width)
      for line in lines {
        let columns = DisplayWidth.of(line)
        // Only a lone wide character on a 1-column line may be wider than the line.
        let drawn = line.filter { DisplayWidth.of($0) > 0 }
        #expect(
          columns <= width || (drawn.count == 1 && columns == 2),
          "\(text.debugDescription) at width \(width): \(line.debugDescription)")
        #expect(!line.contains { $0.isNewline })
      }
      #expect(
        WrapCheck.reassembles(text, lines),
        "\(text.debugDescription) at width \(width): \(lines)")
      let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count >= paragraphs.count)
      #expect(lines.filter(\.isEmpty).count == paragraphs.filter(\.isEmpty).count)
      if paragraphs.count == 1 && DisplayWidth.of(text) <= width {
        #expect(lines == [text])
      }
    }
  }

  @Test func noCharacterIsLostOrAdded() {
    var random = SplitMix64(seed: 42)
    for _ in 0..<500 {
      let text = randomText(&random, maxLength: 60)
      let width = 1 + random.below(20)
      // Compared as Characters line by line: joining the lines into one string could merge a
      // trailing space with a combining mark that starts the next line into one Character.
      let kept = TextWrap.wrap(text, width: width).flatMap { Array($0) }.filter { $0 != " " }
      #expect(
        kept == Array(text).filter { $0 != " " && $0 != "\n" }, "\(text.debugDescription)")
    }
  }

  @Test func truncateFitsAndKeepsAPrefix() {
    var random = SplitMix64(seed: 7)
    for _ in 0..<500 {
      let text = randomText(&random, newlines: false)
      let width = random.below(25) - 2
      let cut = TextWrap.truncate(text, width: width)
      #expect(DisplayWidth.of(cut) <= max(0, width))
      if DisplayWidth.of(text) <= width {
        #expect(cut == text)
      } else if width > 0 {
        #expect(cut.hasSuffix("…"))
        #expect(text.hasPrefix(cut.dropLast()))
      } else {
        #expect(cut.isEmpty)
      }
    }
  }

  @Test func canvasKeepsWideCharactersWholeAndChangesRebuildIt() {
    var random = SplitMix64(seed: 2024)
    let styles = [Style.plain, Style(foreground: .red), Style(background: .blue, reverse: true)]
    for _ in 0..<60 {
      let width = 1 + random.below(12)
      let height = 1 + random.below(4)
      var canvas = Canvas(width: width, height: height)
      for _ in 0..<25 {
        let before = canvas
        let rect = Rect(
          x: random.below(width + 4) - 2, y: random.below(height + 2) - 1,
          width: random.below(width + 2), height: random.below(height + 1))
        switch random.below(6) {
        case 0:
          canvas.fill(rect, with: Cell(grapheme: random.pick([" ", "x", "한", "😀"]), style: .plain))
        case 1:
          canvas.setStyle(random.pick(styles), in: rect)
        default:
          let text = randomText(&random, maxLength: 12, newlines: true)
          let maxWidth = random.below(3) == 0 ? random.below(width + 2) - 1 : nil
          let used = canvas.write(
            text, x: random.below(width + 4) - 3, y: random.below(height + 2) - 1,
            style: random.pick(styles), maxWidth: maxWidth)
          #expect(used >= 0 && used <= DisplayWidth.of(text))
        }
        #expect(canvas.wideCharacterViolation() == nil)
        #expect(canvas.lines().allSatisfy { DisplayWidth.of($0) == width })
        checkChanges(from: before, to: canvas)
      }
    }
  }

  /// Applying the runs to the old screen gives the new one, runs keep wide characters whole,
  /// and every cell in a run has changed or belongs to a wide character that changed.
  private func checkChanges(from before: Canvas, to after: Canvas) {
    var screen = before.allCells
    let target = after.allCells
    for run in after.changes(since: before) {
      #expect(!run.cells.isEmpty)
      #expect(run.cells.first?.isContinuation == false)
      let last = run.x + run.cells.count - 1
      #expect(last + 1 == after.width || !target[run.y][last + 1].isContinuation)
      for (offset, cell) in run.cells.enumerated() {
        let x = run.x + offset
        let changed =
          cell != before[x, run.y]
          || (cell.isContinuation && target[run.y][x - 1] != before[x - 1, run.y])
          || (x + 1 < after.width && target[run.y][x + 1].isContinuation
            && target[run.y][x + 1] != before[x + 1, run.y])
        #expect(changed, "unchanged cell (\(x), \(run.y)) in a run")
        screen[run.y][x] = cell
      }
    }
    #expect(screen == target)
  }
}

extension Placer {
  /// Runs of whole model lines no word of which was placed — lines tesseract did not read —
  /// put on the rows of ink where they are printed: between the rows of the placed words
  /// before and after the run (those rows included, less what tesseract read on them), the
  /// page's ink (`TesseractLayout.ink`) is cut into bands of rows. A rule (eight or more `-`,
  /// `=`, `_`) goes on a thin, long band, as tall as the row below it; text lines on the text
  /// bands, in order, one line a band or several on one (a model — or `pdftotext` — breaks a
  /// table's header into pieces that are one printed row), a drawn rule the model does not
  /// write left over (`assign`). Each band's words take its runs of ink when there are as
  /// many, else share its width by characters.
  ///
  /// Measured on valgrind's annotated tables, which tesseract reads without their dashed
  /// rules and header row: stacked below the line before by count, eight model lines stood
  /// where three are printed, and poppler read the rows below column by column; on the page's
  /// bands the rules span the table as printed. Where the bands do not fit the lines (another
  /// count, a rule without a rule's band) the lines are left to `assemble`'s lines of their
  /// own.
  mutating func placeMissedLinesOnInk() {
    guard let ink = layout.ink, ink.width == size.width, ink.height == size.height else { return }
    let lines = Dictionary(grouping: tokens.indices, by: { tokens[$0].line }).sorted {
      $0.key < $1.key
    }.map(\.value)
    var k = 0
    while k < lines.count {
      guard lines[k].allSatisfy({ spots[$0] == nil }) else {
        k += 1
        continue
      }
      var end = k
      while end < lines.count, lines[end].allSatisfy({ spots[$0] == nil }) { end += 1 }
      if k > 0, end < lines.count {
        placeOnInk(Array(lines[k..<end]), after: lines[k - 1].last!, before: lines[end][0], ink)
      }
      k = end
    }
  }

  /// `run`'s lines on the bands of ink from the row of placed word `above` to that of `below`.
  private mutating func placeOnInk(
    _ run: [[Int]], after above: Int, before below: Int, _ ink: InkMask
  ) {
    let (upper, lower) = (rows(of: spots[above]!), rows(of: spots[below]!))
    guard lower.lowerBound > upper.upperBound else { return }
    let height = max(2, upper.upperBound - upper.lowerBound)
    let bands = Self.merged(
      ink.bands(
        in: PixelBox(x1: 0, y1: upper.lowerBound, x2: size.width, y2: lower.upperBound),
        excluding: readBoxes, gap: max(2, height / 2)
      ).filter { $0.ink >= 3 }, height: height)
    let isRuleBand = bands.map { Self.isRule($0, height: height) }
    let isRuleLine = run.map { $0.count == 1 && tokens[$0[0]].isRule }
    guard let assigned = Self.assign(lines: isRuleLine, bands: isRuleBand) else { return }
    let (first, last) = (spots[above]!, spots[below]!)
    for b in bands.indices {
      let lines = run.indices.filter { assigned[$0] == b }
      guard !lines.isEmpty else { continue }
      let band = bands[b]
      guard isRuleBand[b] else {
        put(lines.flatMap { run[$0] }, on: band, after: first, before: last)
        continue
      }
      // The type of the row below it (the row the model ran it into), so that a reader
      // groups the two as one table (poppler: sizes within 5 %).
      let height = lower.upperBound - lower.lowerBound
      let top = Int((band.center - 0.45 * Double(height)).rounded())
      spots[run[lines[0]][0]] = Spot(
        line: first.line, x1: Double(band.x1), x2: Double(band.x2), placement: .ownLine,
        band: top...(top + height))
    }
  }

  /// Which band (an index into `bands`) each line goes on, keeping both in order: a rule
  /// line on a rule band, a text line on a text band — several consecutive text lines may
  /// share one (a row the model broke into pieces). Bands may be left over: a drawn rule the
  /// model does not write (a running header's underline) at a cost of 1, ink the model has
  /// no line for at 2; each line sharing a band costs a quarter. The cheapest assignment;
  /// of equal ones, the one leaving the earliest bands over. Nil when no assignment places
  /// every line.
  static func assign(lines isRuleLine: [Bool], bands isRuleBand: [Bool]) -> [Int]? {
    enum Step { case skip, assign, share }
    let (lines, bands) = (isRuleLine.count, isRuleBand.count)
    // Bottom up, no recursion (a page of hundreds of missed lines would go deep on a thread's
    // small stack); more than a million states is no table's header: left to `assemble`.
    guard (lines + 1) * (bands + 1) <= 1_000_000 else { return nil }
    // State (line, band, holding: band - 1 holds line - 1) at index (line × (bands + 1) + band)
    // × 2 + holding: the cheapest cost from it on, and its first step.
    func index(_ line: Int, _ band: Int, _ holding: Bool) -> Int {
      (line * (bands + 1) + band) * 2 + (holding ? 1 : 0)
    }
    var cost = [Double](repeating: .infinity, count: (lines + 1) * (bands + 1) * 2)
    var step = [Step?](repeating: nil, count: cost.count)
    for band in stride(from: bands, through: 0, by: -1) {
      let rest = isRuleBand[band...].map { $0 ? 1.0 : 2.0 }.reduce(0, +)
      (cost[index(lines, band, false)], cost[index(lines, band, true)]) = (rest, rest)
    }
    for line in stride(from: lines - 1, through: 0, by: -1) {
      for band in stride(from: bands, through: 0, by: -1) {
        for holding in [false, true] {
          var best: (cost: Double, step: Step?) = (.infinity, nil)
          func consider(_ value: Double, _ next: Int, _ kind: Step) {
            if value + cost[next] < best.cost { best = (value + cost[next], kind) }
          }
          if band < bands {
            consider(isRuleBand[band] ? 1 : 2, index(line, band + 1, false), .skip)
            if isRuleLine[line] == isRuleBand[band] {
              consider(0, index(line + 1, band + 1, true), .assign)
            }
          }
          if holding, band > 0, !isRuleLine[line], !isRuleBand[band - 1] {
            consider(0.25, index(line + 1, band, true), .share)
          }
          (cost[index(line, band, holding)], step[index(line, band, holding)]) = best
        }
      }
    }
    guard cost[index(0, 0, false)].isFinite else { return nil }
    var assigned: [Int] = []
    var (line, band, holding) = (0, 0, false)
    while line < lines, let next = step[index(line, band, holding)] {
      switch next {
      case .skip: (band, holding) = (band + 1, false)
      case .assign:
        assigned.append(band)
        (line, band, holding) = (line + 1, band + 1, true)
      case .share:
        assigned.append(band - 1)
        (line, holding) = (line + 1, true)
      }
    }
    return assigned
  }

  /// Model words `run` side by side on `band`, in the reading between placed words `above`
  /// and `below`: on the band's runs of ink (on the row of `below` only those left of it, on
  /// that of `above` only those right of it — tesseract read a row's middle and missed its
  /// ends) when there are as many, else across them by characters. On a neighbour's row
  /// they take its type's rows (one line with it); else the band's top and the type height
  /// of the row below.
  private mutating func put(
    _ run: [Int], on band: InkMask.Band, after above: Spot, before below: Spot
  ) {
    let (aboveRows, belowRows) = (rows(of: above), rows(of: below))
    func onRow(_ rows: ClosedRange<Int>) -> Bool {
      rows.lowerBound < band.y2 && rows.upperBound > band.y1
    }
    let segments = band.segments.filter { segment in
      (!onRow(belowRows) || Double(segment.upperBound) <= below.x1)
        && (!onRow(aboveRows) || Double(segment.lowerBound) >= above.x2)
    }
    guard let from = segments.first?.lowerBound, let to = segments.last?.upperBound else {
      return
    }
    // Several words need a quarter of the type's height a character and a space at least:
    // four dots of a table's column are not one dot's row.
    let characters = run.map { tokens[$0].text.count + 1 }.reduce(-1, +)
    guard run.count == 1 || Double(to - from) >= Double(characters * belowRows.count) / 4
    else { return }
    let extents =
      segments.count == run.count
      ? segments.map { (Double($0.lowerBound), Double($0.upperBound)) }
      : Self.spread(run.map { tokens[$0].text }, Double(from), Double(to))
    let rows =
      onRow(aboveRows)
      ? aboveRows
      : onRow(belowRows)
        ? belowRows : band.y1...(band.y1 + belowRows.upperBound - belowRows.lowerBound)
    for (token, (x1, x2)) in zip(run, extents) {
      spots[token] = Spot(line: above.line, x1: x1, x2: x2, placement: .ownLine, band: rows)
    }
  }

  /// The rows a placed word's type takes.
  private func rows(of spot: Spot) -> ClosedRange<Int> {
    if let band = spot.band { return band }
    let box = typeBox(spot.line)
    return box.y1...max(box.y1, box.y2)
  }

  /// What is placed already: the boxes of tesseract's lines that model words stand on, and of
  /// the lines of their own placed between them.
  private var readBoxes: [PixelBox] {
    let refs = Set(spots.compactMap { $0?.band == nil ? $0?.line : nil })
    return refs.map { line($0).box }
      + spots.compactMap { spot in
        spot?.band.map {
          PixelBox(x1: Int(spot!.x1), y1: $0.lowerBound, x2: Int(spot!.x2), y2: $0.upperBound)
        }
      }
  }

  /// A dashed or drawn rule: no taller than two fifths of the type (three pixels at least),
  /// four type heights long or more, inked over two fifths of its length.
  static func isRule(_ band: InkMask.Band, height: Int) -> Bool {
    let length = band.x2 - band.x1
    return band.height <= max(3, 2 * height / 5) && length >= 4 * height
      && Double(band.ink) >= 0.4 * Double(length * band.height)
  }

  /// Bands with marks too thin to be a row of their own (the dots of `i`, accents, a
  /// descender's tip) joined to the band beside them, within a third of the type's height.
  static func merged(_ bands: [InkMask.Band], height: Int) -> [InkMask.Band] {
    var result: [InkMask.Band] = []
    for band in bands {
      if let last = result.last, band.y1 - last.y2 <= height / 3,
        (last.height < height / 3 && !isRule(last, height: height))
          || (band.height < height / 3 && !isRule(band, height: height))
      {
        result[result.count - 1] = joined(last, band)
      } else {
        result.append(band)
      }
    }
    return result
  }

  static func joined(_ a: InkMask.Band, _ b: InkMask.Band) -> InkMask.Band {
    let segments = (a.segments + b.segments).sorted { $0.lowerBound < $1.lowerBound }.reduce(
      into: [Range<Int>]()
    ) { runs, segment in
      if let last = runs.last, segment.lowerBound <= last.upperBound {
        runs[runs.count - 1] = last.lowerBound..<max(last.upperBound, segment.upperBound)
      } else {
        runs.append(segment)
      }
    }
    return InkMask.Band(
      y1: a.y1, y2: b.y2, x1: min(a.x1, b.x1), x2: max(a.x2, b.x2), ink: a.ink + b.ink,
      segments: segments)
  }
}

/// The model's words paired with tesseract's, both given as keys (`TesseractCommandLine`'s
/// normalised words; nil for a token with no letter or digit, which is never paired).
///
/// 1. **Anchors.** Every run of three keys found exactly once in each reading is a seed; a seed
///    grows both ways while the keys stay equal. Then single keys of four letters or more,
///    found once in each and with a neighbour alike, seed the same way (and, after step 2, pairs and single words unique
///    among the words still free). Anchors may be in any order: where the model
///    reads a table by columns or two columns one after the other and tesseract reads them
///    otherwise, each stretch still locks onto its own words, and one misread line cannot
///    drag the rest, since nothing is aligned across an anchor.
/// 2. **Between anchors.** Each run of unpaired model words is aligned (Needleman–Wunsch,
///    scored by edit similarity (`score`), zero for a skip) against the free tesseract words right
///    after the anchor before it and right before the anchor after it — the same stretch when
///    the anchors are in tesseract's order, two candidates when they are not; the better score
///    wins. The table is O(n·m) only inside such a window, and banded when a window is large
///    (a page with no anchors at all), so a 1,000-word page stays fast.
/// 3. **Splits and merges.** A step may pair up to three words on one side with up to three on
///    the other (1:2, 2:1, 2:2, 1:3, 3:1) when their concatenations are alike: a word
///    tesseract split, two it merged, Korean spacing that differs between the two readings.
///    Such a unit is cut by characters later (`WordPlacement`).
struct WordAlignment {
  /// Model words `model` pair with tesseract words `tesseract` (indices into the key arrays).
  struct Unit: Sendable, Equatable {
    var model: Range<Int>
    var tesseract: Range<Int>
    var similarity: Double
  }

  /// The least similarity for a 1:1 pair, and for a split or merge.
  static let pairThreshold = 0.6
  static let unitThreshold = 0.75
  /// What a step pairing `words` words (both sides) at `similarity` adds: the words it
  /// covers, discounted by how unlike they are (2·s − 1, so 0.5 counts as a skip), less half
  /// a word for each word beyond a pair. Plain similarity × words would let a merge swallow a
  /// neighbour ("lxz abcdefghi" against "abcdefghi" is 0.75 alike: 3 × 0.75 beats the exact
  /// pair's 2 × 1), and without the charge a misread word joined to an exact one looks less
  /// wrong (one edit in eleven letters) than on its own (one in five).
  static func score(_ similarity: Double, words: Int) -> Double {
    Double(words) * (2 * similarity - 1) - 0.5 * Double(words - 2)
  }

  /// Table cells above which a window's table is banded.
  static let fullTableLimit = 40_000

  /// Units in model order.
  static func align(model: [String?], tesseract: [String?]) -> [Unit] {
    var state = State(model: model, tesseract: tesseract)
    state.anchor(gram: 3, minLength: 1)
    state.anchor(gram: 1, minLength: 4, inContext: true)
    state.alignGaps()
    // What is left is far from its neighbours' partners (a short line the model read out of
    // tesseract's order): shorter runs, unique among the words still free, then the windows
    // again.
    state.anchor(gram: 2, minLength: 1)
    state.anchor(gram: 1, minLength: 2)
    state.alignGaps()
    return state.units.sorted { $0.model.lowerBound < $1.model.lowerBound }
  }

  private struct State {
    /// Keyed positions only (compressed), and their original indices.
    let m: [[Unicode.Scalar]]
    let t: [[Unicode.Scalar]]
    let mIndex: [Int]
    let tIndex: [Int]
    /// Per compressed position: the unit it belongs to.
    var mUnit: [Int?]
    var tUnit: [Int?]
    var units: [Unit] = []

    init(model: [String?], tesseract: [String?]) {
      func compress(_ keys: [String?]) -> ([[Unicode.Scalar]], [Int]) {
        var scalars: [[Unicode.Scalar]] = []
        var indices: [Int] = []
        for (index, key) in keys.enumerated() {
          if let key {
            scalars.append(Array(key.unicodeScalars))
            indices.append(index)
          }
        }
        return (scalars, indices)
      }
      (m, mIndex) = compress(model)
      (t, tIndex) = compress(tesseract)
      mUnit = Array(repeating: nil, count: m.count)
      tUnit = Array(repeating: nil, count: t.count)
    }

    /// Records a unit over compressed ranges.
    mutating func add(_ model: Range<Int>, _ tesseract: Range<Int>, _ similarity: Double) {
      let unit = Unit(
        model: mIndex[model.lowerBound]..<(mIndex[model.upperBound - 1] + 1),
        tesseract: tIndex[tesseract.lowerBound]..<(tIndex[tesseract.upperBound - 1] + 1),
        similarity: similarity)
      for i in model { mUnit[i] = units.count }
      for j in tesseract { tUnit[j] = units.count }
      units.append(unit)
    }

    /// Locks exact runs seeded by `gram` keys unique in both readings.
    ///
    /// `inContext`: a seed must also have a neighbouring word (before or after) alike in both
    /// readings. A word unique in both can still be in two places: the model's
    /// "asn1_copy_node" in a signature is unique because its heading reads "asn1 copy node",
    /// and tesseract's is unique because it misread the signature's as "asni_copy_node" —
    /// locking the two would pull the signature onto the heading's line.
    mutating func anchor(gram: Int, minLength: Int, inContext: Bool = false) {
      func unique(_ keys: [[Unicode.Scalar]], _ free: [Int?]) -> [[Unicode.Scalar]: Int] {
        var seen: [[Unicode.Scalar]: Int] = [:]
        var repeated: Set<[Unicode.Scalar]> = []
        guard keys.count >= gram else { return [:] }
        for start in 0...(keys.count - gram) {
          let window = start..<(start + gram)
          guard window.allSatisfy({ free[$0] == nil }) else { continue }
          let joined = Array(window.map { keys[$0] }.joined(separator: ["\u{1}"]))
          if gram == 1 && joined.count < minLength { continue }
          if seen.updateValue(start, forKey: joined) != nil { repeated.insert(joined) }
        }
        for key in repeated { seen[key] = nil }
        return seen
      }
      let inModel = unique(m, mUnit)
      let inTesseract = unique(t, tUnit)
      let seeds = inModel.compactMap { key, i in inTesseract[key].map { (i, $0) } }
        .sorted { $0.0 < $1.0 }
      func alike(_ i: Int, _ j: Int) -> Bool {
        guard m.indices.contains(i), t.indices.contains(j) else { return false }
        return EditSimilarity.similarity(m[i], t[j], atLeast: 0.5) >= 0.5
      }
      for (i, j) in seeds where mUnit[i] == nil && tUnit[j] == nil {
        if inContext && !alike(i - 1, j - 1) && !alike(i + gram, j + gram) { continue }
        var (start, other) = (i, j)
        while start > 0, other > 0, mUnit[start - 1] == nil, tUnit[other - 1] == nil,
          m[start - 1] == t[other - 1]
        {
          start -= 1
          other -= 1
        }
        var (end, otherEnd) = (i, j)
        while end < m.count, otherEnd < t.count, mUnit[end] == nil, tUnit[otherEnd] == nil,
          m[end] == t[otherEnd]
        {
          end += 1
          otherEnd += 1
        }
        for offset in 0..<(end - start) {
          add((start + offset)..<(start + offset + 1), (other + offset)..<(other + offset + 1), 1)
        }
      }
    }

    /// Aligns each run of unpaired model words inside its candidate windows.
    mutating func alignGaps() {
      var i = 0
      while i < m.count {
        guard mUnit[i] == nil else {
          i += 1
          continue
        }
        var end = i
        while end < m.count, mUnit[end] == nil { end += 1 }
        let before = i > 0 ? units[mUnit[i - 1]!].tesseract : nil
        let after = end < m.count ? units[mUnit[end]!].tesseract : nil
        let reach = 3 * (end - i) + 20
        var windows: [Range<Int>] = []
        // Free tesseract words right after the anchor before, and right before the one after.
        let from = before.map { compressedAfter($0.upperBound - 1) } ?? 0
        var stop = from
        while stop < t.count, tUnit[stop] == nil, stop - from < reach { stop += 1 }
        if stop > from { windows.append(from..<stop) }
        let to = after.map { compressedBefore($0.lowerBound) } ?? t.count
        var start = to
        while start > 0, tUnit[start - 1] == nil, to - start < reach { start -= 1 }
        if to > start, !windows.contains(start..<to) { windows.append(start..<to) }
        var best: (score: Double, pairs: [(Range<Int>, Range<Int>, Double)]) = (0, [])
        for window in windows {
          let result = needlemanWunsch(i..<end, window)
          if result.score > best.score { best = result }
        }
        for (model, tesseract, similarity) in best.pairs { add(model, tesseract, similarity) }
        i = end
      }
    }

    /// The first compressed position after original tesseract index `index`.
    func compressedAfter(_ index: Int) -> Int { firstPosition { $0 > index } }
    /// The compressed position of original index `index` (or the first after it).
    func compressedBefore(_ index: Int) -> Int { firstPosition { $0 >= index } }

    /// The first compressed position whose original index satisfies `isPast` (binary search:
    /// indices grow).
    private func firstPosition(_ isPast: (Int) -> Bool) -> Int {
      var (low, high) = (0, tIndex.count)
      while low < high {
        let middle = (low + high) / 2
        if isPast(tIndex[middle]) { high = middle } else { low = middle + 1 }
      }
      return low
    }

    /// The best alignment of model words `rows` against tesseract words `columns`: the total
    /// score (similarity × words covered) and its pairs.
    func needlemanWunsch(_ rows: Range<Int>, _ columns: Range<Int>) -> (
      score: Double, pairs: [(Range<Int>, Range<Int>, Double)]
    ) {
      let (n, w) = (rows.count, columns.count)
      let width = w + 1
      let banded = n * w > fullTableLimit
      // Wide enough for the two readings' difference in length (words one of them lacks all
      // in one place) and never narrower than the full-table budget allows.
      let band = max(40, abs(w - n) / 2 + 20, fullTableLimit / max(1, 2 * n))
      func inBand(_ i: Int, _ j: Int) -> Bool {
        guard banded else { return true }
        return abs(j - i * w / max(1, n)) <= band
      }
      // The words each step can pair, concatenated once: `model[d - 1][i]` is the d words
      // ending before row i (columns alike).
      func concatenations(_ keys: [[Unicode.Scalar]], _ range: Range<Int>) -> [[[Unicode.Scalar]]] {
        (1...3).map { d in
          (0...range.count).map { i in
            i >= d
              ? Array(
                ((range.lowerBound + i - d)..<(range.lowerBound + i)).map { keys[$0] }.joined())
              : []
          }
        }
      }
      let model = concatenations(m, rows)
      let tesseract = concatenations(t, columns)
      var scratch: [Int] = []
      var score = [Double](repeating: -.infinity, count: (n + 1) * width)
      var step = [UInt8](repeating: 0, count: (n + 1) * width)  // di << 2 | dj
      score[0] = 0
      for i in 0...n {
        for j in 0...w where inBand(i, j) && (i, j) != (0, 0) {
          var best = -Double.infinity
          var move: UInt8 = 0
          if i > 0, score[(i - 1) * width + j] > best {
            best = score[(i - 1) * width + j]
            move = 1 << 2
          }
          if j > 0, score[i * width + j - 1] > best {
            best = score[i * width + j - 1]
            move = 1
          }
          for di in 1...3 where di <= i {
            for dj in 1...3 where dj <= j && di + dj <= 4 {
              let previous = score[(i - di) * width + j - dj]
              guard previous > -.infinity else { continue }
              let threshold = di == 1 && dj == 1 ? pairThreshold : unitThreshold
              let similarity = EditSimilarity.similarity(
                model[di - 1][i], tesseract[dj - 1][j], atLeast: threshold, scratch: &scratch)
              guard similarity >= threshold else { continue }
              let candidate = previous + WordAlignment.score(similarity, words: di + dj)
              if candidate > best + 1e-9 {
                best = candidate
                move = UInt8(di << 2 | dj)
              }
            }
          }
          score[i * width + j] = best
          step[i * width + j] = move
        }
      }
      // The end cell may lie outside the band only if the band is wrong; fall back to nothing.
      guard score[n * width + w] > -.infinity else { return (0, []) }
      var pairs: [(Range<Int>, Range<Int>, Double)] = []
      var (i, j) = (n, w)
      while i > 0 || j > 0 {
        let move = step[i * width + j]
        let (di, dj) = (Int(move >> 2), Int(move & 3))
        if di > 0 && dj > 0 {
          let a = (rows.lowerBound + i - di)..<(rows.lowerBound + i)
          let b = (columns.lowerBound + j - dj)..<(columns.lowerBound + j)
          let similarity = EditSimilarity.similarity(
            model[di - 1][i], tesseract[dj - 1][j], scratch: &scratch)
          pairs.append((a, b, similarity))
        }
        guard di + dj > 0 else { break }
        i -= di
        j -= dj
      }
      return (score[n * width + w], pairs.reversed())
    }
  }
}

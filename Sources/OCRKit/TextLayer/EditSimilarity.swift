/// How alike two words are as spelled: 1 − Levenshtein distance / the longer length, over
/// Unicode scalars (keys are NFKC already, so a Hangul syllable is one scalar). 1 for equal
/// words, 0 for nothing in common.
enum EditSimilarity {
  /// The similarity, or 0 as soon as it cannot reach `atLeast`: the lengths alone differ too
  /// much, or every cell of a row of the table is past the distance allowed. Most pairs an
  /// alignment window compares are rejected that way, after a row or two. `scratch` is reused
  /// between calls (the table's two rows), so a window's many comparisons allocate nothing.
  static func similarity(
    _ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atLeast: Double = 0, scratch: inout [Int]
  ) -> Double {
    let longer = max(a.count, b.count)
    guard longer > 0 else { return 1 }
    let allowed = Int(((1 - atLeast) * Double(longer)).rounded(.down) + 1e-9)
    if abs(a.count - b.count) > allowed { return 0 }
    if a == b { return 1 }
    let width = b.count + 1
    if scratch.count < 2 * width { scratch = Array(repeating: 0, count: 2 * width) }
    var (previous, current) = (0, width)
    for j in 0...b.count { scratch[j] = j }
    for (i, x) in a.enumerated() {
      scratch[current] = i + 1
      var smallest = i + 1
      for (j, y) in b.enumerated() {
        let value = min(
          scratch[previous + j] + (x == y ? 0 : 1), scratch[previous + j + 1] + 1,
          scratch[current + j] + 1)
        scratch[current + j + 1] = value
        smallest = min(smallest, value)
      }
      if smallest > allowed { return 0 }
      swap(&previous, &current)
    }
    let distance = scratch[previous + b.count]
    return distance > allowed ? 0 : 1 - Double(distance) / Double(longer)
  }

  static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atLeast: Double = 0)
    -> Double
  {
    var scratch: [Int] = []
    return similarity(a, b, atLeast: atLeast, scratch: &scratch)
  }
}

/// How alike two words are as spelled: 1 − Levenshtein distance / the longer length, over
/// Unicode scalars (keys are NFKC already, so a Hangul syllable is one scalar). 1 for equal
/// words, 0 for nothing in common.
enum EditSimilarity {
  /// The similarity, or 0 without computing when it cannot reach `atLeast` (the lengths alone
  /// differ too much): most pairs a window compares are rejected that way.
  static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atLeast: Double = 0)
    -> Double
  {
    let longer = max(a.count, b.count)
    guard longer > 0 else { return 1 }
    if 1 - Double(abs(a.count - b.count)) / Double(longer) < atLeast { return 0 }
    if a == b { return 1 }
    var previous = Array(0...b.count)
    var current = previous
    for (i, x) in a.enumerated() {
      current[0] = i + 1
      for (j, y) in b.enumerated() {
        current[j + 1] = min(previous[j] + (x == y ? 0 : 1), previous[j + 1] + 1, current[j] + 1)
      }
      swap(&previous, &current)
    }
    return 1 - Double(previous[b.count]) / Double(longer)
  }
}

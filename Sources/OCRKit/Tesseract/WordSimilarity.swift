extension TesseractCommandLine {
  /// How alike two readings are, word by word: 2 × (longest common word subsequence) / (total
  /// words), 1 for the same words in the same order — Python's `difflib` ratio without its
  /// junk heuristics, so a missing, extra or reordered line costs what it weighs.
  public static func similarity(_ first: String, _ second: String) -> Double {
    let (a, b) = (words(first), words(second))
    guard !a.isEmpty || !b.isEmpty else { return 1 }
    // One row of the LCS table at a time: O(|a|·|b|) time, O(|b|) memory.
    var previous = [Int](repeating: 0, count: b.count + 1)
    var current = previous
    for word in a {
      for (j, other) in b.enumerated() {
        current[j + 1] = word == other ? previous[j] + 1 : max(previous[j + 1], current[j])
      }
      swap(&previous, &current)
    }
    return 2 * Double(previous[b.count]) / Double(a.count + b.count)
  }
}

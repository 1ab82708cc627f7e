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

extension TesseractCommandLine {
  /// The words of a text as a referee compares them, in order: Unicode NFKC (ligatures, full
  /// width forms), case folded, punctuation trimmed from both ends, words without a letter or
  /// digit left out (as `words`), and a word hyphenated at a line's end joined with the next
  /// line's first word ("infor-\nmation" is "information"), so layout costs nothing.
  public static func normalizedWords(_ text: String) -> [String] {
    let lines = text.precomposedStringWithCompatibilityMapping.split(
      omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    var result: [String] = []
    var carried = ""  // a word hyphenated at the end of the previous line
    for line in lines {
      var tokens = line.split(whereSeparator: \.isWhitespace).map(String.init)
      if !carried.isEmpty {
        if tokens.isEmpty {
          tokens = [carried]  // a blank line follows: the hyphen ended a paragraph
        } else {
          tokens[0] = carried + tokens[0]
        }
        carried = ""
      }
      if let last = tokens.last, last.count > 2, last.hasSuffix("-"),
        last.dropLast().last?.isLetter == true
      {
        carried = String(last.dropLast())
        tokens.removeLast()
      }
      result += tokens.compactMap(normalized)
    }
    if !carried.isEmpty, let word = normalized(carried) { result.append(word) }
    return result
  }

  /// One token as `normalizedWords` counts it, or nil when it carries no letter or digit.
  static func normalized(_ token: String) -> String? {
    let isEdge: (Character) -> Bool = { !($0.isLetter || $0.isNumber) }
    let trimmed = token.drop(while: isEdge).reversed().drop(while: isEdge).reversed()
    guard !trimmed.isEmpty else { return nil }
    return String(trimmed).lowercased()
  }

  /// How many words two bags share, counting repeats (multiset intersection): order and layout
  /// do not count, a word twice in one and once in the other counts once.
  public static func sharedWords(_ first: [String], _ second: [String]) -> Int {
    var counts: [String: Int] = [:]
    for word in first { counts[word, default: 0] += 1 }
    var shared = 0
    for word in second {
      if let count = counts[word], count > 0 {
        counts[word] = count - 1
        shared += 1
      }
    }
    return shared
  }
}

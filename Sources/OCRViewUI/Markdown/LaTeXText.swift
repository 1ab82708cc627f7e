/// Common LaTeX as Unicode text: `\alpha` → α, `x^2` → x², `\frac{a}{b}` → a⁄b, `\sqrt{x}` →
/// √x, `\mathbf{x}` → x. What has no Unicode form stays as its source (`\overset{a}{b}`,
/// `x^{\alpha}` → `x^{α}`), so nothing the model wrote is lost.
enum LaTeXText {
  static func unicode(_ source: String) -> String {
    var parser = Parser(characters: Array(source))
    return parser.sequence(depth: 0, closing: nil)
      .split(whereSeparator: \.isNewline).joined(separator: " ")
  }

  /// Braces nested deeper than this are copied as source: bounds the recursion.
  static let maxDepth = 32

  private struct Parser {
    let characters: [Character]
    var index = 0

    var atEnd: Bool { index >= characters.count }

    /// Atoms up to the end, or past `closing` (consumed) at this depth.
    mutating func sequence(depth: Int, closing: Character?) -> String {
      var result = ""
      while !atEnd {
        if let closing, characters[index] == closing {
          index += 1
          return result
        }
        result += atom(depth: depth)
      }
      return result
    }

    /// One unit: a group, a command and its arguments, a script, or a character.
    mutating func atom(depth: Int) -> String {
      let character = characters[index]
      switch character {
      case "{":
        index += 1
        guard depth < LaTeXText.maxDepth else { return "{" + rawGroup() }
        return sequence(depth: depth + 1, closing: "}")
      case "\\":
        return command(depth: depth)
      case "^", "_":
        index += 1
        let argument = argument(depth: depth)
        let map = character == "^" ? LaTeXSymbols.superscripts : LaTeXSymbols.subscripts
        if !argument.text.isEmpty, let mapped = mapAll(argument.text, map) { return mapped }
        return String(character) + (argument.braced ? "{\(argument.text)}" : argument.text)
      case "&", "~":
        index += 1
        return " "
      default:
        index += 1
        return String(character)
      }
    }

    /// The rest of a group copied as source, up to its matching brace (consumed).
    mutating func rawGroup() -> String {
      var level = 1
      var result = ""
      while !atEnd {
        let character = characters[index]
        index += 1
        if character == "{" { level += 1 }
        if character == "}" {
          level -= 1
          if level == 0 { return result + "}" }
        }
        result.append(character)
      }
      return result
    }

    /// A command's argument: a braced group or one atom, spaces before it skipped.
    mutating func argument(depth: Int) -> (text: String, braced: Bool) {
      while !atEnd && characters[index] == " " { index += 1 }
      guard !atEnd else { return ("", false) }
      let braced = characters[index] == "{"
      return (atom(depth: depth), braced)
    }

    /// `[…]` after a command (as in `\sqrt[3]{x}`), if present.
    mutating func optionalArgument(depth: Int) -> String? {
      guard !atEnd, characters[index] == "[" else { return nil }
      index += 1
      return sequence(depth: depth + 1, closing: "]")
    }

    mutating func command(depth: Int) -> String {
      index += 1  // the backslash
      guard !atEnd else { return "\\" }
      var name = ""
      while !atEnd, characters[index].isLetter, characters[index].isASCII {
        name.append(characters[index])
        index += 1
      }
      if name.isEmpty {  // a one-character command: \, \{ \\ …
        let character = characters[index]
        index += 1
        return LaTeXSymbols.punctuation[character] ?? "\\" + String(character)
      }
      if let symbol = LaTeXSymbols.symbols[name] { return symbol }
      switch name {
      case "frac", "dfrac", "tfrac":
        let numerator = argument(depth: depth).text
        let denominator = argument(depth: depth).text
        return parenthesised(numerator) + "⁄" + parenthesised(denominator)
      case "sqrt":
        let degree = optionalArgument(depth: depth)
        let radicand = parenthesised(argument(depth: depth).text)
        switch degree {
        case nil: return "√" + radicand
        case "3": return "∛" + radicand
        case "4": return "∜" + radicand
        case let degree?:
          return (mapAll(degree, LaTeXSymbols.superscripts) ?? degree) + "√" + radicand
        }
      case "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr":
        if !atEnd && characters[index] == "." { index += 1 }  // the invisible delimiter
        return ""
      case "begin", "end":
        let environment = argument(depth: depth).text
        return LaTeXSymbols.environments[environment].map { name == "begin" ? $0.0 : $0.1 } ?? ""
      default:
        break
      }
      if LaTeXSymbols.fonts.contains(name) { return argument(depth: depth).text }
      if name == "mathbb" {
        let text = argument(depth: depth).text
        return LaTeXSymbols.doubleStruck[text] ?? text
      }
      if let mark = LaTeXSymbols.accents[name] {
        let text = argument(depth: depth).text
        return text.count == 1 ? text + String(mark) : text
      }
      // Unknown: its source, with any braced arguments converted inside their braces.
      var result = "\\" + name
      while !atEnd && characters[index] == "{" {
        result += "{" + atom(depth: depth) + "}"
      }
      return result
    }

    /// Every character through `map`, or nil if one has no mapping.
    func mapAll(_ text: String, _ map: [Character: Character]) -> String? {
      var result = ""
      for character in text {
        guard let mapped = map[character] else { return nil }
        result.append(mapped)
      }
      return result
    }

    /// A fraction's or root's operand: bare when it is one number or word, else in parentheses.
    func parenthesised(_ text: String) -> String {
      text.count <= 1 || text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." })
        ? text : "(\(text))"
    }
  }
}

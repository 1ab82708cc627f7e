/// The tables behind `LaTeXText`: command names to Unicode.
enum LaTeXSymbols {
  static let symbols: [String: String] = {
    var table: [String: String] = [
      // Greek
      "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ",
      "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι",
      "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ",
      "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ",
      "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ",
      "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
      "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
      // Operators and relations
      "times": "×", "cdot": "·", "cdotp": "·", "div": "÷", "pm": "±", "mp": "∓", "leq": "≤",
      "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼",
      "simeq": "≃", "equiv": "≡", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫",
      "infty": "∞", "sum": "∑", "prod": "∏", "int": "∫", "iint": "∬", "iiint": "∭",
      "oint": "∮", "partial": "∂", "nabla": "∇", "circ": "∘", "bullet": "•", "star": "⋆",
      "ast": "∗", "oplus": "⊕", "otimes": "⊗", "odot": "⊙", "wedge": "∧", "land": "∧",
      "vee": "∨", "lor": "∨", "neg": "¬", "lnot": "¬", "cup": "∪", "cap": "∩",
      "setminus": "∖", "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆",
      "supset": "⊃", "supseteq": "⊇", "forall": "∀", "exists": "∃", "emptyset": "∅",
      "varnothing": "∅", "perp": "⊥", "parallel": "∥", "mid": "∣", "angle": "∠",
      // Arrows
      "rightarrow": "→", "to": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒",
      "Leftarrow": "⇐", "leftrightarrow": "↔", "Leftrightarrow": "⇔", "iff": "⟺",
      "implies": "⟹", "mapsto": "↦", "uparrow": "↑", "downarrow": "↓",
      "longrightarrow": "⟶", "longleftarrow": "⟵", "Longrightarrow": "⟹",
      // Delimiters and dots
      "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊",
      "rfloor": "⌋", "vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖",
      "rVert": "‖", "backslash": "\\", "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮",
      "ddots": "⋱",
      // Letters and marks
      "prime": "′", "degree": "°", "hbar": "ℏ", "ell": "ℓ", "Re": "ℜ", "Im": "ℑ",
      "aleph": "ℵ", "top": "⊤", "bot": "⊥", "checkmark": "✓", "triangle": "△",
      "square": "□", "Box": "□", "dagger": "†",
      // Spacing and layout that has no meaning in one line of text
      "quad": " ", "qquad": "  ", "displaystyle": "", "textstyle": "", "limits": "",
      "nolimits": "", "nonumber": "", "notag": "", "bmod": " mod ",
    ]
    for name in [
      "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "arcsin", "arccos",
      "arctan", "log", "ln", "lg", "exp", "lim", "liminf", "limsup", "max", "min", "sup", "inf",
      "arg", "deg", "det", "dim", "gcd", "hom", "ker", "Pr", "mod",
    ] {
      table[name] = name
    }
    return table
  }()

  /// Commands of one non-letter character.
  static let punctuation: [Character: String] = [
    ",": " ", ";": " ", ":": " ", "!": "", " ": " ", "\\": " ", "{": "{", "}": "}", "%": "%",
    "$": "$", "&": "&", "#": "#", "_": "_", "|": "‖",
  ]

  /// Font and text commands: their argument as it is.
  static let fonts: Set<String> = [
    "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathcal", "mathscr", "mathfrak",
    "boldsymbol", "bm", "text", "textrm", "textbf", "textit", "textsf", "texttt", "mbox",
    "operatorname", "mathnormal", "emph",
  ]

  static let doubleStruck: [String: String] = [
    "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "R": "ℝ", "C": "ℂ", "P": "ℙ", "E": "𝔼",
  ]

  /// Accents as combining marks on a one-character argument.
  static let accents: [String: Character] = [
    "hat": "\u{302}", "widehat": "\u{302}", "bar": "\u{304}", "overline": "\u{305}",
    "vec": "\u{20D7}", "tilde": "\u{303}", "widetilde": "\u{303}", "dot": "\u{307}",
    "ddot": "\u{308}",
  ]

  /// Matrix environments' brackets (begin, end); other environments vanish.
  static let environments: [String: (String, String)] = [
    "pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "vmatrix": ("|", "|"), "Bmatrix": ("{", "}"),
    "cases": ("{", ""),
  ]

  static let superscripts: [Character: Character] = pairs(
    "0123456789+-=()niabcdefghjklmoprstuvwxyzABDEGHIJKLMNOPRTUVW′'",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ′′")

  static let subscripts: [Character: Character] = pairs(
    "0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")

  private static func pairs(_ from: String, _ to: String) -> [Character: Character] {
    Dictionary(zip(from, to), uniquingKeysWith: { first, _ in first })
  }
}

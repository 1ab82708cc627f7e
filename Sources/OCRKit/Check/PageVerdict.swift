/// One answer per finished page to "can I trust this text, and if not, why", from what is known
/// of it: how its reading ended and how many tries it took, the model's own confidence (token
/// log-probabilities, when the server gave them), and `--check`'s second opinion when checking.
///
/// - `flagged`: the text is known to be wrong or incomplete — cut off at the token limit, still
///   looping after its rescue tries, lines missing or text invented by `--check`'s measure, or
///   a model that was unsure of most of it.
/// - `review`: worth a look — it took more than one try, the model was unsure of a good part,
///   `--check` agreed only weakly, or the stream lost events.
/// - `ok`: nothing known against it.
///
/// Pure: the evidence is passed in, so the rules are tested without a run.
public struct PageVerdict: Sendable, Equatable {
  public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
    case ok, review, flagged

    public static func < (a: Level, b: Level) -> Bool {
      allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
  }

  /// Why a page is not `ok`, most serious first.
  public enum Reason: Sendable, Equatable {
    /// The kept text ended at the token limit (`finish_reason: length`).
    case cutOff
    /// The kept text was stopped in a repetition loop: every rescue try looped or was cut.
    case loop
    /// `--check`: the text lacks much of what Tesseract reads on the page.
    case missingText(agreement: Double)
    /// `--check`: the text is not on the page (a blank page answered with a paragraph).
    case inventedText
    /// The model's own token probabilities were low.
    case lowConfidence(meanLogprob: Double, lowShare: Double)
    /// The page needed more than one read; the first try ended as `firstTry` says.
    case retried(tries: Int, firstTry: String)
    /// `--check` agreed only weakly: under `Thresholds.weakAgreement` on a page it judges, or
    /// under `sparseAgreement` on one with few words (`words`: Tesseract's confident ones).
    case weakAgreement(Double, words: Int)
    /// Stream events that were not JSON were skipped: text they held is missing.
    case malformedEvents(Int)

    /// What the run summary groups pages by: "cut off", "low confidence".
    public var label: String {
      switch self {
      case .cutOff: "cut off"
      case .loop: "loop"
      case .missingText: "text missing"
      case .inventedText: "invented text"
      case .lowConfidence: "low confidence"
      case .retried: "retried"
      case .weakAgreement: "weak agreement"
      case .malformedEvents: "events lost"
      }
    }

    /// The reason in words, for the page's pane, `--stats` and jsonl.
    public var words: String {
      switch self {
      case .cutOff:
        "cut off at the token limit (finish_reason: length) — raise --max-tokens"
      case .loop:
        "stopped in a repetition loop, on every try — the text ends where the loop began"
      case .missingText(let agreement):
        "--check: the text has \(PageCheck.percent(agreement)) of the words Tesseract reads "
          + "on the page — lines may be missing"
      case .inventedText:
        "--check: the text is not on the page — it may be invented"
      case .lowConfidence(let mean, let low):
        "the model was unsure: \(PageCheck.percent(low)) of its tokens below p = "
          + "\(String(format2: TokenConfidence.lowThreshold)), mean log-probability "
          + String(format2: mean)
      case .retried(let tries, let first):
        "read \(tries) times: the first try \(first)"
      case .weakAgreement(let agreement, let words)
      where words < PageCheck.Thresholds.standard.minTesseractWords:
        "--check: the text has only \(PageCheck.percent(agreement)) of the \(words) words "
          + "Tesseract reads on this sparse page"
      case .weakAgreement(let agreement, _):
        "--check: the text has only \(PageCheck.percent(agreement)) of the words Tesseract "
          + "reads on the page"
      case .malformedEvents(let count):
        "\(count) malformed stream event\(count == 1 ? "" : "s") skipped — text may be missing"
      }
    }

    /// How serious the reason is on its own.
    public func level(_ thresholds: Thresholds) -> Level {
      switch self {
      case .cutOff, .loop, .missingText, .inventedText: .flagged
      case .lowConfidence(let mean, let low):
        low >= thresholds.flaggedLowShare || mean <= thresholds.flaggedMeanLogprob
          ? .flagged : .review
      case .retried, .weakAgreement, .malformedEvents: .review
      }
    }
  }

  /// What is known of a page when its reading ends.
  public struct Evidence: Sendable, Equatable {
    /// How the kept reading ended.
    public enum Ending: Sendable, Equatable { case clean, cutOff, loop }
    public var ending: Ending = .clean
    /// How many times the page was read (1: the first read was kept as is).
    public var tries = 1
    /// How the first try ended, when there were several ("stopped in a loop").
    public var firstTry: String?
    /// The model's mean token log-probability and share of low-probability tokens.
    public var meanLogprob: Double?
    public var lowShare: Double?
    public var check: PageCheck?
    public var malformedEvents = 0

    public init(
      ending: Ending = .clean, tries: Int = 1, firstTry: String? = nil,
      meanLogprob: Double? = nil, lowShare: Double? = nil, check: PageCheck? = nil,
      malformedEvents: Int = 0
    ) {
      self.ending = ending
      self.tries = tries
      self.firstTry = firstTry
      self.meanLogprob = meanLogprob
      self.lowShare = lowShare
      self.check = check
      self.malformedEvents = malformedEvents
    }
  }

  /// Where confidence and agreement turn into `review` and `flagged`.
  ///
  /// A token is "low" below `TokenConfidence.lowThreshold` (p = 0.5). Token thresholds: an OCR model copying clear print is nearly sure of every token (mean
  /// log-probability near 0, a few per cent of tokens below p = 0.5, mostly at line breaks and
  /// Markdown choices); reading a smudge, a hand or a language it barely knows, it guesses. These
  /// values are set conservatively, so that only a clear share of guessed tokens asks for a
  /// look, and are to be calibrated on a real model's pages: no model weights are on the
  /// machine this was written on (README, "Verdicts").
  public struct Thresholds: Sendable, Equatable {
    /// A share of low tokens from which a page needs review …
    public var reviewLowShare = 0.15
    /// … and from which it is flagged: the model guessed a third of it.
    public var flaggedLowShare = 0.35
    /// Mean log-probability at or below which a page needs review (p ≈ 0.70 a token) …
    public var reviewMeanLogprob = -0.35
    /// … or is flagged (p ≈ 0.37 a token).
    public var flaggedMeanLogprob = -1.0
    /// `--check` agreement below which a judged page needs review (flags start at 0.6:
    /// `PageCheck.Thresholds.missingAgreement`; correct pages scored 0.80–1.0).
    public var weakAgreement = 0.75
    /// A page with fewer confident words than `--check` judges (20), but at least this many,
    /// needs review when the text has no more than `sparseAgreement` of them. Measured on the
    /// real-document corpus (BENCHMARKS.md, "Verdicts on real pages"): correct text on such pages (4–12
    /// words) had 0.60–1.0 of them, text with half its lines dropped 0–0.60 (mostly ≤ 0.5).
    /// Review, never a flag: a handful of words is thin evidence.
    public var sparseWords = 4
    public var sparseAgreement = 0.5
    public init() {}
    public static let standard = Thresholds()
  }

  public var level: Level
  /// Most serious first; empty for `ok`.
  public var reasons: [Reason]

  public init(level: Level, reasons: [Reason]) {
    self.level = level
    self.reasons = reasons
  }

  public static let ok = PageVerdict(level: .ok, reasons: [])

  /// The verdict `evidence` supports.
  public static func judge(_ evidence: Evidence, thresholds: Thresholds = .standard)
    -> PageVerdict
  {
    var reasons: [Reason] = []
    switch evidence.ending {
    case .cutOff: reasons.append(.cutOff)
    case .loop: reasons.append(.loop)
    case .clean: break
    }
    if let check = evidence.check {
      switch check.flag {
      case .missing?: reasons.append(.missingText(agreement: check.agreement))
      case .invented?: reasons.append(.inventedText)
      case nil:
        let limits = PageCheck.Thresholds.standard
        let readable = check.confidentShare >= limits.minConfidentShare
        let judged = readable && check.tesseractWords >= limits.minTesseractWords
        let sparse =
          readable
          && (thresholds.sparseWords..<limits.minTesseractWords).contains(
            check.tesseractWords)
        if judged && check.agreement < thresholds.weakAgreement
          || sparse && check.agreement <= thresholds.sparseAgreement
        {
          reasons.append(.weakAgreement(check.agreement, words: check.tesseractWords))
        }
      }
    }
    if let mean = evidence.meanLogprob, let low = evidence.lowShare,
      mean <= thresholds.reviewMeanLogprob || low >= thresholds.reviewLowShare
    {
      reasons.append(.lowConfidence(meanLogprob: mean, lowShare: low))
    }
    if evidence.tries > 1 {
      reasons.append(.retried(tries: evidence.tries, firstTry: evidence.firstTry ?? "failed"))
    }
    if evidence.malformedEvents > 0 { reasons.append(.malformedEvents(evidence.malformedEvents)) }
    let level = reasons.map { $0.level(thresholds) }.max() ?? .ok
    // Most serious first, keeping the order above among equals.
    let ordered = reasons.enumerated().sorted {
      let (a, b) = ($0.element.level(thresholds), $1.element.level(thresholds))
      return a != b ? a > b : $0.offset < $1.offset
    }.map(\.element)
    return PageVerdict(level: level, reasons: ordered)
  }

  /// The reasons in words, one line: "cut off at the token limit …; read 2 times: …".
  public var because: String { reasons.map(\.words).joined(separator: "; ") }
}

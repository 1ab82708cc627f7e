/// What the built-in engine read on a page for `--check`: its words with tesseract's
/// confidence in each, and how much of the page is ink.
public struct TesseractReading: Sendable, Equatable {
  public struct Word: Sendable, Equatable {
    public var text: String
    /// Tesseract's confidence, 0–100.
    public var confidence: Double

    public init(_ text: String, confidence: Double) {
      self.text = text
      self.confidence = confidence
    }
  }

  public var words: [Word]
  /// The share of the page's pixels that are dark (0…1): a blank page is near 0, a page of
  /// running text a few per cent.
  public var ink: Double
  /// Where those words stand (blocks, lines, words, symbols): what a text layer places the
  /// model's words by. Empty when the reading was made without it (tests of `--check`).
  public var layout: TesseractLayout

  public init(words: [Word], ink: Double, layout: TesseractLayout = TesseractLayout()) {
    self.words = words
    self.ink = ink
    self.layout = layout
  }
}

/// A second opinion on one model page (`--check`): how much of what tesseract reads on the page
/// is in the model's text, and whether that says the model dropped or invented text.
///
/// Words are compared as bags (`TesseractCommandLine.normalizedWords`, multiset counting), so
/// reading order, line breaks and Markdown layout cost nothing; only words count. Tesseract
/// is imperfect, so a flag needs clear evidence (`Thresholds`): a false alarm on a good page
/// costs the user more than a missed one.
public struct PageCheck: Sendable, Equatable {
  public enum Flag: String, Sendable, Equatable, Codable {
    /// The model's text lacks much of what is on the page (dropped lines, stopped early).
    case missing
    /// The model's text is not on the page (a blank page answered with a paragraph).
    case invented
  }

  /// Share of tesseract's confident words found in the model's text (recall, 0…1): the
  /// agreement. 1 when tesseract found no confident words.
  public var agreement: Double
  /// Share of the model's words tesseract read anywhere on the page (any confidence); 1 when
  /// the model wrote no words.
  public var precision: Double
  /// Words tesseract read with confidence ≥ `Thresholds.minConfidence`.
  public var tesseractWords: Int
  public var modelWords: Int
  /// The page's dark-pixel share (0…1).
  public var ink: Double
  /// Share of tesseract's words it is confident in: low when it read garbage (a page upside
  /// down, a script `--lang` does not name), and then it is no judge.
  public var confidentShare: Double
  public var flag: Flag?

  public init(
    agreement: Double, precision: Double, tesseractWords: Int, modelWords: Int, ink: Double,
    confidentShare: Double = 1, flag: Flag?
  ) {
    self.agreement = agreement
    self.precision = precision
    self.tesseractWords = tesseractWords
    self.modelWords = modelWords
    self.ink = ink
    self.confidentShare = confidentShare
    self.flag = flag
  }

  /// When a page is flagged. Measured on real pages (README, "--check thresholds, measured"):
  /// correct text scored 0.80–1.0 agreement; half a page dropped scores about 0.5.
  public struct Thresholds: Sendable, Equatable {
    /// Tesseract's reading is judged only when at least this share of its words are
    /// confident. Measured at 1540 px: 64–100 % on real pages (scans, typewriter, a poster),
    /// 55 % on the sample's half-Korean page read with `eng`, 15–16 % on an upside-down scan
    /// (which still gave 104–114 words at confidence ≥ 70). Its dictionary said less: 55–64 %
    /// of the words on well-read scans, 41 % upside down.
    public var minConfidentShare = 0.4
    /// Tesseract words below this confidence are noise (speckles, figure fragments, a script
    /// its languages do not cover): they neither count as words on the page nor are asked for
    /// in the model's text. Measured: real words on real scans score 85–97 (≥ 70 for 97 % of
    /// them), Hangul read with `eng` comes out as Latin garbage at 51–69.
    public var minConfidence = 70.0
    /// Confident tesseract words a page needs before missing text is judged.
    public var minTesseractWords = 20
    /// Agreement below this, with the model's own words mostly on the page, is missing text.
    public var missingAgreement = 0.6
    /// The model's words must mostly be on the page (precision at least this) for low
    /// agreement to mean dropped text rather than tesseract misreading the page.
    public var missingPrecision = 0.6
    /// Model words that count as "long" text on a page that has none.
    public var inventedModelWords = 20
    /// Fewer confident tesseract words than this, on a page with less ink than `blankInk`,
    /// is a blank page.
    public var blankTesseractWords = 5
    public var blankInk = 0.005
    /// On a page tesseract reads well (agreement ≥ `missingAgreement`), model text of which
    /// fewer than this share is on the page is mostly invented.
    public var inventedPrecision = 0.4
    /// On a page with at least `unrelatedWords` confident tesseract words, model text with less
    /// than this share of them is wrong: dropped (under `inventedModelWords` words) or another
    /// text altogether. (A fake server's 15–38 unrelated words on real pages had 1–11 % of
    /// tesseract's words, yet 8–40 % of their own on the page: "the", "of", "a".)
    public var unrelatedShare = 0.2
    public var unrelatedWords = 50

    public init() {}
    public static let standard = Thresholds()
  }

  /// Scores `modelText` — plain text: Markdown, HTML and grounding boxes already stripped —
  /// against what tesseract read on the same page image.
  public static func score(
    modelText: String, reading: TesseractReading, thresholds: Thresholds = .standard
  ) -> PageCheck {
    let model = TesseractCommandLine.normalizedWords(modelText)
    let all = TesseractCommandLine.normalizedWords(reading.words.map(\.text).joined(separator: " "))
    let confident = TesseractCommandLine.normalizedWords(
      reading.words.filter { $0.confidence >= thresholds.minConfidence }.map(\.text)
        .joined(separator: " "))
    let recall =
      confident.isEmpty
      ? 1 : Double(TesseractCommandLine.sharedWords(confident, model)) / Double(confident.count)
    let precision =
      model.isEmpty ? 1 : Double(TesseractCommandLine.sharedWords(all, model)) / Double(model.count)
    var check = PageCheck(
      agreement: recall, precision: precision, tesseractWords: confident.count,
      modelWords: model.count, ink: reading.ink,
      confidentShare: all.isEmpty ? 1 : Double(confident.count) / Double(all.count), flag: nil)
    check.flag = flag(check, thresholds)
    return check
  }

  private static func flag(_ check: PageCheck, _ limits: Thresholds) -> Flag? {
    let readable =
      check.tesseractWords >= limits.minTesseractWords
      && check.confidentShare >= limits.minConfidentShare
    if readable, check.agreement < limits.missingAgreement,
      check.precision >= limits.missingPrecision
    {
      return .missing
    }
    if check.tesseractWords < limits.blankTesseractWords, check.ink < limits.blankInk,
      check.modelWords >= limits.inventedModelWords
    {
      return .invented
    }
    if readable, check.agreement >= limits.missingAgreement,
      check.modelWords >= limits.inventedModelWords, check.precision < limits.inventedPrecision
    {
      return .invented
    }
    // A page tesseract reads with confidence whose words the model's text hardly has: wrong,
    // whatever its own words are (common words match any page, so precision does not clear
    // it) — short text dropped the page, long text is another one.
    if readable, check.tesseractWords >= limits.unrelatedWords,
      check.agreement < limits.unrelatedShare
    {
      return check.modelWords < limits.inventedModelWords ? .missing : .invented
    }
    return nil
  }

  /// Why the page is flagged, for people (one line); nil when it is not.
  public var reason: String? {
    switch flag {
    case .missing?:
      "model text has \(Self.percent(agreement)) of the words Tesseract finds on this page "
        + "— lines may be missing"
    case .invented? where tesseractWords < PageCheck.Thresholds.standard.blankTesseractWords:
      "the page looks blank (\(Self.inkPercent(ink)) ink, \(tesseractWords) words for "
        + "Tesseract) but the model wrote \(modelWords) words — the text may be invented"
    case .invented? where agreement < PageCheck.Thresholds.standard.unrelatedShare:
      "model text shares almost no words with the page (\(Self.percent(agreement)) of "
        + "Tesseract's, \(Self.percent(precision)) of its own) — it may be another page's text "
        + "or invented (or --lang misses the page's language)"
    case .invented?:
      "only \(Self.percent(precision)) of the model's \(modelWords) words are on the page for "
        + "Tesseract — the text may be invented"
    case nil: nil
    }
  }

  /// A share as a whole percentage, "40 %".
  static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }

  /// Ink to one decimal, "0.3 %".
  static func inkPercent(_ share: Double) -> String {
    let tenths = Int((share * 1000).rounded())
    return "\(tenths / 10).\(tenths % 10) %"
  }
}

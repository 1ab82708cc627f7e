extension TextLayerSurvey {
  /// Which pages of a document keep the text they have, and which lose another tool's
  /// invisible layer to ocrview's — what `ocrview ocr --pdf` and the viewer's `P` both decide
  /// by.
  public struct Decision: Equatable, Sendable {
    /// Pages that show text of their own: never given a layer.
    public var shown: Set<Int> = []
    /// Pages with only another tool's invisible text, left as they are (no `--redo-text`).
    public var layered: Set<Int> = []
    /// Pages with only another tool's invisible text that `--redo-text` replaces.
    public var replacing: Set<Int> = []

    public init(shown: Set<Int> = [], layered: Set<Int> = [], replacing: Set<Int> = []) {
      self.shown = shown
      self.layered = layered
      self.replacing = replacing
    }

    /// The pages given no layer.
    public var kept: Set<Int> { shown.union(layered) }
  }

  /// The decision for `document`: a layer ocrview put there is replaced; text a page shows is
  /// kept; another tool's invisible layer is kept, or replaced with `redoText`. Nothing is
  /// kept for an image, or when the survey fails (the write then says why). Blocking
  /// (poppler, libqpdf).
  public static func decide(_ document: OpenedDocument, redoText: Bool) -> Decision {
    guard document.kind == .pdf,
      let pages = try? pages(of: document.path, password: document.password)
    else { return Decision() }
    func numbers(_ text: PageText) -> Set<Int> {
      Set(pages.indices.filter { pages[$0] == text }.map { $0 + 1 })
    }
    let layered = numbers(.otherLayer)
    return Decision(
      shown: numbers(.foreign), layered: redoText ? [] : layered,
      replacing: redoText ? layered : [])
  }
}

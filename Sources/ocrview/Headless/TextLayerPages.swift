import OCRKit

/// A run's pages placed for its text layer (`--pdf`, `--format hocr`), each as soon as its
/// text is final — when it finishes, or after its check when checking, so the check's
/// tesseract reading serves both — and collected when the run has ended.
struct TextLayerPages {
  let pass: TextLayerPass?
  let document: OpenedDocument
  let maxSide: Int
  let grounded: Bool
  let checking: Bool
  /// Pages given no layer: they have text of their own (`TextLayerSurvey`).
  let kept: Set<Int>
  private var texts: [Int: String] = [:]
  private var placing: [Int: Task<Result<PlacedPage, PageReferee.Failure>, Never>] = [:]

  /// A page without a layer, and why.
  struct Missing: Equatable {
    var page: Int
    var reason: String
  }

  init(
    pass: TextLayerPass?, document: OpenedDocument, maxSide: Int, grounded: Bool,
    checking: Bool, kept: Set<Int> = []
  ) {
    self.pass = pass
    self.document = document
    self.maxSide = maxSide
    self.grounded = grounded
    self.checking = checking
    self.kept = kept
  }

  mutating func consume(_ item: CheckedRun.Item) {
    guard pass != nil else { return }
    switch item {
    case .run(.pageFinished(let page, let text, _)):
      texts[page] = text
      if !checking { place(page) }
    case .checked(let page, _):
      place(page)
    default:
      break
    }
  }

  private mutating func place(_ page: Int) {
    guard let pass, let text = texts[page], placing[page] == nil, !kept.contains(page) else {
      return
    }
    let (document, maxSide, grounded) = (document, maxSide, grounded)
    placing[page] = Task {
      await pass.place(page: page, text: text, of: document, maxSide: maxSide, grounded: grounded)
    }
  }

  /// The run has ended: places what is left (at normal priority now) and returns the placed
  /// pages in page order, and those of `selected` that have none. Interrupted, only the pages
  /// already placed: the others are named missing, nothing waits for tesseract.
  mutating func collect(selected: [Int], interrupted: Bool) async -> (
    placed: [PlacedPage], missing: [Missing]
  ) {
    guard let pass else { return ([], []) }
    if interrupted {
      await pass.reader.shutdown()
    } else {
      for page in texts.keys { place(page) }
      await pass.reader.hurry(document)
    }
    var placed: [PlacedPage] = []
    var missing: [Missing] = []
    for page in selected where !kept.contains(page) {
      guard let task = placing[page] else {
        missing.append(Missing(page: page, reason: texts[page] == nil ? "not read" : "interrupted"))
        continue
      }
      switch await task.value {
      case .success(let layer): placed.append(layer)
      case .failure(.stopped): missing.append(Missing(page: page, reason: "interrupted"))
      case .failure(let failure): missing.append(Missing(page: page, reason: failure.description))
      }
    }
    return (placed, missing)
  }
}

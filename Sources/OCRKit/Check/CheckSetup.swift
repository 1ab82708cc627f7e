extension EngineSetup {
  /// The referee of `--check` (and the viewer's `K`) for pages `kind` reads, or the one line
  /// that says why the run goes on without it (the engine is the built-in one; a language is
  /// not installed). The only place a referee is made. One reader per core: at idle priority
  /// they take only CPU nothing else wants, and a run that ends waiting for its last checks
  /// waits half as long on 2 cores.
  ///
  /// `keepsReadings`: a text layer (`--pdf`) takes each page's reading after its check.
  public func referee(for kind: EngineKind, keepsReadings: Bool = false) -> Result<
    PageReferee, CheckUnavailable
  > {
    if let refusal = CheckUnavailable.refusal(for: kind) { return .failure(refusal) }
    return textLayerReader(keepsReadings: keepsReadings).mapError { .tesseract($0) }
  }

  /// The reader of a text layer (`--pdf`) when nothing is checked: a referee asked for no
  /// check, which reads the pages a server's run offers it at idle priority (any engine's
  /// pages once asked).
  public func textLayerReader(keepsReadings: Bool = false) -> Result<PageReferee, TesseractError> {
    Result { () throws(TesseractError) in
      try PageReferee.start(languages: languages, workers: workers, keepsReadings: keepsReadings)
    }
  }
}

/// Why pages cannot be checked: one line; the run goes on without it.
public enum CheckUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
  case builtInEngine
  case tesseract(TesseractError)

  /// The server rule, decided here only: the referee *is* the built-in engine, so only pages a
  /// server read have a second opinion to get. Nil: pages `kind` reads can be checked.
  public static func refusal(for kind: EngineKind) -> CheckUnavailable? {
    kind == .server ? nil : .builtInEngine
  }

  /// The line, naming the switch that asked for checking: `--check`, or the viewer's `K`.
  public func said(by name: String) -> String {
    switch self {
    case .builtInEngine:
      "\(name) compares a server's text with the built-in engine; nothing to check"
    case .tesseract(let error): "\(name) is off: \(error)"
    }
  }

  public var description: String { said(by: "--check") }
}

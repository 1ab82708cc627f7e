/// Why a page failed, whatever part failed: what the run reports to the TUI and the CLI.
public enum OCRError: Error, Sendable, Equatable, CustomStringConvertible {
  case document(DocumentError)
  case server(ServerError)
  case engine(String)
  case cancelled

  public init(_ error: any Error) {
    switch error {
    case let error as OCRError: self = error
    case let error as DocumentError: self = .document(error)
    case let error as ServerError: self = .server(error)
    case is CancellationError: self = .cancelled
    default: self = .engine(String(describing: error))
    }
  }

  public var description: String {
    switch self {
    case .document(let error): error.description
    case .server(let error): error.description
    case .engine(let message): message
    case .cancelled: "cancelled; the text received so far is kept"
    }
  }

  /// What a page that will be sent again says: what happened, without the advice for a page
  /// that failed for good ("gave up", "read it again when…").
  public var whileRetrying: String {
    if case .server(let error) = self { return error.problem }
    return description
  }

  /// Whether later pages should not even try (the server is unusable).
  public var isFatalForRun: Bool {
    if case .server(let error) = self { return error.isFatalForRun }
    return false
  }
}

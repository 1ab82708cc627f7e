/// How a page's text comes back: token by token as it is generated, or all at once.
public enum OCRMode: String, Sendable, Codable, CaseIterable {
  case stream, batch
}

/// How one read of a page is asked for: the mode, and what differs from the engine's own
/// settings for this read alone.
public struct ReadOptions: Sendable, Equatable {
  public var mode: OCRMode
  /// The sampling temperature of this read (a rescue reads warmer); nil: the engine's own.
  public var temperature: Double?

  public init(mode: OCRMode, temperature: Double? = nil) {
    self.mode = mode
    self.temperature = temperature
  }
}

/// What an engine yields while reading a page.
public enum EngineOutput: Sendable, Equatable {
  /// New text, in order; never empty.
  case delta(String)
  /// The page is complete; how it ended and the engine's own figures.
  case finished(CompletionInfo)
}

/// Something that reads the text of a page image: an OCR server or the built-in engine.
///
/// The stream ends after `.finished`, or throws; ending its iteration (task cancellation)
/// stops the work — for a server, by closing the connection.
public protocol OCREngine: Sendable {
  /// Names the engine for people: in the stats bar and in `--stats`.
  var label: String { get }
  /// A server (or several) or the built-in engine: what `e` switches between, and what
  /// decides whether `--insecure` matters.
  var kind: EngineKind { get }
  /// Everything about the engine that changes the text it reads (engine, model, prompt,
  /// sampling), for the journal's key: a page is restored only for the same identity.
  var outputIdentity: String { get }
  func recognize(_ page: PageImage, _ options: ReadOptions) -> AsyncThrowingStream<
    EngineOutput, Error
  >
  /// The temperature a read without its own samples at; nil for an engine that does not
  /// sample (the built-in one), whose pages a warmer read cannot rescue.
  var temperature: Double? { get }
  /// Returns once the engine takes requests: a server that answered 429 with `Retry-After` is
  /// waited for, so a run starts no new page on it meanwhile (the wait is not the page's time
  /// to first token). At once for an engine that never asks to wait.
  func acceptingRequests() async
  /// Releases what the engine holds (the built-in engine's threads, so tesseract ends
  /// cleanly); waits off the concurrency pool.
  func shutdown() async
}

/// What kind of engine reads the pages.
public enum EngineKind: String, Sendable, Equatable {
  case server
  case builtIn = "built-in"
}

extension OCREngine {
  public var outputIdentity: String { label }
  public var temperature: Double? { nil }
  /// A read with the engine's own settings.
  public func recognize(_ page: PageImage, mode: OCRMode) -> AsyncThrowingStream<
    EngineOutput, Error
  > {
    recognize(page, ReadOptions(mode: mode))
  }
  /// Servers hold nothing that needs ending.
  public func shutdown() async {}
  public func acceptingRequests() async {}
}

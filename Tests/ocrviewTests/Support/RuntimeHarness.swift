import Foundation
import OCRKit
import OCRKitDoubles
import OCRViewUI
import Synchronization

@testable import ocrview

/// The viewer without a terminal: the pure model, the real `Runtime` with injected services,
/// and a loop that applies the events the runtime posts — what `App` does around ncurses.
final class RuntimeHarness {
  var model: Model
  private(set) var runtime: Runtime!
  /// Every effect `update` asked for, in order.
  private(set) var performed: [Effect] = []
  private let inbox = Inbox()

  init(services: RuntimeServices, directory: String = "/docs") {
    model = Model(size: Size(width: 100, height: 30), directory: directory)
    runtime = Runtime(services: services, post: inbox.post)
  }

  /// Cancels what still runs; blocks nothing (the harness lives on the concurrency pool).
  deinit { runtime.perform(.cancelRuns) }

  func start(opening path: String? = nil) {
    perform(OCRViewUI.start(&model, opening: path))
  }

  func send(_ event: Event) { perform(update(&model, event)) }

  func press(_ keys: Key...) { for key in keys { send(.key(key)) } }
  func type(_ text: String) { for character in text { send(.key(.character(character))) } }

  private func perform(_ effects: [Effect]) {
    for effect in effects {
      performed.append(effect)
      runtime.perform(effect)
    }
  }

  /// Applies the runtime's events as they come until `condition` holds (false after `timeout`).
  /// The limit only ends a failure: it is far beyond what passing takes on a loaded machine (the
  /// suite's first minute runs ~100 tests at once on two cores), so it never judges speed.
  @discardableResult
  func until(timeout: Duration = .seconds(300), _ condition: (Model) -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition(model) {
      guard ContinuousClock.now < deadline else { return false }
      let events = inbox.take()
      if events.isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
      for event in events {
        send(.tick(.now))
        send(event)
      }
    }
    return true
  }

  /// The page states, as "number:progress:mode".
  var pages: [String] {
    (model.document?.pages ?? []).map {
      "\($0.number):\($0.progress.rawValue):\($0.mode?.rawValue ?? "-")"
    }
  }
}

extension ScriptedEngine {
  /// An engine for runtime tests: records each request's page and mode, and answers a page
  /// ("page N" as one delta) only once the test releases it — or at once, `releasedAll`.
  static func held(_ label: String, kind: EngineKind, releasedAll: Bool = false)
    -> ScriptedEngine
  {
    let engine = ScriptedEngine(label: label, kind: kind) { page in .held(["page \(page)"]) }
    if releasedAll { engine.releaseAll() }
    return engine
  }
}

/// Services for runtime tests: engines, documents and files the test controls.
enum TestServices {
  static func make(
    select: @escaping @Sendable () async throws -> EngineSelection,
    make: @escaping @Sendable (EngineKind) async throws -> EngineSelection = { _ in
      throw TestFailure("no other engine")
    },
    open: @escaping @Sendable (String) async throws -> OpenedDocument = { path in
      try await OpenedDocument.open(path: path, password: nil)
    },
    list: @escaping @Sendable (String) throws -> [PickerEntry] = { _ in [] },
    save: @escaping @Sendable (String, String) throws -> String = { _, path in path + ".ocr.md" },
    referee: @escaping @Sendable () -> Result<PageReferee, CheckUnavailable> = Self.referee,
    saveSearchablePDF:
      @escaping @Sendable ([PlacedPage], OpenedDocument) throws -> SearchablePDFFile.Saved = {
        _, document in try SearchablePDFFile.save([], of: document, in: nil)
      }
  ) -> RuntimeServices {
    RuntimeServices(
      selectEngine: { _ in try await select() }, makeEngine: { kind, _ in try await make(kind) },
      openDocument: { path, _ in try await open(path) },
      journal: { _ in nil },
      plan: { RunPlan(pages: $0, mode: $1, maxSide: $2.maxSide, concurrency: $2.concurrency) },
      listDirectory: list, save: save, referee: referee,
      textLayerReader: {
        Result { () throws(TesseractError) in try PageReferee.start(languages: "eng") }
      },
      saveSearchablePDF: saveSearchablePDF)
  }
}

extension TestServices {
  /// The referee `K` makes: its reader at idle priority while the run reads, hurried to
  /// normal priority once it has ended (so the suite filling both cores does not starve it).
  @Sendable static func referee() -> Result<PageReferee, CheckUnavailable> {
    Result { () throws(TesseractError) in try PageReferee.start(languages: "eng") }
      .mapError(CheckUnavailable.tesseract)
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A count kept across tasks.
final class Counter: Sendable {
  private let count = Mutex(0)
  func add() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}

/// Events the runtime posted, for the harness to apply.
final class Inbox: Sendable {
  private let events = Mutex<[Event]>([])
  func post(_ event: Event) { events.withLock { $0.append(event) } }
  func take() -> [Event] {
    events.withLock { events in
      defer { events.removeAll() }
      return events
    }
  }
}

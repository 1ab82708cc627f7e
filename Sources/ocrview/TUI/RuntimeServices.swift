import Foundation
import OCRKit
import OCRViewUI

/// The I/O the viewer's runtime performs, as functions: the live ones talk to servers, poppler
/// and the disk; tests pass their own, so the runtime is driven without a terminal.
struct RuntimeServices: Sendable {
  /// Picks the engine as the options say (probing the servers); calls `loading` with the
  /// servers' addresses when they are loading their models and the selection starts waiting.
  var selectEngine:
    @Sendable (_ loading: @escaping @Sendable (String) -> Void) async throws -> EngineSelection
  /// The engine of a kind, as `e` asks for it; for the servers, with grounding on or off
  /// (`B`; nil: as the command line said).
  var makeEngine: @Sendable (EngineKind, Bool?) async throws -> EngineSelection
  var openDocument: @Sendable (_ path: String, _ password: String?) async throws -> OpenedDocument
  /// Where runs of an engine are journaled (nil: not at all).
  var journal: @Sendable (EngineSelection) -> RunJournal?
  /// A run plan for pages read by an engine (its image size and pages in flight).
  var plan: @Sendable (_ pages: [Int], _ mode: OCRMode, _ engine: EngineSelection) -> RunPlan
  /// Blocking: called off the UI thread and the concurrency pool.
  var listDirectory: @Sendable (String) throws -> [PickerEntry]
  /// Writes a transcript for a document; returns where. Blocking, like `listDirectory`.
  var save: @Sendable (_ text: String, _ documentPath: String) throws -> String
  /// The referee of `K` (`--check`) for the servers' pages: the built-in engine at idle
  /// priority, in `--lang` (`EngineSetup.referee(for:)`), or why there is none.
  var referee: @Sendable () -> Result<PageReferee, CheckUnavailable>
  /// The reader of `P`'s text layer: the built-in engine in `--lang`, or why there is none.
  var textLayerReader: @Sendable () -> Result<PageReferee, TesseractError>
  /// Writes a searchable PDF of a document with these pages' text layers beside it (or in
  /// the output directory), never overwriting; says where, and which pages kept text of
  /// their own. Blocking, like `save`.
  var saveSearchablePDF:
    @Sendable (_ pages: [PlacedPage], _ document: OpenedDocument) throws ->
      SearchablePDFFile.Saved
  /// Server certificates are not checked (`--insecure`): the header says so.
  var insecure = false
  /// The page pane's image size while no engine is selected (the probe is still out, or no
  /// engine could start): `--max-side`, else the default.
  var maxSideWithoutEngine = RequestedSettings.defaultMaxSide

  /// The real thing, from the command line's setup.
  static func live(
    setup: EngineSetup, password: String?, outDirectory: String?, environment: [String: String]
  ) -> RuntimeServices {
    let transport = CurlTransport()
    let store = JournalStore.standard(environment: environment)
    return RuntimeServices(
      selectEngine: { loading in
        // `--grounding` with a model (or engine) without it: refused, as `ocrview ocr` does.
        try await setup.selectAsRequested(transport: transport, loading: loading)
      },
      makeEngine: { kind, grounding in
        var setup = setup
        if let grounding { setup.requested.grounding = grounding }
        let reason =
          kind == .builtIn
          ? "built-in Tesseract (switched with e)"
          : "server \(setup.servers.map(\.baseURL).joined(separator: ", ")) (switched with e)"
        return try await setup.engine(kind, transport: transport, reason: reason)
      },
      openDocument: { path, typed in
        try await OpenedDocument.open(
          path: path, password: typed ?? password, workers: setup.renderWorkers)
      },
      journal: { setup.journal(for: $0, store: store) },
      plan: { setup.plan(pages: $0, mode: $1, for: $2) },
      listDirectory: { try DirectoryLister.list($0) },
      save: { try TranscriptFile.save($0, for: $1, in: outDirectory) },
      referee: { setup.referee(for: .server) },
      textLayerReader: { setup.textLayerReader() },
      saveSearchablePDF: { pages, document in
        try SearchablePDFFile.save(pages, of: document, in: outDirectory)
      },
      insecure: setup.insecure, maxSideWithoutEngine: setup.requested.maxSide(profile: nil))
  }
}

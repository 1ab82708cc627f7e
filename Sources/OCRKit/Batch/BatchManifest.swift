import Foundation

/// What a batch export wrote, kept beside its files (`manifest.json`): the settings the
/// requests carry, each document with its content hash and the pages exported, and the request
/// files. Import checks every result line against it, so a line for a page never exported, or
/// for a document that has changed since, is refused instead of landing in a journal.
public struct BatchManifest: Codable, Sendable, Equatable {
  public static let fileName = "manifest.json"
  public static let currentFormat = "ocrview-batch-1"

  public struct Page: Codable, Sendable, Equatable {
    public var page: Int
    /// The image sent, in pixels: grounding boxes are relative to it, as for a live page.
    public var width: Int
    public var height: Int
    public var imageBytes: Int
    /// The request's `max_tokens`.
    public var maxTokens: Int
    public init(page: Int, width: Int, height: Int, imageBytes: Int, maxTokens: Int) {
      self.page = page
      self.width = width
      self.height = height
      self.imageBytes = imageBytes
      self.maxTokens = maxTokens
    }
  }

  public struct Document: Codable, Sendable, Equatable {
    /// As given on the command line, made absolute.
    public var path: String
    /// The full content fingerprint (`ContentHash.fingerprint`).
    public var contentHash: String
    public var pageCount: Int
    public var pages: [Page]
    public init(path: String, contentHash: String, pageCount: Int, pages: [Page]) {
      self.path = path
      self.contentHash = contentHash
      self.pageCount = pageCount
      self.pages = pages
    }
    public var name: String { (path as NSString).lastPathComponent }
  }

  public struct File: Codable, Sendable, Equatable {
    public var name: String
    public var lines: Int
    public var bytes: Int
    public init(name: String, lines: Int, bytes: Int) {
      self.name = name
      self.lines = lines
      self.bytes = bytes
    }
  }

  public var format = BatchManifest.currentFormat
  /// The journal identity the pages are imported under (what `ocrview ocr` with the same flags
  /// computes), and its hash as it appears in every `custom_id`.
  public var identity: String
  public var settingsHash: String
  /// `inline` (data URLs) or `files` (`file://` PNGs in `images/`).
  public var images: String
  public var documents: [Document] = []
  public var files: [File] = []

  public init(identity: String, images: String) {
    self.identity = identity
    self.settingsHash = String(JournalStore.settingsHash(identity))
    self.images = images
  }

  /// The document a `custom_id` names, with the page's entry; nil when the manifest has none.
  public func lookup(_ id: BatchID) -> (document: Document, page: Page)? {
    guard id.settings == settingsHash,
      let document = documents.first(where: { $0.contentHash.hasPrefix(id.document) }),
      let page = document.pages.first(where: { $0.page == id.page })
    else { return nil }
    return (document, page)
  }

  public func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
  }

  public static func read(_ path: String) throws(BatchError) -> BatchManifest {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .cannotRead(path: path, reason: "no such file, or not readable")
    }
    guard let manifest = try? JSONDecoder().decode(BatchManifest.self, from: data),
      manifest.format == currentFormat
    else {
      throw .notAManifest(path: path)
    }
    return manifest
  }
}

/// One page, encoded for upload: what an engine is given to read.
public struct PageImage: Sendable {
  /// 1-based page number in its document.
  public var number: Int
  /// Encoded image bytes (PNG or JPEG) ready for a `data:` URL.
  public var bytes: [UInt8]
  public var mimeType: String
  public var width: Int
  public var height: Int
  /// Time spent rendering and encoding it.
  public var renderTime: Duration

  public init(
    number: Int, bytes: [UInt8], mimeType: String, width: Int, height: Int,
    renderTime: Duration = .zero
  ) {
    self.number = number
    self.bytes = bytes
    self.mimeType = mimeType
    self.width = width
    self.height = height
    self.renderTime = renderTime
  }
}

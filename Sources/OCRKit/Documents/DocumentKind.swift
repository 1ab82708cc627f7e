/// What a file is, decided by its first bytes — never by its extension, which can lie.
public enum DocumentKind: String, Sendable, Equatable, CaseIterable {
  case pdf, png, jpeg, tiff, gif, webp, bmp, pnm

  /// How many leading bytes `sniff` wants to see.
  public static let sniffLength = 1024

  /// The kind of a readable, non-empty regular file; nil for anything else (the picker and
  /// folder runs list or skip it; opening says why precisely).
  public static func of(fileAt path: String) -> DocumentKind? {
    (try? FileCheck.readableHead(path: path, count: sniffLength)).flatMap(sniff)
  }

  /// Recognises a file from its leading bytes; nil when it is nothing ocrview can open.
  public static func sniff(_ head: some Collection<UInt8>) -> DocumentKind? {
    let bytes = Array(head.prefix(sniffLength))
    func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
      bytes.count >= offset + magic.count && Array(bytes[offset..<offset + magic.count]) == magic
    }
    if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
    if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
    if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
    if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
    if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
    if starts(Array("BM".utf8)) && bytes.count >= 26 { return .bmp }
    if bytes.count >= 3, bytes[0] == UInt8(ascii: "P"),
      (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[1]),
      [0x20, 0x09, 0x0A, 0x0D].contains(bytes[2])
    {
      return .pnm
    }
    // PDF readers accept up to 1 KiB of junk before the header.
    let pdfMagic = Array("%PDF-".utf8)
    if bytes.count >= pdfMagic.count,
      (0...(bytes.count - pdfMagic.count)).contains(where: {
        bytes[$0..<$0 + pdfMagic.count].elementsEqual(pdfMagic)
      })
    {
      return .pdf
    }
    return nil
  }

  /// The MIME type a server is sent for an image of this kind, where it is sent unchanged.
  public var mimeType: String? {
    switch self {
    case .png: "image/png"
    case .jpeg: "image/jpeg"
    default: nil
    }
  }
}

import Foundation
import Testing

@testable import OCRKit

@Suite struct DocumentTests {
  static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47]

  @Test func rendersPDFPagesAt200DPICappedByTheLongestSide() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    #expect(document.kind == .pdf)
    #expect(document.pageCount == 3)
    let page = try await document.render(page: 2, maxSide: 1540)
    #expect(page.number == 2)
    #expect(page.mimeType == "image/png")
    #expect(Array(page.bytes.prefix(4)) == Self.pngMagic)
    #expect(page.height == 1540)
    #expect(page.width == 1190)  // 612 × 1540/792
    let small = try await document.render(page: 1, maxSide: 4000)
    #expect(small.height == 2200)  // 792 pt at 200 DPI: the DPI caps it first
  }

  @Test func greyPagesGoOutAsGreyPNGAndFewColourPagesAsAPalette() async throws {
    let grey = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
      .render(page: 1, maxSide: 800)
    let greyImage = try #require(LeptonicaImage(png: grey.bytes))
    #expect(greyImage.depth == 8)
    #expect(greyImage.width == grey.width && greyImage.height == grey.height)
    #expect(greyImage.pixel(x: 2, y: 2) == 255)  // the white margin

    let path = TestFiles.scratchDirectory() + "/red.pdf"
    TestFiles.makePDF(pages: 1, at: path, redSquare: true)
    let colour = try await OpenedDocument.open(path: path).render(page: 1, maxSide: 792)
    let colourImage = try #require(LeptonicaImage(png: colour.bytes))
    #expect(colourImage.hasPalette)
    let pixels = colourImage.rgbPixels()
    #expect(pixels[400 * colourImage.width + 400] == 0xFF_0000)  // inside the square
    #expect(pixels[2 * colourImage.width + 2] == 0xFF_FFFF)
  }

  @Test func aWarmedPageIsHandedToTheNextRenderOfItOnly() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    document.warm(page: 2, maxSide: 400)
    let warmed = try await document.render(page: 2, maxSide: 400)
    let again = try await document.render(page: 2, maxSide: 400)
    #expect(warmed.bytes == again.bytes && warmed.number == 2)
    document.warm(page: 3, maxSide: 400)
    let other = try await document.render(page: 3, maxSide: 300)  // not what was warmed
    #expect(max(other.width, other.height) == 300)
  }

  @Test func rejectsPagesOutsideTheDocument() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.asset("sample.pdf"))
    await #expect(throws: DocumentError.pageOutOfRange(page: 4, pageCount: 3)) {
      try await document.render(page: 4, maxSide: 1540)
    }
  }

  @Test func sendsAPNGWithinTheLimitByteForByteAndDownscalesALargerOne() async throws {
    let path = TestFiles.asset("sample-scan.png")
    let original = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    let document = try await OpenedDocument.open(path: path)
    #expect(document.kind == .png)
    let asIs = try await document.render(page: 1, maxSide: 2000)
    #expect(asIs.bytes == original)
    #expect(asIs.width == 1275 && asIs.height == 1650)
    let scaled = try await document.render(page: 1, maxSide: 1540)
    #expect(scaled.height == 1540)
    #expect(abs(scaled.width - 1190) <= 1)
    #expect(Array(scaled.bytes.prefix(4)) == Self.pngMagic)
  }

  @Test func downscalesAWideJPEGAndReencodesOtherFormatsAsPNG() async throws {
    let jpeg = try await OpenedDocument.open(path: TestFiles.fixture("wide.jpg"))
    let page = try await jpeg.render(page: 1, maxSide: 1540)
    #expect(page.width == 1540)
    #expect(abs(page.height - 513) <= 1)
    for name in ["small.gif", "small.bmp", "small.webp", "small.pgm"] {
      let document = try await OpenedDocument.open(path: TestFiles.fixture(name))
      let image = try await document.render(page: 1, maxSide: 1540)
      #expect(image.mimeType == "image/png")
      #expect(Array(image.bytes.prefix(4)) == Self.pngMagic)
      #expect(image.width == 400 && image.height == 120)
    }
  }

  @Test func rotatedAndMixedSizePagesRenderUpright() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.fixture("mixed-rotated.pdf"))
    let rotated = try await document.render(page: 1, maxSide: 1540)
    #expect(rotated.width == 1540 && rotated.height == 1190)  // letter turned by /Rotate 90
    let landscape = try await document.render(page: 2, maxSide: 1540)
    #expect(landscape.width == 1540 && abs(landscape.height - 1089) <= 1)
    let small = try await document.render(page: 3, maxSide: 1540)
    #expect(small.width == 556 && small.height == 278)  // 200×100 pt at 200 DPI
    // The rotated page is drawn on white: its first pixel row must be white, not transparent.
    let pix = try #require(LeptonicaImage(png: rotated.bytes))
    #expect(pix.pixel(x: 0, y: 0) == 255)
  }

  @Test func aMultiPageTIFFHasOnePagePerFrame() async throws {
    let document = try await OpenedDocument.open(path: TestFiles.fixture("three-frames.tif"))
    #expect(document.kind == .tiff)
    #expect(document.pageCount == 3)
    let third = try await document.render(page: 3, maxSide: 1540)
    #expect(Array(third.bytes.prefix(4)) == Self.pngMagic)
  }

  @Test func opensByContentWhenTheExtensionLies() async throws {
    let directory = TestFiles.scratchDirectory()
    let liar = directory + "/really-a-pdf.png"
    try FileManager.default.copyItem(atPath: TestFiles.asset("sample.pdf"), toPath: liar)
    let document = try await OpenedDocument.open(path: liar)
    #expect(document.kind == .pdf)
    #expect(document.pageCount == 3)
  }

  @Test func encryptedPDFsNeedTheRightPassword() async throws {
    let path = TestFiles.fixture("encrypted.pdf")
    await #expect(throws: DocumentError.encrypted(path: path)) {
      try await OpenedDocument.open(path: path)
    }
    await #expect(throws: DocumentError.wrongPassword(path: path)) {
      try await OpenedDocument.open(path: path, password: "nope")
    }
    let document = try await OpenedDocument.open(path: path, password: "secret")
    #expect(document.pageCount == 1)
    #expect(DocumentError.encrypted(path: path).description.contains("--password"))
  }

  @Test func badFilesGetAPreciseError() async throws {
    let directory = TestFiles.scratchDirectory()
    let empty = directory + "/empty.pdf"
    _ = FileManager.default.createFile(atPath: empty, contents: Data())
    let fifo = directory + "/pipe"
    mkfifo(fifo, 0o644)
    let cases: [(String, (String) -> DocumentError)] = [
      (directory + "/missing.pdf", { .notFound(path: $0) }),
      (directory, { .notARegularFile(path: $0) }),
      (fifo, { .notARegularFile(path: $0) }),
      (empty, { .empty(path: $0) }),
      (TestFiles.root.appendingPathComponent("Package.swift").path, { .unsupportedType(path: $0) }),
    ]
    for (path, expected) in cases {
      await #expect(throws: expected(path)) { try await OpenedDocument.open(path: path) }
    }
  }

  @Test func damagedFilesSayTheyAreDamaged() async throws {
    for name in ["truncated.pdf", "corrupt-header.png"] {
      let path = TestFiles.fixture(name)
      do {
        _ = try await OpenedDocument.open(path: path)
        Issue.record("\(name) must not open")
      } catch {
        guard case .corrupt(let failedPath, _) = error else {
          Issue.record("\(name): expected .corrupt, got \(error)")
          continue
        }
        #expect(failedPath == path)
        #expect(error.description.contains("damaged"))
      }
    }
  }
}

import CPoppler
import Foundation
import OCRTestSupport
import Testing

@testable import OCRKit

/// The upload is lossless in every form it takes: decoding it gives back poppler's raster.
@Suite struct PageEncodingTests {
  @Test func greyPageDecodesToItsRasterAsGrey() throws {
    let decoded = try roundTrip(TestFiles.asset("sample.pdf"))
    #expect(decoded.depth == 8 && !decoded.hasPalette)
  }

  @Test func pageWithAFewColouredPixelsDecodesToItsRasterAsAPalette() throws {
    let path = TestFiles.scratchDirectory() + "/red.pdf"
    SyntheticPDF.write(pages: 1, to: path, linesPerPage: 20, redSquare: true)
    let decoded = try roundTrip(path)
    #expect(decoded.hasPalette)
  }

  @Test func photoLikePageDecodesToItsRasterAsRGB() throws {
    let path = TestFiles.scratchDirectory() + "/noise.pdf"
    SyntheticPDF.write(pages: 1, to: path, linesPerPage: 20, noiseMegabytes: 1)
    let decoded = try roundTrip(path)
    #expect(decoded.depth == 32)
  }

  @Test func everyCandidateEncodingIsLossless() throws {
    let path = TestFiles.scratchDirectory() + "/red.pdf"
    SyntheticPDF.write(pages: 1, to: path, linesPerPage: 20, redSquare: true)
    for encoding in [PNGEncoding.libpngDefaults, .chosen] {
      _ = try roundTrip(path, encoding: encoding)
    }
  }

  /// Renders page 1, encodes it, decodes the PNG and checks every pixel against the raster.
  private func roundTrip(_ path: String, encoding: PNGEncoding = .chosen) throws -> LeptonicaImage {
    let pages = try PDFPages(path: path, password: nil, encoding: encoding)
    let raster = try pages.raster(page: 1, maxSide: 792)
    let image = try pages.render(page: 1, maxSide: 792)
    let decoded = try #require(LeptonicaImage(png: image.bytes))
    #expect(decoded.width == raster.width && decoded.height == raster.height)
    #expect(decoded.rgbPixels() == pixels(of: raster))
    return decoded
  }

  /// The raster's pixels as 0xRRGGBB, row by row.
  private func pixels(of raster: CairoRaster) -> [UInt32] {
    let stride = Int(cairo_image_surface_get_stride(raster.surface)) / 4
    guard let data = cairo_image_surface_get_data(raster.surface) else { return [] }
    return data.withMemoryRebound(to: UInt32.self, capacity: stride * raster.height) { words in
      (0..<raster.height).flatMap { row in
        (0..<raster.width).map { words[row * stride + $0] & 0xFF_FFFF }
      }
    }
  }
}

import OCRViewUI
import Testing

@Suite struct GeometryTests {
  let rect = Rect(x: 2, y: 1, width: 10, height: 4)

  @Test func emptiness() {
    #expect(!rect.isEmpty)
    #expect(Rect(x: 0, y: 0, width: 0, height: 3).isEmpty)
    #expect(Rect(x: 0, y: 0, width: 3, height: -1).isEmpty)
    #expect(Rect(Size(width: 80, height: 24)) == Rect(x: 0, y: 0, width: 80, height: 24))
    #expect(rect.maxX == 12 && rect.maxY == 5)
    #expect(rect.contains(x: 2, y: 1) && rect.contains(x: 11, y: 4))
    #expect(!rect.contains(x: 12, y: 1) && !rect.contains(x: 2, y: 5))
  }

  @Test func rowIsOneLineAndEmptyOutside() {
    #expect(rect.row(0) == Rect(x: 2, y: 1, width: 10, height: 1))
    #expect(rect.row(3) == Rect(x: 2, y: 4, width: 10, height: 1))
    #expect(rect.row(4).isEmpty)
    #expect(rect.row(-1).isEmpty)
  }

  @Test func intersection() {
    let other = Rect(x: 8, y: 0, width: 10, height: 3)
    #expect(rect.intersection(other) == Rect(x: 8, y: 1, width: 4, height: 2))
    #expect(rect.intersection(Rect(x: 50, y: 50, width: 1, height: 1)).isEmpty)
  }
}

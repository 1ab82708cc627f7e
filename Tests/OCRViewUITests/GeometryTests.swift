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

  @Test func insetShrinksEverySideAndNeverGoesNegative() {
    #expect(rect.inset(by: 1) == Rect(x: 3, y: 2, width: 8, height: 2))
    #expect(rect.inset(by: 2) == Rect(x: 4, y: 3, width: 6, height: 0))
    #expect(rect.inset(by: 2).isEmpty)
    #expect(rect.inset(by: 9).width == 0)
    #expect(rect.inset(by: 0) == rect)
  }

  @Test func splitsSideBySide() {
    let (left, right) = rect.splitVertically(leftWidth: 3)
    #expect(left == Rect(x: 2, y: 1, width: 3, height: 4))
    #expect(right == Rect(x: 5, y: 1, width: 7, height: 4))
    #expect(rect.splitVertically(leftWidth: 20).right == Rect(x: 12, y: 1, width: 0, height: 4))
    #expect(rect.splitVertically(leftWidth: -1).left.width == 0)
  }

  @Test func splitsOneAboveTheOther() {
    let (top, bottom) = rect.splitHorizontally(topHeight: 1)
    #expect(top == Rect(x: 2, y: 1, width: 10, height: 1))
    #expect(bottom == Rect(x: 2, y: 2, width: 10, height: 3))
    #expect(rect.splitHorizontally(topHeight: 9).bottom.isEmpty)
    #expect(rect.splitHorizontally(topHeight: -2).top.isEmpty)
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

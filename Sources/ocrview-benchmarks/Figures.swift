import Foundation
import OCRKit

/// Small helpers for printing benchmark figures; percentiles come from OCRKit's `percentiles`.
enum Figures {
  static func median(_ values: [Double]) -> Double { percentiles(values)?.p50 ?? .nan }

  static func format(_ value: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
  }

  /// "PASS" or "MISS" against a target, for the summary lines.
  static func verdict(_ met: Bool) -> String { met ? "PASS" : "MISS" }
}

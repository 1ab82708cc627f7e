import Foundation
import OCRKit

/// libFuzzer entry point: the input is a journal file as a crash, a full disk or a hostile hand
/// may leave it (issue 21: one bad number in a journal trapped `journal show`, `ocr` and
/// `journal list`).
///
/// The bytes are replayed whole and torn at a point derived from the input (a crash cuts the
/// last line anywhere); each replay is shown as `journal show` shows it, and its restored
/// pages' figures as `--stats` and jsonl do. Any trap, or figures that do not round-trip,
/// abort the run (libFuzzer saves the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
  let tear = size == 0 ? 0 : Int(hash % UInt64(size + 1))
  for replay in [bytes, Array(bytes.prefix(tear))] {
    let snapshot = JournalSnapshot(replaying: replay)
    _ = snapshot.markdown(filePath: "fuzz.pdf")
    for (number, page) in snapshot.pages {
      guard let stats = page.stats else { continue }
      _ = StatsText.page(number, stats) + (StatsText.speed(stats) ?? "")
      guard let json = try? JSONEncoder().encode(StatsRecord(stats)),
        (try? JSONDecoder().decode(StatsRecord.self, from: json)) != nil
      else {
        fatalError("a restored page's StatsRecord does not round-trip: \(stats)")
      }
    }
    if let count = snapshot.pageCount, count < 0 {
      fatalError("a journal gave a negative page count: \(count)")
    }
  }
  return 0
}

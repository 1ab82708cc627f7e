/// How many pages a run keeps in flight: a fixed number (a server's `/props` slots,
/// `--concurrency N`, the built-in engine's workers), or adapted to what the server sustains
/// (servers that do not say, such as vLLM and hosted APIs).
public enum Concurrency: Sendable, Equatable, CustomStringConvertible {
  case fixed(Int)
  /// Starts at `start` pages in flight and adapts between 1 and `max` (`AdaptiveLimit`).
  case adaptive(start: Int, max: Int)

  /// The limit a run starts with.
  public var initial: Int {
    switch self {
    case .fixed(let count): Swift.max(1, count)
    case .adaptive(let start, let max): Swift.min(Swift.max(1, start), Swift.max(1, max))
    }
  }

  /// The most pages that may ever be in flight.
  public var maximum: Int {
    switch self {
    case .fixed(let count): Swift.max(1, count)
    case .adaptive(_, let max): Swift.max(1, max)
    }
  }

  public var isAdaptive: Bool { if case .adaptive = self { true } else { false } }

  /// "4 at once", "adaptive, 8 at first (up to 64)".
  public var description: String {
    switch self {
    case .fixed: "\(initial) at once"
    case .adaptive: "adaptive, \(initial) at first (up to \(maximum))"
    }
  }
}

/// The in-flight limit for a server that does not say how many requests it serves at once:
/// additive increase, multiplicative decrease (AIMD), as TCP finds a path's capacity.
/// Pure: time comes in as durations since the run began, so a simulated server and a fake
/// clock test it (`AdaptiveLimitTests`).
///
/// The rule:
/// - The limit starts at `start` and stays within 1…`maximum`.
/// - A **429 or 503** (from a server that was answering) for a page sent since the last
///   change multiplies it by `refusalDecrease` (0.9, but at least one less) at once: a refusal
///   says where capacity ends, unlike a slower answer, so the limit stays just below it.
///   Pages refused together — every page beyond capacity is — count once: they were sent
///   before the change.
/// - Otherwise it is judged once per **window**: the first `max(8, 2 × limit)` pages sent since
///   the last change, once all of them finished (pages sent before the change say nothing
///   about the new limit; waiting for the whole cohort, not the first pages to finish, keeps a
///   server that serves its queue out of order from hiding its slow pages). The window's
///   latency is the mean E2E latency of its pages (a batch request's first token is its last;
///   queueing delays TTFT and E2E alike); its throughput, by Little's law, is
///   `limit / latency` — smooth where counting completions over a window is not.
/// - After the limit grew from `p` to `l` (expected gain `l/p − 1`): if the throughput did not
///   rise by half of that while the latency did, the server queues (or batches) without gain,
///   and the limit shrinks by `decrease`. After a shrink from `p` to `l`: if the throughput
///   held (fell by less than half the expected `1 − l/p`) while the latency fell, the server
///   was still queueing, and it shrinks again. Otherwise it grows, additively: `max(1,
///   limit / 8)` pages per window, so 8 → 64 takes about 17 windows. `p` is the last window
///   whose growth paid off (or the last before a shrink): a growth that neither raised the
///   throughput nor the latency beyond the noise is judged again, with the next one, against
///   the same `p` — one step of 1/8 can hide in a loaded machine's noise, several cannot — up
///   to twice `p`, where a throughput gain under half the expected shrinks it, noise or not.
/// - Noise: a latency change counts only beyond 5 % and beyond twice its standard error,
///   estimated from the difference between the means of the window's earlier-sent and
///   later-sent halves (a queue's spread is signal, not noise; the quieter of the two windows
///   is taken). Pages that simply differ (a dense page, a blank one) then do not move the
///   limit down; it grows instead, and the next window judges again.
///
/// Simulated, with ±30 % per-page noise, against a server serving C requests at once: one that
/// queues the rest keeps the limit's mean within 15 % of C (sawing between about 0.6 C and
/// 1.2 C); one that refuses them with 429, at 0.85–1.0 C. Pages that differ by ±60 % blur the
/// signal and hold it lower (0.5–0.9 C), never at 1.
public struct AdaptiveLimit: Sendable {
  public let maximum: Int
  public private(set) var limit: Int
  /// The factor a decrease multiplies the limit by.
  public var decrease = 0.75
  /// The factor a 429 (or 503) multiplies it by.
  public var refusalDecrease = 0.9
  /// Completions a window needs at least.
  public var minimumWindow = 8

  private struct Judged: Sendable {
    var limit: Int
    var throughput: Double
    var latency: Double
    /// The latency's relative standard error.
    var error: Double
  }

  /// When the current window began: pages sent before are not counted.
  private var windowStart: Duration
  /// Pages of the window's cohort sent so far, and when the last of them was.
  private var cohortSent = 0
  private var cohortEnd: Duration?
  /// The cohort's finished pages: when each was sent, and its latency in seconds.
  private var finished: [(sentAt: Duration, latency: Double)] = []
  /// The window to compare the next with: the last one at another limit.
  private var previous: Judged?

  public init(start: Int, maximum: Int, now: Duration = .zero) {
    self.maximum = max(1, maximum)
    limit = min(max(1, start), self.maximum)
    windowStart = now
  }

  private var windowSize: Int { max(minimumWindow, 2 * limit) }

  /// A page was sent at `now` (each attempt).
  public mutating func sent(at now: Duration) {
    guard cohortSent < windowSize else { return }
    cohortSent += 1
    if cohortSent == windowSize { cohortEnd = now }
  }

  /// A page sent at `sentAt` failed for another reason than load: the window does not wait
  /// for it.
  public mutating func dropped(sentAt: Duration) {
    guard inCohort(sentAt) else { return }
    cohortSent -= 1
    cohortEnd = nil
  }

  private func inCohort(_ sentAt: Duration) -> Bool {
    sentAt >= windowStart && cohortEnd.map { sentAt <= $0 } ?? true
  }

  /// A page sent at `sentAt` finished at `now`. Returns the new limit when it changed.
  public mutating func completed(sentAt: Duration, at now: Duration) -> Int? {
    guard inCohort(sentAt) else { return nil }
    finished.append((sentAt, (now - sentAt).seconds))
    guard finished.count >= windowSize else { return nil }
    let latencies = finished.sorted { $0.sentAt < $1.sentAt }.map(\.latency)
    let count = Double(latencies.count)
    let mean = latencies.reduce(0, +) / count
    guard mean > 0 else { return change(to: grown, at: now) }
    let half = latencies.count / 2
    let early = latencies[..<half].reduce(0, +) / Double(half)
    let late = latencies[half...].reduce(0, +) / Double(latencies.count - half)
    // |difference of the halves' means| ≈ 1.6 standard errors of the whole mean.
    let judged = Judged(
      limit: limit, throughput: Double(limit) / mean, latency: mean,
      error: abs(early - late) / mean / 1.6)
    var next = grown
    // Growth neither paid off nor showed queueing beyond the noise: the next window is judged
    // against the same earlier one, so the expected change adds up until one of them shows.
    var inconclusive = false
    if let previous {
      let noise = max(0.05, 2 * 2.0.squareRoot() * min(judged.error, previous.error))
      let gain = judged.throughput / previous.throughput - 1
      let slower = judged.latency / previous.latency - 1
      if previous.limit < limit {
        let expected = Double(limit - previous.limit) / Double(previous.limit)
        if gain < expected / 2, slower >= max(expected / 2, noise) {
          next = shrunk
        } else if gain < expected / 2 {
          // Twice the pages for less than half again the throughput: no gain, noise or not.
          if limit >= 2 * previous.limit { next = shrunk } else { inconclusive = next != limit }
        }
      } else if previous.limit > limit {
        let expectedDrop = 1 - Double(limit) / Double(previous.limit)
        if -gain < expectedDrop / 2, -slower >= max(expectedDrop / 2, noise) { next = shrunk }
      }
    }
    if !inconclusive, next != limit || previous == nil || previous?.limit == limit {
      previous = judged
    }
    return change(to: next, at: now)
  }

  /// The server refused a page sent at `sentAt` for load (429, or 503 once it had answered).
  /// Returns the new limit when it changed.
  public mutating func overloaded(sentAt: Duration, at now: Duration) -> Int? {
    guard sentAt >= windowStart else { return nil }
    previous = nil
    return change(to: shrunkForRefusal, at: now)
  }

  private var grown: Int { min(maximum, limit + max(1, limit / 8)) }
  /// A queueing server's shrink: rounded down, so the queue drains.
  private var shrunk: Int { max(1, Int((Double(limit) * decrease).rounded(.down))) }
  /// A refusing server's: at least one page less (7 → 6, 21 → 18).
  private var shrunkForRefusal: Int {
    max(1, min(limit - 1, Int((Double(limit) * refusalDecrease).rounded(.down))))
  }

  /// Starts a new window (also when the limit stays: at 1 or at `maximum`).
  private mutating func change(to next: Int, at now: Duration) -> Int? {
    windowStart = now
    cohortSent = 0
    cohortEnd = nil
    finished = []
    guard next != limit else { return nil }
    limit = next
    return next
  }

  private static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}

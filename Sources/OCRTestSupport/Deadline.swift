/// `body`'s result, or nil if it has not finished after `limit` (`body` is then cancelled, and
/// left to end on its own).
///
/// For tests whose failure would be a hang (work starved of CPU, a stream that never ends):
/// set the limit far beyond what passing takes, so that it ends a failing test and never
/// judges a slow machine. Not a task group: a group would wait for a `body` that ignores
/// cancellation, which is the hang being guarded against.
public func finishing<T: Sendable>(
  within limit: Duration, _ body: @escaping @Sendable () async -> T
) async -> T? {
  let (results, result) = AsyncStream.makeStream(of: T?.self)
  let work = Task { result.yield(await body()) }
  let timer = Task {
    try? await Task.sleep(for: limit)
    result.yield(nil)
  }
  defer {
    work.cancel()
    timer.cancel()
  }
  for await first in results { return first }
  return nil
}

/// Polls `condition` every `every` until it holds (true) or `timeout` passes (false): the one
/// wait of the tests for something another thread or process does (a server seeing a request,
/// a file growing, a screen changing).
///
/// The limit only ends a failure: it is far beyond what passing takes on a loaded machine (the
/// suite's first minute runs ~100 tests at once on two cores), so it never judges speed.
public func pollUntil(
  timeout: Duration = .seconds(120), every: Duration = .milliseconds(10),
  until condition: () async -> Bool
) async -> Bool {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if await condition() { return true }
    try? await Task.sleep(for: every)
  }
  return await condition()
}

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `wait4`, for its exit status,
/// wall time and peak resident memory (which `Foundation.Process` does not report).
final class Child {
  struct Exit {
    var status: Int32
    var elapsed: Duration
    /// Peak resident set size, `ru_maxrss`.
    var maxRSSMegabytes: Double
  }

  let pid: pid_t
  let started: ContinuousClock.Instant

  /// Starts `arguments` with stdout going to `stdoutPath` and stderr to `stderrPath`.
  init(
    _ arguments: [String], environment: [String: String] = [:], stdoutPath: String = "/dev/null",
    stderrPath: String = "/dev/null"
  ) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    started = .now
    let status = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
    guard status == 0 else {
      throw BenchmarkError("could not start \(arguments[0]): \(String(cString: strerror(status)))")
    }
    self.pid = pid
  }

  func signal(_ number: Int32) { kill(pid, number) }

  /// Blocks until the child exits.
  func wait() -> Exit {
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let elapsed = ContinuousClock.now - started
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Exit(
      status: exitStatus, elapsed: elapsed, maxRSSMegabytes: Double(usage.ru_maxrss) / 1024)
  }
}

struct BenchmarkError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with `posix_spawn`, for its exit status, wall time and peak
/// resident memory.
final class Child {
  struct Exit {
    var status: Int32
    var elapsed: Duration
    /// The child's `VmHWM` as last read while it ran (`wait(samplingPeakRSS: true)`). Not
    /// `ru_maxrss`: after `posix_spawn` that starts from the parent's resident size.
    var peakRSSMegabytes: Double?
    /// User and system CPU time the child used, in seconds (`wait4`'s rusage).
    var cpuSeconds: Double
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
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    started = .now
    let status = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
    guard status == 0 else {
      throw BenchmarkError("could not start \(arguments[0]): \(String(cString: strerror(status)))")
    }
    self.pid = pid
  }

  func signal(_ number: Int32) { kill(pid, number) }

  /// Blocks until the child exits; with `samplingPeakRSS`, reads its high-water mark every
  /// 10 ms meanwhile (the mark only grows, so the last reading is the peak but for the last
  /// few milliseconds).
  func wait(samplingPeakRSS: Bool = false) -> Exit {
    let peak = PeakSampler()
    if samplingPeakRSS {
      let pid = pid
      Thread.detachNewThread { peak.run(pid: pid) }
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    peak.stop()
    let elapsed = ContinuousClock.now - started
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return Exit(
      status: exitStatus, elapsed: elapsed, peakRSSMegabytes: peak.megabytes,
      cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime))
  }
}

/// Reads `VmHWM` from `/proc/PID/status` until stopped.
private final class PeakSampler: @unchecked Sendable {
  private let lock = NSLock()
  private var kilobytes: Int?
  private var stopped = false

  var megabytes: Double? { lock.withLock { kilobytes.map { Double($0) / 1024 } } }

  func stop() { lock.withLock { stopped = true } }

  func run(pid: pid_t) {
    while !lock.withLock({ stopped }) {
      if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let value = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
      {
        lock.withLock { kilobytes = max(kilobytes ?? 0, value) }
      }
      usleep(10_000)
    }
  }
}

struct BenchmarkError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

import Foundation
import OCRKit
import OCRTestSupport

/// Runs a command in a detached tmux session of a given size, for end-to-end tests of the TUI:
/// send keys, read the screen, resize, and see how the command exited.
///
/// Each instance has its own tmux server (a unique `-L` socket) and scratch directory, so tests
/// run in parallel without seeing each other; `deinit` kills the server and removes the directory.
/// The command runs under `sh -c` with `LANG=C.UTF-8`, the given `TERM`, `XDG_STATE_HOME` in the
/// scratch directory, and none of the host's `LC_ALL`, `LC_CTYPE`, `NO_COLOR`, `OCRVIEW_*`, `TMUX`.
/// When it exits, its last screen stays as it left it and its exit status can be read.
///
///     let tmux = try Tmux(ocrview: ["term-selftest"], term: "vt100")
///     #expect(await tmux.waitFor("key: none"))
///     try await tmux.sendKeys("Up", "PageDown", "C-c")
///     try await tmux.type("q")
///     #expect(await tmux.waitForExit() == 0)
final class Tmux: Sendable {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let socket: String
  let session = "ocrview"
  /// Scratch directory: tmux's config, `XDG_STATE_HOME` (`state/`), and files the command writes.
  let directory: String
  private let configPath: String

  /// Starts `command` (a shell command line) in a `width`×`height` session.
  init(
    _ command: String, width: Int = 80, height: Int = 24, term: String = "xterm-256color",
    environment: [String: String] = [:]
  ) throws {
    socket = "ocrview-test-" + UUID().uuidString.prefix(13).lowercased()
    directory = CLI.scratchDirectory()
    configPath = directory + "/tmux.conf"
    let config = """
      set -g remain-on-exit on
      set -g status off
      set -g escape-time 0
      set -g history-limit 2000
      set -g set-clipboard on

      """
    try config.write(toFile: configPath, atomically: false, encoding: .utf8)

    var variables = [
      "LANG": "C.UTF-8", "TERM": term, "XDG_STATE_HOME": directory + "/state",
      "XDG_CONFIG_HOME": directory + "/config",
    ]
    variables.merge(environment) { $1 }
    let unset = [
      "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "NO_COLOR", "TMUX", "TMUX_PANE", "OCRVIEW_SERVER",
      "OCRVIEW_API_KEY", "LINES", "COLUMNS",
    ].filter { variables[$0] == nil }
    // The exit status goes to a file, and the pane then idles instead of dying: tmux 3.3a's
    // `pane_dead_status` was seen to stay empty now and then, and its "Pane is dead" line
    // scrolls the screen up by one row. So the last screen stays exactly as the command left it.
    let status = Self.quote(directory + "/exit-status")
    let line =
      ["env"] + unset.flatMap { ["-u", $0] }
      + variables.sorted { $0.key < $1.key }.map { Self.quote("\($0.key)=\($0.value)") }
      + ["sh", "-c", Self.quote(command) + ";", "echo", "$?", ">", status + ".tmp", "&&", "mv"]
      + [status + ".tmp", status + ";", "exec", "sleep", "86400"]
    try tmux(
      "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", session, "-c", directory,
      line.joined(separator: " "))
  }

  /// Starts the built `ocrview` binary with `arguments`.
  convenience init(
    ocrview arguments: [String], width: Int = 80, height: Int = 24,
    term: String = "xterm-256color", environment: [String: String] = [:]
  ) throws {
    let command = ([CLI.binary] + arguments).map(Self.quote).joined(separator: " ")
    var environment = environment
    if CLI.namesItsServer(arguments), environment["OCRVIEW_ENGINE"] == nil {
      environment["OCRVIEW_ENGINE"] = "server"
    }
    try self.init(command, width: width, height: height, term: term, environment: environment)
  }

  deinit {
    // On a thread of its own: a tmux client is a process to wait for, and a deinit runs on
    // whatever thread let go last — often one of the concurrency pool's two.
    let (socket, configPath, directory) = (socket, configPath, directory)
    Thread {
      _ = try? Self.client(["kill-server"], socket: socket, configPath: configPath, in: directory)
      try? FileManager.default.removeItem(atPath: directory)
    }.start()
  }

  /// Quotes `text` for `sh`.
  static func quote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  // MARK: - Input

  /// Presses keys by tmux's names: "Up", "Down", "Left", "Right", "PageUp" ("PPage"),
  /// "PageDown" ("NPage"), "Home", "End", "Tab", "BTab" (Shift-Tab), "Enter", "Escape", "BSpace",
  /// "DC" (Delete), "C-c", "F1", … A name tmux does not know is typed as text.
  func sendKeys(_ keys: String...) async throws {
    try await offPool(["send-keys", "-t", session] + keys)
  }

  /// Types `text` literally (no key-name lookup), e.g. "q" or "한국어".
  func type(_ text: String) async throws {
    try await offPool(["send-keys", "-t", session, "-l", text])
  }

  /// Resizes the window (and the pane, which is all of it); the command gets SIGWINCH.
  func resize(width: Int, height: Int) async throws {
    try await offPool(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
  }

  /// A tmux client command, waited for on a thread of its own: the concurrency pool has two
  /// threads, and tests waiting for tmux clients on both starved every other test's tasks.
  private func offPool(_ arguments: [String]) async throws {
    let result = await BlockingQueue.onThread { [self] in
      Result { try tmux(arguments) }.map { _ in () }.mapError { $0 as! Failure }
    }
    try result.get()
  }

  // MARK: - Output

  /// Copies everything the command writes to the terminal, in order, to `name` in the scratch
  /// directory (`pipe-pane`): what was drawn, and in which order, however briefly it showed.
  func recordOutput(to name: String) throws {
    try tmux("pipe-pane", "-o", "-t", session, "cat >> " + Self.quote(directory + "/" + name))
  }

  /// The visible screen, one string per row (trailing blanks trimmed by tmux); with `escapes`,
  /// with SGR sequences for colours and attributes (`capture-pane -e`); with `history`, preceded
  /// by the lines scrolled off the top (`-S -`). Empty if tmux has gone.
  func capture(escapes: Bool = false, history: Bool = false) -> [String] {
    let flags = (escapes ? ["-e"] : []) + (history ? ["-S", "-"] : [])
    let output = (try? tmux(["capture-pane", "-p", "-t", session] + flags)) ?? ""
    var lines = output.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// The screen as one string, rows separated by newlines: for failure messages.
  var screen: String { capture().joined(separator: "\n") }

  /// Polls the screen until it contains `text` (true) or `timeout` passes (false).
  /// The limit only ends a failure: it is far beyond what passing takes on a loaded machine (the
  /// suite's first minute runs ~100 tests at once on two cores), so it never judges speed.
  func waitFor(_ text: String, timeout: Duration = .seconds(120)) async -> Bool {
    await waitUntil(timeout: timeout) { lines in lines.contains { $0.contains(text) } }
  }

  /// Polls the screen until `condition` holds for its rows (true) or `timeout` passes (false).
  func waitUntil(timeout: Duration = .seconds(120), _ condition: ([String]) -> Bool) async -> Bool {
    // Each capture waits for a tmux client process: off the concurrency pool, so tests polling
    // the screen do not starve the tasks of the tests beside them.
    await pollUntil(timeout: timeout, every: .milliseconds(25)) {
      condition(await BlockingQueue.onThread { self.capture() })
    }
  }

  /// A tmux format evaluated for the pane, e.g. "#{cursor_flag}", "#{alternate_on}",
  /// "#{pane_width}x#{pane_height}", "#{keypad_cursor_flag}".
  func display(_ format: String) -> String {
    let output = (try? tmux("display-message", "-p", "-t", session, format)) ?? ""
    return output.trimmingCharacters(in: .newlines)
  }

  /// Whether the command is still running.
  var isRunning: Bool { exitStatus == nil && display("#{pane_dead}") == "0" }

  /// The command's exit status once it has exited (128 + N when killed by signal N; nil while it
  /// runs, or if it never finished).
  var exitStatus: Int32? {
    if let text = try? String(contentsOfFile: directory + "/exit-status", encoding: .utf8) {
      return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    let fields = display("#{pane_dead} #{pane_dead_status}").split(separator: " ")
    guard fields.first == "1", fields.count == 2 else { return nil }
    return Int32(fields[1])
  }

  /// Waits for the command to exit and returns its status (nil on timeout).
  func waitForExit(timeout: Duration = .seconds(120)) async -> Int32? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let status = exitStatus { return status }
      try? await Task.sleep(for: .milliseconds(25))
    }
    return exitStatus
  }

  /// Presses `q` and waits for the exit, answering `q` again if the viewer asks first (it asks
  /// while pages are running: on a loaded machine a document's last page can still be running
  /// when a test has seen what it came for). Returns the exit status (nil on timeout).
  func quit(timeout: Duration = .seconds(120)) async throws -> Int32? {
    try await sendKeys("q")
    var asked = false
    _ = await waitUntil(timeout: timeout) { lines in
      asked = lines.contains { $0.contains("Quit?") }
      return asked || exitStatus != nil
    }
    if asked { try await sendKeys("q") }
    return await waitForExit(timeout: timeout)
  }

  /// tmux's newest paste buffer: where an OSC 52 clipboard write lands with `set-clipboard on`.
  func pasteBuffer() async -> String {
    await BlockingQueue.onThread { [self] in (try? tmux("show-buffer")) ?? "" }
  }

  /// A file in the scratch directory, as text ("" if missing).
  func file(_ name: String) -> String {
    (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
  }

  /// Kills the session's server (and so the command); idempotent.
  func kill() {
    _ = try? tmux("kill-server")
  }

  // MARK: - Running tmux

  @discardableResult
  private func tmux(_ arguments: String...) throws -> String {
    try tmux(arguments)
  }

  /// Runs a tmux client command against this instance's server; throws on a non-zero exit.
  ///
  /// posix_spawn and waitpid rather than Foundation's `Process`, whose `waitUntilExit` was seen to
  /// hang with the client reaped late (a zombie) when tests ran in parallel. The client's output
  /// goes to files, not pipes. Blocks for the few milliseconds a tmux client takes.
  @discardableResult
  private func tmux(_ arguments: [String]) throws -> String {
    try Self.client(arguments, socket: socket, configPath: configPath, in: directory)
  }

  private static func client(
    _ arguments: [String], socket: String, configPath: String, in directory: String
  ) throws -> String {
    let stem = directory + "/tmux-" + UUID().uuidString
    let outputPath = stem + ".out"
    let errorPath = stem + ".err"
    defer {
      unlink(outputPath)
      unlink(errorPath)
    }
    var environment = ProcessInfo.processInfo.environment
    environment["TMUX"] = nil
    environment["LANG"] = "C.UTF-8"
    environment["LC_ALL"] = nil
    environment["LC_CTYPE"] = nil
    let status = try spawn(
      ["tmux", "-L", socket, "-f", configPath, "-u"] + arguments,
      environment: environment.map { "\($0.key)=\($0.value)" }, output: outputPath,
      errors: errorPath)
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    guard status == 0 else {
      let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
      throw Failure(
        description: "tmux \(arguments.joined(separator: " ")) exited \(status): \(errors)")
    }
    return output
  }

  /// Runs `arguments` (looked up in PATH) with stdin from /dev/null and stdout and stderr to
  /// files, and returns its exit status.
  private static func spawn(
    _ arguments: [String], environment: [String], output: String, errors: String
  ) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    // The tmux server forks from this client and keeps its signal mask and ignored signals; a
    // test process's (e.g. SIGCHLD blocked on this thread) would keep tmux from reaping the
    // command and reporting its exit status. Start from a clean slate.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGCHLD, SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP] {
      sigaddset(&defaults, signal)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid = pid_t()
    let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard result == 0 else {
      throw Failure(
        description: "cannot run \(arguments[0]): \(String(cString: strerror(result)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      guard errno == EINTR else { return 0 }  // reaped elsewhere: judge by the output
    }
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }
}

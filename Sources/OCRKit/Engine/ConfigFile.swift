import Foundation

/// `$XDG_CONFIG_HOME/ocrview/config` (default `~/.config/ocrview/config`): `name = value`
/// lines, `#` comments. It holds the API key, so it is read only when no one else can read it
/// (mode 0600 or stricter, owned by the user): a key in a world-readable file is refused, loudly,
/// rather than used.
public struct ConfigFile: Sendable, Equatable {
  public var values: [String: String]

  /// The file the environment names.
  public static func path(environment: [String: String]) -> String {
    let config =
      environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
      ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
    return config + "/ocrview/config"
  }

  /// Parses `name = value` lines; blank lines and `#` comments are skipped, quotes around a
  /// value are dropped.
  public init(parsing text: String) {
    values = [:]
    for raw in text.split(whereSeparator: \.isNewline) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      guard !line.isEmpty, !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else {
        continue
      }
      let name = line[..<equals].trimmingCharacters(in: .whitespaces)
      var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      if let first = value.first, first == "\"" || first == "'",
        let end = value.dropFirst().firstIndex(of: first)
      {
        value = String(value[value.index(after: value.startIndex)..<end])  // "k" # note → k
      } else if let comment = value.firstIndex(of: "#"),
        comment == value.startIndex || value[value.index(before: comment)].isWhitespace
      {
        value = value[..<comment].trimmingCharacters(in: .whitespaces)  // v # note, v\t# note
      }
      values[name] = value
    }
  }

  /// The file at `path`, nil if there is none; throws if others could read it.
  /// A symlink is not followed (the key's file must be the user's own, where it is) and a
  /// FIFO does not block (`O_NONBLOCK`); either, or a directory, is refused with its own line.
  public static func load(path: String) throws(ConfigError) -> ConfigFile? {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      if errno == ELOOP { throw .notAFile(path: path, kind: "a symlink") }
      // No file, or a home folder this user cannot look into (another user's HOME): no config.
      let folder = (path as NSString).deletingLastPathComponent
      if errno == ENOENT || errno == ENOTDIR || access(folder, X_OK) != 0 { return nil }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw .notAFile(path: path, kind: "a directory")
    default: throw .notAFile(path: path, kind: "not a regular file")
    }
    let mode = Int(status.st_mode & 0o777)
    guard status.st_uid == geteuid() else { throw .notYours(path: path) }
    guard mode & 0o077 == 0 else { throw .tooOpen(path: path, mode: mode) }
    let data = FileHandle(fileDescriptor: fd, closeOnDealloc: false).readDataToEndOfFile()
    return ConfigFile(parsing: String(decoding: data, as: UTF8.self))
  }

  /// The API key: `OCRVIEW_API_KEY`, else the config file's `api_key`. Never from argv.
  /// A key with a line break or another control character is refused: it goes into an HTTP
  /// header, where a CR/LF would start a header of its own (header injection).
  public static func apiKey(environment: [String: String]) throws(ConfigError) -> String? {
    if let key = environment["OCRVIEW_API_KEY"], !key.isEmpty {
      return try checked(key, from: "OCRVIEW_API_KEY")
    }
    let path = path(environment: environment)
    return try load(path: path)?.values["api_key"].map { key throws(ConfigError) in
      try checked(key, from: path)
    }
  }

  private static func checked(_ key: String, from source: String) throws(ConfigError) -> String {
    guard !key.unicodeScalars.contains(where: ServerText.isControl) else {
      throw .keyHasControlCharacters(source: source)
    }
    return key
  }
}

/// Why the config file cannot be used; the message never shows its contents.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
  case tooOpen(path: String, mode: Int)
  case notYours(path: String)
  case unreadable(path: String, reason: String)
  /// `kind`: "a directory", "a symlink", …
  case notAFile(path: String, kind: String)
  /// `source`: `OCRVIEW_API_KEY` or the config file's path.
  case keyHasControlCharacters(source: String)

  public var description: String {
    switch self {
    case .tooOpen(let path, let mode):
      "\(path) holds the API key but others can read it (mode \(String(mode, radix: 8))) — "
        + "run chmod 600 \(path)"
    case .notYours(let path):
      "\(path) holds the API key but belongs to another user — use your own config file"
    case .unreadable(let path, let reason): "cannot read \(path) (\(reason))"
    case .notAFile(let path, let kind):
      "the config file \(path) is \(kind) — make it a plain file (chmod 600), or remove it"
    case .keyHasControlCharacters(let source):
      "the API key in \(source) contains a line break or another control character, which "
        + "cannot go into an HTTP header — set the key alone, without a trailing newline"
    }
  }
}

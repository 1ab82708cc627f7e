import Foundation
import Testing

@testable import ocrview

/// The package under test, named by `scripts/test-package`.
private let packagedDeb = ProcessInfo.processInfo.environment["OCRVIEW_TEST_DEB"]

/// The package unpacked once, as dpkg would install it, in a scratch folder.
private let unpackedPackage = Task {
  let root = CLI.scratchDirectory() + "/root"
  let unpacked = try await Command.run(["dpkg-deb", "--extract", try #require(packagedDeb), root])
  try #require(unpacked.status == 0, "dpkg-deb --extract: \(unpacked.stderr)")
  return root
}

/// The .deb as apt and a user meet it: its control fields, its files, and its binary run where
/// no Swift toolchain is. `scripts/test-package` builds the package (one release build) and
/// names it in `OCRVIEW_TEST_DEB`; a plain `swift test` builds no release, so it skips these.
@Suite(
  .enabled(
    if: packagedDeb != nil, "runs on a built .deb: scripts/test-package"))
struct PackageTests {
  var binary: String { root + "/usr/bin/ocrview" }
  let root: String

  init() async throws {
    root = try await unpackedPackage.value
  }

  @Test func controlNamesTheVersionAndThePackagesTheBinaryLinks() async throws {
    let info = try await Command.run(["dpkg-deb", "--info", try #require(packagedDeb)])
    let fields = Dictionary(
      info.lines.compactMap { line -> (String, String)? in
        let parts = line.trimmingCharacters(in: .whitespaces).split(
          separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
      }, uniquingKeysWith: { first, _ in first })
    #expect(fields["Package"] == "ocrview")
    #expect(fields["Version"] == Version.number)
    let architecture = try await Command.run(["dpkg", "--print-architecture"])
    #expect(fields["Architecture"] == architecture.stdout.trimmingCharacters(in: .newlines))

    // Package names only: dpkg-shlibdeps adds the minimum versions.
    let depends = Set(
      (fields["Depends"] ?? "").components(separatedBy: ", ").map {
        String($0.prefix { $0 != " " })
      })
    for package in [
      "libc6", "libcurl4", "libpoppler-glib8", "libcairo2", "libglib2.0-0", "libtesseract5",
      "liblept5", "libchafa0", "libcmark-gfm0.29.0.gfm.6", "libcmark-gfm-extensions0.29.0.gfm.6",
      "libxml2", "libncursesw6", "libpng16-16", "tesseract-ocr-eng",
    ] {
      #expect(depends.contains(package), "Depends: \(fields["Depends"] ?? "none")")
    }
    #expect(!depends.contains { $0.contains("swift") }, "the Swift runtime is linked in")
  }

  @Test func shipsTheBinaryTheManPageAndThreeCompletionsOwnedByRoot() async throws {
    let contents = try await Command.run(["dpkg-deb", "--contents", try #require(packagedDeb)])
    let entries = contents.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
    let files = Set(entries.filter { !$0[0].hasPrefix("d") }.map { String($0.last ?? "") })
    #expect(
      files == [
        "./usr/bin/ocrview", "./usr/share/man/man1/ocrview.1.gz",
        "./usr/share/bash-completion/completions/ocrview",
        "./usr/share/zsh/vendor-completions/_ocrview",
        "./usr/share/fish/vendor_completions.d/ocrview.fish",
      ])
    #expect(entries.allSatisfy { $0[1] == "root/root" }, "\(contents.stdout)")
    #expect(entries.contains { $0.last == "./usr/bin/ocrview" && $0[0] == "-rwxr-xr-x" })
  }

  @Test func runsWithTheSwiftToolchainHidden() async throws {
    let linked = try await Command.run(["ldd", binary])
    #expect(linked.status == 0)
    for absent in ["/opt/swift", "libswift", "libFoundation", "not found"] {
      #expect(!linked.stdout.contains(absent), "ldd: \(linked.stdout)")
    }

    let version = try await runHidden(["--version"])
    #expect(version.status == 0, "stderr: \(version.stderr)")
    #expect(
      version.lines.first == "ocrview \(Version.number) (git \(try await Command.headCommit()))")
    #expect(version.lines.last?.hasPrefix("libraries  libcurl ") == true)

    let doctor = try await runHidden(["doctor", "--server", "http://127.0.0.1:9"])
    #expect(doctor.status == 0, "stderr: \(doctor.stderr)")
    #expect(doctor.lines.contains { $0.hasPrefix("tesseract  ") && $0.contains("eng") })
    #expect(doctor.lines.contains(version.lines.last ?? "?"))

    // A page read for real: poppler, tesseract and its English data, all from Debian.
    let page = try await runHidden([
      "ocr", "--engine", "tesseract", "--pages", "1", CLI.asset("sample.pdf"),
    ])
    #expect(page.status == 0, "stderr: \(page.stderr)")
    #expect(page.stdout.contains("ocrview sample document"))
  }

  @Test func manPageAndCompletionsComeFromTheParser() async throws {
    let help = try await runHidden(["--experimental-dump-help"])
    let tool = try JSONDecoder().decode(ToolInfo.self, from: Data(help.stdout.utf8))
    let page = try await Command.run(["gzip", "-dc", root + "/usr/share/man/man1/ocrview.1.gz"])
    let items = page.lines.filter { $0.hasPrefix(".It ") }
    #expect(page.lines.contains(".Dt OCRVIEW 1"))
    var commands = [tool.command]
    while let command = commands.popLast() {
      commands += command.subcommands ?? []
      guard command.shouldDisplay else { continue }
      if command.commandName != "ocrview" {
        #expect(items.contains(".It Em \(command.commandName)"))
      }
      for argument in command.arguments ?? [] where argument.shouldDisplay {
        for name in argument.names ?? [] where name.kind == "long" {
          #expect(
            items.contains { $0.contains("-\(name.name)") },
            "\(command.commandName) --\(name.name) is not in the man page")
        }
      }
    }

    let installed = [
      "bash": "/usr/share/bash-completion/completions/ocrview",
      "zsh": "/usr/share/zsh/vendor-completions/_ocrview",
      "fish": "/usr/share/fish/vendor_completions.d/ocrview.fish",
    ]
    for (shell, path) in installed {
      let generated = try await runHidden(["--generate-completion-script", shell])
      let file = try String(contentsOfFile: root + path, encoding: .utf8)
      #expect(!file.isEmpty && file == generated.stdout, "\(path) differs from the parser's")
    }
  }

  /// What bash offers at `ocrview --<TAB>` and `ocrview ocr --engine <TAB>` with the packaged
  /// completion script loaded, asked the way bash's `complete -F` asks.
  @Test func bashCompletesFlagsSubcommandsAndValues() async throws {
    let script = root + "/usr/share/bash-completion/completions/ocrview"
    func complete(_ line: String) async throws -> [String] {
      let ask = """
        source "$1"; read -ra COMP_WORDS <<<"$2"; [[ "$2" == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
        _ocrview ocrview "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """
      return try await Command.run([
        "bash", "--norc", "--noprofile", "-c", ask, "bash", script, line,
      ])
      .lines
    }
    #expect(Set(try await complete("ocrview --")) == ["--version", "--help"])
    #expect(try await complete("ocrview do").contains("doctor"))
    #expect(Set(try await complete("ocrview ocr --engine ")) == ["auto", "server", "tesseract"])
  }

  /// Runs the packaged binary as on a machine without Swift: no environment but a PATH and a
  /// UTF-8 locale, and — as root, where `unshare` may make a private mount namespace — an empty
  /// tmpfs over /opt/swift, so not even a stray RUNPATH could reach the toolchain.
  private func runHidden(_ arguments: [String]) async throws -> Command.Output {
    let scratch = CLI.scratchDirectory()
    let environment = [
      "env", "-i", "PATH=/usr/bin:/bin", "LD_LIBRARY_PATH=", "LANG=C.UTF-8", "HOME=\(scratch)",
      "XDG_STATE_HOME=\(scratch)/state", "OMP_THREAD_LIMIT=1", binary,
    ]
    guard getuid() == 0 else { return try await Command.run(environment + arguments) }
    let hide = [
      "unshare", "--mount", "sh", "-c", "mount -t tmpfs none /opt/swift && exec \"$@\"", "sh",
    ]
    return try await Command.run(hide + environment + arguments)
  }
}

/// The parts of swift-argument-parser's `--experimental-dump-help` (ToolInfoV0) these tests read.
private struct ToolInfo: Decodable {
  struct CommandInfo: Decodable {
    var commandName: String
    var shouldDisplay: Bool
    var subcommands: [CommandInfo]?
    var arguments: [ArgumentInfo]?
  }
  struct ArgumentInfo: Decodable {
    var shouldDisplay: Bool
    var names: [NameInfo]?
  }
  struct NameInfo: Decodable {
    var kind: String
    var name: String
  }
  var command: CommandInfo
}

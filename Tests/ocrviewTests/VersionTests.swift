import Testing

@testable import ocrview

/// `ocrview --version`: the release, the commit it was built from, the libraries it loaded.
@Suite struct VersionTests {
  @Test func namesTheReleaseTheCommitAndTheLibrariesAsDoctorDoes() async throws {
    let version = try await CLI.run(["--version"])
    #expect(version.status == 0, "stderr: \(version.stderr)")
    let lines = version.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 2, "stdout: \(version.stdout)")
    #expect(lines.first == "ocrview \(Version.number) (git \(try await Command.headCommit()))")

    let doctor = try await CLI.run(["doctor", "--server", "http://127.0.0.1:9"])
    let librariesLine = doctor.stdout.split(separator: "\n").map(String.init)
      .first { $0.hasPrefix("libraries  ") }
    #expect(lines.last == librariesLine)
    for library in [
      "libcurl", "poppler", "cairo", "tesseract", "leptonica", "chafa", "cmark-gfm", "libxml2",
      "ncurses",
    ] {
      #expect(lines.last?.contains(" \(library) ") == true, "no \(library) in \(lines.last ?? "")")
    }
  }

}

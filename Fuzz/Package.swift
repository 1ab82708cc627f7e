// swift-tools-version: 6.0
// libFuzzer harnesses for ocrview. Not part of the main package, so CI's
// `swift build --build-tests && swift test` never sees them; run with `scripts/fuzz`.
//
// Why not `.package(path: "..")`: the main package exports only the `ocrview` executable,
// and SwiftPM lets a dependent use products only, so OCRKit is unreachable that way.
// Instead `Sources` here is a symlink to `../Sources`, and the targets OCRKit needs are
// re-declared below (same names, same settings as ../Package.swift: keep them in step).
import PackageDescription

let package = Package(
  name: "ocrview-fuzz",
  platforms: [.macOS(.v14)],
  targets: [
    .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
    .target(name: "CRaster", linkerSettings: [.linkedLibrary("png16")]),
    .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib cairo"),
    .systemLibrary(name: "CTesseract", pkgConfig: "tesseract lept"),
    .systemLibrary(name: "CMark", pkgConfig: "libcmark-gfm"),
    .systemLibrary(name: "CXML", pkgConfig: "libxml-2.0"),
    .target(name: "OCRMarkup", dependencies: ["CMark", "CXML"]),
    .target(
      name: "OCRKit", dependencies: ["CCurl", "CPoppler", "CRaster", "CTesseract", "OCRMarkup"]),

    // One executable per fuzz entry point; each defines `LLVMFuzzerTestOneInput`, and
    // libFuzzer (linked by `--sanitize fuzzer`) supplies `main`.
    .executableTarget(name: "fuzz-sse", dependencies: ["OCRKit"], path: "Targets/sse"),
    .executableTarget(name: "fuzz-documents", dependencies: ["OCRKit"], path: "Targets/documents"),
    .executableTarget(name: "fuzz-journal", dependencies: ["OCRKit"], path: "Targets/journal"),
  ]
)

// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "ocrview",
  // Linux only (Debian 12 is what it is built and tested on): it imports Glibc and links
  // Debian's C libraries, so no Apple platform is named.
  products: [
    .executable(name: "ocrview", targets: ["ocrview"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // C bindings: small shims where Swift cannot call variadics or macros.
    .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
    .target(name: "CNcurses", linkerSettings: [.linkedLibrary("ncursesw")]),
    .target(name: "CRaster", linkerSettings: [.linkedLibrary("png16")]),
    .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib cairo"),
    .systemLibrary(name: "CTesseract", pkgConfig: "tesseract lept"),
    // Searchable PDF: the original pages kept, an invisible text layer grafted on.
    .systemLibrary(name: "CQPDF", pkgConfig: "libqpdf"),
    // `--redo-text`: another OCR's invisible text taken out of content streams, with libqpdf's
    // C++ tokenizer (the C API has none), behind a plain C header.
    .target(name: "CQPDFFilter", linkerSettings: [.linkedLibrary("qpdf")]),
    // Review: page images as terminal cells, Markdown (GFM tables), LightOnOCR's HTML tables.
    .systemLibrary(name: "CChafa", pkgConfig: "chafa"),
    .systemLibrary(name: "CMark", pkgConfig: "libcmark-gfm"),
    .systemLibrary(name: "CXML", pkgConfig: "libxml-2.0"),

    // The model's Markdown and HTML, parsed: the viewer renders with these parsers and
    // `--check` strips markup with them, so both must reach them and each must exist once.
    .target(name: "OCRMarkup", dependencies: ["CMark", "CXML"]),
    // Everything that is not the terminal.
    .target(
      name: "OCRKit",
      dependencies: [
        "CCurl", "CPoppler", "CQPDF", "CQPDFFilter", "CRaster", "CTesseract", "CXML", "OCRMarkup",
      ]),
    .target(name: "OCRViewUI", dependencies: ["OCRKit", "OCRMarkup", "CChafa", "CMark", "CXML"]),
    .executableTarget(
      name: "ocrview",
      dependencies: [
        "OCRKit", "OCRViewUI", "CNcurses",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      plugins: ["GitCommit"]
    ),
    // `ocrview --version`'s commit: a build command rerun whenever HEAD moves.
    .plugin(name: "GitCommit", capability: .buildTool()),

    // A loopback server that speaks llama-server's wire format byte for byte.
    // Depends on nothing of ours but cairo (for synthetic PDFs), so the fake builds while
    // OCRKit is in flux.
    .target(name: "OCRTestSupport", dependencies: ["CPoppler"]),
    .executableTarget(name: "fake-ocr-server", dependencies: ["OCRTestSupport"]),
    // Issue 5's performance targets as figures (BENCHMARKS.md); never run as tests.
    .executableTarget(name: "ocrview-benchmarks", dependencies: ["OCRKit", "OCRTestSupport"]),
    .testTarget(name: "OCRTestSupportTests", dependencies: ["OCRTestSupport"]),
    // The OCRKit doubles every test target shares (the scripted engine).
    .target(name: "OCRKitDoubles", dependencies: ["OCRKit", "OCRTestSupport"]),
    .testTarget(
      name: "OCRKitTests",
      dependencies: ["CQPDF", "CXML", "OCRKit", "OCRMarkup", "OCRTestSupport", "OCRKitDoubles"]),
    .testTarget(
      name: "OCRViewUITests", dependencies: ["OCRViewUI", "OCRMarkup", "OCRTestSupport"]),
    // Runs the built `ocrview` binary as a user would, against the fake server.
    .testTarget(
      name: "ocrviewTests", dependencies: ["ocrview", "OCRTestSupport", "OCRKitDoubles"]),
  ],
  // libqpdf 11's headers are C++17.
  cxxLanguageStandard: .cxx17
)

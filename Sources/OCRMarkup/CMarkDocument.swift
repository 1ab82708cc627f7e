import CMark
import Synchronization

/// cmark-gfm's parser with the GFM `table` and `strikethrough` extensions, and read access to
/// its nodes. The tree lives only inside `parse`'s closure and is freed after it.
///
/// One in the process: the viewer renders with it and `--check` strips markup with it, and
/// its lock below only works if every parse goes through it.
package enum CMarkDocument {
  /// Registers the core extensions once per process: cmark-gfm's own guard is a plain static
  /// flag, not safe when two threads parse first at the same time; a `static let` runs once.
  private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()

  /// One parse at a time in the process: parsing the same kind of page on two threads at once
  /// crashed (a call through a null pointer inside cmark-gfm or libxml2, seen when the test
  /// suites rendered Markdown in parallel). The viewer renders on one thread, so this costs it
  /// nothing.
  private static let oneAtATime = Mutex(())

  package static func parse<Result: Sendable>(_ text: String, _ body: (CMarkNode) -> Result)
    -> Result
  {
    oneAtATime.withLock { _ in parseAlone(text, body) }
  }

  private static func parseAlone<Result>(_ text: String, _ body: (CMarkNode) -> Result) -> Result {
    _ = registered
    guard let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS) else { return body(CMarkNode(nil)) }
    defer { cmark_parser_free(parser) }
    for name in ["table", "strikethrough"] {
      if let extensionPointer = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, extensionPointer)
      }
    }
    var text = text
    text.withUTF8 { feedBounded(parser, $0) }
    let document = cmark_parser_finish(parser)
    defer { if let document { cmark_node_free(document) } }
    return body(CMarkNode(document))
  }

  /// Pipes kept on one line: cmark-gfm 0.29's table extension takes time quadratic in a row's
  /// cells (measured: a 1 MB row of 150 000 cells, 15 s; a 40 000-column header, 8.5 s), and
  /// no more than `MarkdownLimits.columns` are laid out anyway.
  package static let maxPipesPerLine = 128

  /// Feeds `bytes` to the parser, each line cut after its `maxPipesPerLine`th pipe. Lines keep
  /// their numbers, so source positions still match the text.
  private static func feedBounded(_ parser: OpaquePointer, _ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress else { return }
    for range in boundedRanges(bytes) where !range.isEmpty {
      base.advanced(by: range.lowerBound).withMemoryRebound(
        to: CChar.self, capacity: range.count
      ) {
        cmark_parser_feed(parser, $0, range.count)
      }
    }
  }

  /// The parts of `bytes` the parser is fed, in order: everything but what follows a line's
  /// `maxPipesPerLine`th pipe (the line break itself is kept). Pure, so tests count the
  /// parser's work rather than time it.
  package static func boundedRanges(_ bytes: some Collection<UInt8>) -> [Range<Int>] {
    let bytes = Array(bytes)
    var ranges: [Range<Int>] = []
    var fed = 0  // bytes before this are fed or skipped
    var pipes = 0
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
        pipes = 0
      } else if byte == UInt8(ascii: "|") {
        pipes += 1
        if pipes == maxPipesPerLine {  // keep the pipe, skip to the line's end
          ranges.append(fed..<index + 1)
          while index < bytes.count && bytes[index] != UInt8(ascii: "\n")
            && bytes[index] != UInt8(ascii: "\r")
          {
            index += 1
          }
          fed = index
          continue
        }
      }
      index += 1
    }
    ranges.append(fed..<bytes.count)
    return ranges
  }

  /// Whether `byte` starts a line: after "\n", or after "\r" not followed by "\n".
  private static func startsLine(after previous: UInt8, _ byte: UInt8) -> Bool {
    previous == UInt8(ascii: "\n") || (previous == UInt8(ascii: "\r") && byte != UInt8(ascii: "\n"))
  }

  /// Lines in `text` as cmark counts them (an empty last line after a line break included).
  package static func lineCount(_ text: String) -> Int {
    var count = 1
    var previous: UInt8 = 0
    for byte in text.utf8 {
      if startsLine(after: previous, byte) { count += 1 }
      previous = byte
    }
    if previous == UInt8(ascii: "\n") || previous == UInt8(ascii: "\r") { count += 1 }
    return count
  }

  /// The UTF-8 offset where line `line` (1-based, as cmark counts: "\n", "\r\n" and "\r"
  /// end a line) starts in `text`.
  package static func offset(ofLine line: Int, in text: String) -> Int {
    guard line > 1 else { return 0 }
    var seen = 1
    var previous: UInt8 = 0
    for (offset, byte) in text.utf8.enumerated() {
      if startsLine(after: previous, byte) {
        seen += 1
        if seen == line { return offset }
      }
      previous = byte
    }
    return text.utf8.count
  }
}

/// One node of a cmark tree, valid while its `CMarkDocument.parse` closure runs.
package struct CMarkNode {
  package let pointer: OpaquePointer?

  package init(_ pointer: OpaquePointer?) { self.pointer = pointer }

  package var type: cmark_node_type { cmark_node_get_type(pointer) }
  /// The extensions' node names ("table", "table_row", "table_cell", "strikethrough").
  package var typeName: String {
    cmark_node_get_type_string(pointer).map { String(cString: $0) } ?? ""
  }
  package var literal: String { cmark_node_get_literal(pointer).map { String(cString: $0) } ?? "" }
  /// Where the block starts in the source (1-based), with `CMARK_OPT_SOURCEPOS`.
  package var startLine: Int { Int(cmark_node_get_start_line(pointer)) }
  package var endLine: Int { Int(cmark_node_get_end_line(pointer)) }
  package var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }
  package var isOrderedList: Bool { cmark_node_get_list_type(pointer) == CMARK_ORDERED_LIST }
  package var listStart: Int { Int(cmark_node_get_list_start(pointer)) }
  package var isTight: Bool { cmark_node_get_list_tight(pointer) != 0 }
  package var isHeaderRow: Bool { cmark_gfm_extensions_get_table_row_is_header(pointer) != 0 }

  package var children: Children { Children(first: cmark_node_first_child(pointer)) }

  package struct Children: Sequence, IteratorProtocol {
    var first: OpaquePointer?
    package mutating func next() -> CMarkNode? {
      guard let node = first else { return nil }
      first = cmark_node_next(node)
      return CMarkNode(node)
    }
  }

  /// Every node below this one in document order, entering and leaving each, without recursion
  /// (cmark's iterator), so nesting depth costs no stack.
  package func walk(_ visit: (_ node: CMarkNode, _ entering: Bool) -> Void) {
    guard let iterator = cmark_iter_new(pointer) else { return }
    defer { cmark_iter_free(iterator) }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      guard let node = cmark_iter_get_node(iterator), node != pointer else { continue }
      visit(CMarkNode(node), event == CMARK_EVENT_ENTER)
    }
  }
}

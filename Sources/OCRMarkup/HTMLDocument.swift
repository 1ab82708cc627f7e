import CXML

/// libxml2's lenient HTML parser, for the HTML blocks LightOnOCR writes (its tables): the
/// viewer lays them out (`HTMLBlock`), `--check` takes their words (`ModelPlainText`).
package enum HTMLDocument {
  /// libxml2 wants `xmlInitParser` once before threads parse concurrently; a `static let` runs
  /// it once.
  private static let initialised: Void = xmlInitParser()

  /// Elements nested deeper than this are skipped (libxml2 itself stops at 256).
  package static let maxDepth = 64

  /// Parses `html` leniently and gives `body` its root element (valid only inside `body`);
  /// nil when libxml2 makes no document of it.
  package static func parse<Result>(_ html: String, _ body: (xmlNodePtr?) -> Result) -> Result? {
    _ = Self.initialised
    var html = html
    let options = Int32(
      HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_NONET.rawValue)
    let document = html.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { chars in
        htmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, "UTF-8", options)
      }
    }
    guard let document else { return nil }
    defer { xmlFreeDoc(document) }
    return body(xmlDocGetRootElement(document))
  }
}

/// Reading libxml2 nodes: names, text and attributes (the viewer adds the styles of inline
/// elements).
package enum HTMLText {
  package static func name(_ node: xmlNodePtr) -> String {
    node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
  }

  package static func content(_ node: xmlNodePtr) -> String {
    node.pointee.content.map { String(cString: $0) } ?? ""
  }

  /// An attribute's value, read in place (no copy to free).
  package static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
    guard let attribute = xmlHasProp(node, name), let value = attribute.pointee.children else {
      return nil
    }
    return content(value)
  }
}

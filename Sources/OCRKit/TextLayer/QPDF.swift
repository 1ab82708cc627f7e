import CQPDF

/// One libqpdf document (`qpdf_data`) and the few object-handle calls the text layer needs,
/// each checked: the C API reports an error only through `qpdf_has_error`, so every call that
/// can fail goes through `checked`, which turns it into `SearchablePDFError.pdf`.
///
/// Not thread-safe (libqpdf is not): made, used and dropped inside one writer call.
final class QPDF {
  let data: qpdf_data
  /// The file `read(memory:)` opened: libqpdf reads it in place for as long as it is open.
  private var memory: UnsafeMutableBufferPointer<CChar>?

  init() {
    data = qpdf_init()
    // Errors are read with qpdf_has_error; warnings (a repaired xref) are not ours to print.
    qpdf_silence_errors(data)
    qpdf_set_suppress_warnings(data, 1)
  }

  deinit {
    var owned: qpdf_data? = data
    qpdf_cleanup(&owned)
    memory?.deallocate()
  }

  /// Opens `path`; an encrypted file without (or with a wrong) password and a file qpdf cannot
  /// repair come back as the `DocumentError` the reader gives for them.
  func read(_ path: String, password: String?) throws(SearchablePDFError) {
    _ = qpdf_read(data, path, password)
    try readError(path, password: password)
  }

  /// Opens a whole file held in memory (`path` names it in errors). Once only.
  func read(memory bytes: [UInt8], as path: String, password: String?)
    throws(SearchablePDFError)
  {
    let copy = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(1, bytes.count))
    _ = bytes.withUnsafeBytes { copy.initialize(from: $0.bindMemory(to: CChar.self)) }
    memory = copy
    _ = qpdf_read_memory(data, path, copy.baseAddress, UInt64(bytes.count), password)
    try readError(path, password: password)
  }

  private func readError(_ path: String, password: String?) throws(SearchablePDFError) {
    guard qpdf_has_error(data) != 0, let error = qpdf_get_error(data) else { return }
    let detail = String(cString: qpdf_get_error_full_text(data, error))
    throw switch qpdf_get_error_code(data, error) {
    case qpdf_e_password:
      .input(password == nil ? .encrypted(path: path) : .wrongPassword(path: path))
    case qpdf_e_system: .input(.notReadable(path: path, reason: detail))
    default: .input(.corrupt(path: path, detail: detail))
    }
  }

  /// `body`'s result, or the error qpdf recorded while it ran.
  func checked<T>(_ what: String, _ body: () -> T) throws(SearchablePDFError) -> T {
    let result = body()
    if qpdf_has_error(data) != 0, let error = qpdf_get_error(data) {
      throw .pdf("\(what): \(String(cString: qpdf_get_error_full_text(data, error)))")
    }
    return result
  }

  // MARK: objects

  func parse(_ text: String) throws(SearchablePDFError) -> qpdf_oh {
    try checked("parse") { qpdf_oh_parse(data, text) }
  }

  func key(_ object: qpdf_oh, _ key: String) -> qpdf_oh { qpdf_oh_get_key(data, object, key) }

  func set(_ object: qpdf_oh, _ key: String, _ value: qpdf_oh) throws(SearchablePDFError) {
    try checked("set \(key)") { qpdf_oh_replace_key(data, object, key, value) }
  }

  /// A dictionary's keys.
  func keys(of dictionary: qpdf_oh) -> [String] {
    var names: [String] = []
    qpdf_oh_begin_dict_key_iter(data, dictionary)
    while qpdf_oh_dict_more_keys(data) != 0 {
      names.append(String(cString: qpdf_oh_dict_next_key(data)))
    }
    return names
  }

  func isIndirect(_ object: qpdf_oh) -> Bool { qpdf_oh_is_indirect(data, object) != 0 }

  /// A new direct dictionary with `dictionary`'s entries (the values shared, not copied).
  func shallowCopy(_ dictionary: qpdf_oh) throws(SearchablePDFError) -> qpdf_oh {
    let copy = try parse("<< >>")
    for name in keys(of: dictionary) { try set(copy, name, key(dictionary, name)) }
    return copy
  }

  func remove(_ object: qpdf_oh, _ key: String) {
    qpdf_oh_remove_key(data, object, key)
  }

  func isDictionary(_ object: qpdf_oh) -> Bool { qpdf_oh_is_dictionary(data, object) != 0 }
  func isArray(_ object: qpdf_oh) -> Bool { qpdf_oh_is_array(data, object) != 0 }
  func isStream(_ object: qpdf_oh) -> Bool { qpdf_oh_is_stream(data, object) != 0 }
  func hasKey(_ object: qpdf_oh, _ key: String) -> Bool { qpdf_oh_has_key(data, object, key) != 0 }

  func items(_ array: qpdf_oh) -> [qpdf_oh] {
    guard isArray(array) else { return [] }
    return (0..<qpdf_oh_get_array_n_items(data, array)).map {
      qpdf_oh_get_array_item(data, array, $0)
    }
  }

  func array(_ items: [qpdf_oh]) -> qpdf_oh {
    let array = qpdf_oh_new_array(data)
    for item in items { qpdf_oh_append_item(data, array, item) }
    return array
  }

  /// A number of a dictionary's array (`/MediaBox`), or nil when it is not four numbers.
  func rect(_ object: qpdf_oh) -> PageGeometry.Rect? {
    let values = items(object).compactMap { item -> Double? in
      qpdf_oh_is_number(data, item) != 0 ? qpdf_oh_get_numeric_value(data, item) : nil
    }
    guard values.count == 4, values.allSatisfy(\.isFinite) else { return nil }
    return PageGeometry.Rect(x1: values[0], y1: values[1], x2: values[2], y2: values[3])
  }

  func integer(_ object: qpdf_oh) -> Int? {
    qpdf_oh_is_number(data, object) != 0
      ? Int(qpdf_oh_get_numeric_value(data, object).rounded()) : nil
  }

  /// A new (indirect) stream holding `bytes` unencoded, or already encoded with `filter`
  /// (a name such as `/DCTDecode`); qpdf compresses unencoded streams when it writes.
  func stream(_ bytes: [UInt8], filter: String? = nil) throws(SearchablePDFError) -> qpdf_oh {
    try checked("new stream") {
      let stream = qpdf_oh_new_stream(data)
      let filterObject = filter.map { qpdf_oh_new_name(data, $0) } ?? qpdf_oh_new_null(data)
      bytes.withUnsafeBufferPointer {
        qpdf_oh_replace_stream_data(
          data, stream, $0.baseAddress, $0.count, filterObject, qpdf_oh_new_null(data))
      }
      return stream
    }
  }

  /// Replaces a stream's data with `bytes`, unencoded.
  func replaceData(_ stream: qpdf_oh, _ bytes: [UInt8]) throws(SearchablePDFError) {
    try checked("replace stream data") {
      bytes.withUnsafeBufferPointer {
        qpdf_oh_replace_stream_data(
          data, stream, $0.baseAddress, $0.count, qpdf_oh_new_null(data), qpdf_oh_new_null(data))
      }
    }
  }

  func dictionary(of stream: qpdf_oh) -> qpdf_oh { qpdf_oh_get_dict(data, stream) }

  func indirect(_ object: qpdf_oh) throws(SearchablePDFError) -> qpdf_oh {
    try checked("make indirect") { qpdf_make_indirect_object(data, object) }
  }

  func objectID(_ object: qpdf_oh) -> Int { Int(qpdf_oh_get_object_id(data, object)) }

  // MARK: pages

  func pageCount() throws(SearchablePDFError) -> Int {
    let count = try checked("count pages") { Int(qpdf_get_num_pages(data)) }
    guard count >= 0 else { throw .pdf("the page tree cannot be read") }
    return count
  }

  func page(_ number: Int) -> qpdf_oh { qpdf_get_page_n(data, number - 1) }

  // MARK: writing

  /// The whole file, as qpdf writes it.
  func written(linearize: Bool, deterministic: Bool) throws(SearchablePDFError) -> [UInt8] {
    try checked("write") {
      qpdf_init_write_memory(data)
      qpdf_set_linearization(data, linearize ? 1 : 0)
      // The same pages give the same bytes (a resumed run writes the file a clean run does);
      // qpdf refuses a deterministic /ID for an encrypted file, which keeps its own.
      if deterministic { qpdf_set_deterministic_ID(data, 1) }
      qpdf_write(data)
    }
    guard let buffer = qpdf_get_buffer(data) else { throw .pdf("qpdf wrote nothing") }
    return Array(UnsafeBufferPointer(start: buffer, count: qpdf_get_buffer_length(data)))
  }
}

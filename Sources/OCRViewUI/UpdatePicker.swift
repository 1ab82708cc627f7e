/// Keys of the file picker.
func pickerKey(_ model: inout Model, _ key: Key) -> [Effect] {
  var picker = model.picker
  defer { model.picker = picker }
  let count = picker.visible.count
  if picker.isFiltering {
    switch key {
    case .character(let character):
      picker.filter.append(character)
      picker.cursor = 0
      return []
    case .backspace:
      if picker.filter.isEmpty { picker.isFiltering = false } else { picker.filter.removeLast() }
      picker.cursor = 0
      return []
    case .escape:
      picker.filter = ""
      picker.isFiltering = false
      picker.cursor = 0
      return []
    case .enter:
      // Typing ends and the selected match opens, as Enter does outside the filter.
      picker.isFiltering = false
    default:
      break
    }
  }
  switch key {
  case .down, .character("j"): picker.cursor = min(picker.cursor + 1, max(0, count - 1))
  case .up, .character("k"): picker.cursor = max(picker.cursor - 1, 0)
  case .character("g"), .home: picker.cursor = 0
  case .character("G"), .end: picker.cursor = max(0, count - 1)
  case .pageDown: picker.cursor = min(picker.cursor + pickerRows(model), max(0, count - 1))
  case .pageUp: picker.cursor = max(picker.cursor - pickerRows(model), 0)
  case .enter, .right, .character("l"):
    model.picker = picker
    let effects = open(&model)
    picker = model.picker
    return effects
  case .backspace, .left, .character("h"), .character("-"):
    return go(&picker, to: parent(of: picker.directory))
  case .character("/"):
    // A new filter, not more of the last one.
    picker.keepingSelection {
      $0.filter = ""
      $0.isFiltering = true
    }
  case .character("."):
    picker.keepingSelection { $0.showHidden.toggle() }
  case .character("a"):
    picker.keepingSelection { $0.showAll.toggle() }
  case .character("?"):
    openHelp(&model)
  case .escape:
    if !picker.filter.isEmpty {
      picker.filter = ""
      picker.cursor = 0
    } else if model.document != nil {
      model.screen = .document
    }
  case .character("q"):
    model.picker = picker
    let effects = quit(&model, confirm: true)
    picker = model.picker
    return effects
  case .tab, .backTab:
    if model.document != nil { model.screen = .document }
  default:
    break
  }
  return []
}

/// Opens the entry under the cursor: a directory is listed, a document opened.
private func open(_ model: inout Model) -> [Effect] {
  guard let entry = model.picker.selected else { return [] }
  let path = join(model.picker.directory, entry.name)
  switch entry.kind {
  case .directory:
    return go(&model.picker, to: entry.name == ".." ? parent(of: model.picker.directory) : path)
  case .document:
    model.picker.remembered[model.picker.directory] = entry.name
    return openDocument(&model, path)
  case .unsupported:
    model.message = Model.Message(
      "\(entry.name): not a PDF or a supported image (PNG, JPEG, TIFF, GIF, WebP, BMP, PNM)",
      isError: true)
    return []
  case .unreadable(let reason):
    model.message = Model.Message("\(entry.name): \(reason)", isError: true)
    return []
  }
}

/// Leaves the current directory for `directory`, remembering where the cursor was.
private func go(_ picker: inout PickerState, to directory: String) -> [Effect] {
  guard directory != picker.directory else { return [] }
  if let selected = picker.selected { picker.remembered[picker.directory] = selected.name }
  // Coming back up, land on the directory just left.
  if picker.directory.hasPrefix(directory) {
    picker.remembered[directory] = picker.directory.split(separator: "/").last.map(String.init)
  }
  picker.directory = directory
  picker.entries = []
  picker.filter = ""
  picker.isFiltering = false
  picker.isLoading = true
  picker.error = nil
  picker.cursor = 0
  return [.listDirectory(directory)]
}

private func pickerRows(_ model: Model) -> Int { max(1, model.size.height - 4) }

/// The parent of an absolute path ("/" stays "/").
func parent(of path: String) -> String {
  let parts = path.split(separator: "/")
  return parts.count <= 1 ? "/" : "/" + parts.dropLast().joined(separator: "/")
}

func join(_ directory: String, _ name: String) -> String {
  directory.hasSuffix("/") ? directory + name : directory + "/" + name
}

extension PickerState {
  /// Applies a change to what is shown, keeping the cursor on the same entry while it is still
  /// visible, else on the nearest visible one.
  mutating func keepingSelection(_ change: (inout PickerState) -> Void) {
    let name = selected?.name
    change(&self)
    let list = visible
    cursor = list.firstIndex { $0.name == name } ?? min(cursor, max(0, list.count - 1))
  }
}

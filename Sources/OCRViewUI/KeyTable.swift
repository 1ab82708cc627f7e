/// Every key, once: the help overlay (`?`), the README's key tables and the hint line are all
/// made from this table, so none of them can leave a key out or tell it differently
/// (`KeyTableTests` compares the README with `KeyTable.markdown`, and presses every key to
/// find any that does something and is not here).
struct KeyBinding: Sendable {
  /// Keys in groups: `[["j", "k", "↑", "↓"], ["g", "G"]]` is shown "j k ↑ ↓  g G" in the help
  /// and "`j` `k` `↑` `↓`, `g` `G`" in the README.
  var keys: [[String]]
  /// One line in the help overlay (it fits 80 columns).
  var help: String
  /// The README's fuller description (Markdown).
  var readme: String

  init(_ keys: [[String]], _ help: String, readme: String? = nil) {
    self.keys = keys
    self.help = help
    self.readme = readme ?? help
  }

  var helpKeys: String { keys.map { $0.joined(separator: " ") }.joined(separator: "  ") }
  var readmeKeys: String {
    keys.map { $0.map { "`\($0)`" }.joined(separator: " ") }.joined(separator: ", ")
  }
}

/// A key on the hint line: `rank` says how long it stays when the line is too narrow for all.
struct KeyHint: Sendable {
  var key: String
  var label: String
  var rank: Int

  var text: String { "\(key):\(label)" }
}

enum KeyTable {
  static let document: [KeyBinding] = [
    KeyBinding([["Tab", "Shift-Tab"]], "focus: pages → text → page image"),
    KeyBinding(
      [["j", "k", "↑", "↓"], ["g", "G"]], "move pages / scroll the text; first / last",
      readme: "move between pages / scroll the text (when it has the focus); first / last"),
    KeyBinding(
      [["PgUp", "PgDn", "Space", "b"]], "scroll the text a screen up / down",
      readme: "scroll the text a screen up / down (`b` back, as in less)"),
    KeyBinding([["Ctrl-B", "Ctrl-F"]], "a screen up / down (as in less and vim)"),
    KeyBinding([["Ctrl-U", "Ctrl-D"]], "half a screen up / down"),
    KeyBinding(
      [["Home", "End"], ["f"]], "top / end of the text; follow the growing text",
      readme:
        "top / end of the text; follow its growing end again. The text pane's title says where "
        + "it is (`lines 12–31 of 40`) or that it is `following` a page still coming in; a "
        + "finished page opens at its top"),
    KeyBinding(
      [["Enter"], ["Esc"]], "focus the text; back to the picker (on this file)",
      readme:
        "focus the text; back to the picker, its cursor on the open document (`Enter` goes "
        + "back to it)"),
    KeyBinding(
      [["m"]], "STREAM / BATCH for every page not yet sent",
      readme:
        "toggle STREAM / BATCH: every page of the running document not yet sent (rendered-ahead "
        + "ones too) goes in the new mode; pages in flight finish in theirs. The page list shows "
        + "each page's mode as it starts"),
    KeyBinding(
      [["r"], ["R"], ["F"]], "read again: this page / all (asks) / failed ones",
      readme:
        "re-run the selected page in the current mode (so one page can be measured in both; its "
        + "old reading stays in the journal until the new one finishes); re-run the document, "
        + "voiding what the journal kept (it asks first); read the failed pages again (after a "
        + "server outage, say), keeping what is done"),
    KeyBinding(
      [["c"]], "cancel the rest: pages running and not started",
      readme:
        "cancel the rest of the document: the pages running (their text is kept, marked "
        + "cancelled) and those not started; it says how many of each"),
    KeyBinding(
      [["s"]], "save the transcript (mid-run: the pages read)",
      readme:
        "save the transcript as `NAME.ocr.md` next to the document (or in `--out-dir`); an "
        + "existing file is never overwritten: `NAME.ocr-2.md`, …. Saved mid-run it holds the "
        + "pages read so far, names the rest at its end (`<!-- not read yet when saved: pages "
        + "3–19 of 19 -->`) and says so (`saved 2 of 19 pages (3–19 not read yet) to …`); `s` "
        + "again with nothing changed says where the file is instead of writing a copy"),
    KeyBinding(
      [["P"]], "save a searchable PDF (the pages read as its text)",
      readme:
        "save a searchable PDF as `NAME.ocr.pdf` next to the document (or in `--out-dir`; "
        + "never overwriting): the document's pages as they are, the model's text of every page "
        + "read an invisible layer where each word stands — select, search and copy give the "
        + "model's words (see [Searchable PDF](#searchable-pdf-and-hocr---pdf---format-hocr)). "
        + "Tesseract reads the pages for the words' places, a moment a page; the bottom line "
        + "says when it is saved and which pages have no text"),
    KeyBinding(
      [["t"]], "compare TTFT and E2E: pages in both modes, medians",
      readme:
        "compare: TTFT and E2E per page measured in both modes with their medians, and each "
        + "mode's medians over every page it read (a run that switched modes compares its halves)"),
    KeyBinding(
      [["e"]], "switch engine (server / built-in) for new runs",
      readme:
        "switch engine (server ↔ built-in) for runs started from now on (`r`, `R`, opening a "
        + "document); the header says \"switching…\" until it is ready, and a failed switch "
        + "keeps the engine in use"),
    KeyBinding(
      [["v"]], "page image beside the text, alone, or off",
      readme: "the page image beside the text → the page image alone → text only (see below)"),
    KeyBinding(
      [["+", "=", "-"], ["h", "l", "←", "→"]], "zoom the page image; pan it (j k on the image)",
      readme: "zoom the page image (fit, 2×, 4×); pan it (and `j` `k` on the image)"),
    KeyBinding(
      [["M"]], "render Markdown (tables, math) / raw text",
      readme:
        "render the text: Markdown headings, emphasis, lists, quotes, code, GFM and HTML tables "
        + "as box-drawn grids (Hangul counts two columns, cells wrap), math as Unicode "
        + "(`\\alpha`, `x^2`, `\\frac{a}{b}` → α, x², a⁄b; the rest stays source); again for the "
        + "raw text. Saving and copying always use the raw text"),
    KeyBinding(
      [["/"], ["n", "N"], ["Esc"]], "search every page; next / previous match; end",
      readme:
        "search every page's text (case-insensitive, literal): matches are marked, `n`/`N` go "
        + "to the next/previous one across pages, the stats bar says `match 3/17`; `Esc` ends "
        + "the search"),
    KeyBinding(
      [["y"], ["Y"]], "copy the page / the transcript",
      readme:
        "copy the page's raw text / the whole transcript to the system clipboard (OSC 52: most "
        + "terminals, over ssh too; in tmux, `set -g set-clipboard on`); up to 750 KB of "
        + "UTF-8 — tmux drops a larger write unseen — and past it `s` saves instead"),
    KeyBinding(
      [["[", "]"]], "grounding: previous / next layout block",
      readme:
        "grounding mode (`--grounding`): select the previous / next layout block; its box is "
        + "highlighted on the page image, the text scrolls to it"),
    KeyBinding(
      [["B"]], "grounding mode on / off for new runs",
      readme:
        "grounding mode on / off for pages read from now on (`r`, `R`), where the served model "
        + "has it (LightOnOCR-3; the header then says `· grounding`)"),
    KeyBinding(
      [["K"]], "check pages against the built-in engine (on / off)",
      readme:
        "check pages on / off (`--check` starts with it on; see [a second opinion]"
        + "(#a-second-opinion---check)): pages a server has read — those already finished too — "
        + "are read again by the built-in engine in the background; the page list marks each "
        + "verdict (below), a flagged page has a `⚠ check: …` line above its text saying why, "
        + "and the header says how far it has come (`STREAM · checked 40/137`: pages judged of "
        + "those read or still to read) while it is on. With the built-in engine itself there "
        + "is nothing to check"),
    KeyBinding(
      [["!"]], "next page to review (marked ~ or !)",
      readme:
        "go to the next page whose verdict asks for a look (`~` review, `!` flagged; see "
        + "[Verdicts](#verdicts)), after the last back to the first; it says when there is none"),
    KeyBinding(
      [["?"]], "every key (this)",
      readme: "every key, and what the page marks mean (`j` `k` scroll it)"),
    KeyBinding(
      [["q"], ["Ctrl-C"]], "quit (q asks while pages are running)",
      readme: "quit (`q` asks while pages are running)"),
  ]

  static let picker: [KeyBinding] = [
    KeyBinding(
      [["Enter", "l", "→"]], "open the file or folder",
      readme:
        "open the file or folder under the cursor; opening another file while one is still "
        + "being read asks first (its pages still to read are cancelled), the open one is gone "
        + "back to"),
    KeyBinding([["Backspace", "h", "←", "-"]], "up a folder"),
    KeyBinding([["j", "k", "↑", "↓"], ["g", "G"]], "move; first / last"),
    KeyBinding([["PgUp", "PgDn"], ["Home", "End"]], "a screen up / down; first / last"),
    KeyBinding(
      [["/"]], "filter as you type; Enter opens the first match",
      readme:
        "filter as you type: the first match is selected and `Enter` opens it (a folder too); "
        + "`Esc`, or `Backspace` on an empty filter, clears it; `/` again starts a new filter"),
    KeyBinding(
      [["."], ["a"]], "hidden files; files ocrview cannot open",
      readme:
        "show hidden files; show files ocrview cannot open (the selection stays on a visible "
        + "entry)"),
    KeyBinding(
      [["Esc"], ["Tab", "Shift-Tab"]], "clear the filter, else back to the document",
      readme: "clear the filter, else back to the open document; back to the open document"),
    KeyBinding([["?"], ["q"], ["Ctrl-C"]], "every key; quit"),
  ]

  /// The document screen's hint line, in the order shown; `rank` decides what stays.
  static let documentHints = [
    KeyHint(key: "m", label: "mode", rank: 9), KeyHint(key: "v", label: "page", rank: 7),
    KeyHint(key: "M", label: "render", rank: 5), KeyHint(key: "/", label: "find", rank: 8),
    KeyHint(key: "y", label: "copy", rank: 4), KeyHint(key: "s", label: "save", rank: 8),
    KeyHint(key: "r", label: "re-run", rank: 6), KeyHint(key: "t", label: "compare", rank: 3),
    KeyHint(key: "e", label: "engine", rank: 2), KeyHint(key: "K", label: "check", rank: 2),
    KeyHint(key: "q", label: "quit", rank: 10),
  ]

  static let pickerHints = [
    KeyHint(key: "Enter", label: "open", rank: 10), KeyHint(key: "Backspace", label: "up", rank: 9),
    KeyHint(key: "/", label: "filter", rank: 8), KeyHint(key: ".", label: "hidden", rank: 5),
    KeyHint(key: "a", label: "all files", rank: 4), KeyHint(key: "q", label: "quit", rank: 7),
  ]

  /// The help overlay: both screens' keys, then what the page marks mean.
  static var helpLines: [String] {
    let width = (document + picker).map { DisplayWidth.of($0.helpKeys) }.max() ?? 0
    func rows(_ bindings: [KeyBinding]) -> [String] {
      bindings.map { $0.helpKeys.padding(width + 2) + $0.help }
    }
    return ["In a document"] + rows(document) + ["", "In the picker"] + rows(picker)
      + ["", "Page marks"]
      + PageMark.allCases.map { $0.symbol.padding(width + 2) + $0.meaning }
      + [
        "", "Text in magenta (dim without colour): where the model was unsure",
        "of its tokens (raw view; when the server gives log-probabilities)",
      ]
  }

  /// What the text pane's shaded lines mean (`PaneLine.doubtful`), for the README.
  static let doubtfulLines =
    "Text in magenta (dim without colour): a line where the model was unsure of its tokens "
    + "(in the raw view, when the server gives log-probabilities)"

  /// The README's key tables and marks, as README.md has them between its markers.
  static var markdown: String {
    func table(_ bindings: [KeyBinding]) -> String {
      (["| key | does |", "| --- | --- |"]
        + bindings.map { "| \($0.readmeKeys) | \($0.readme) |" }).joined(separator: "\n")
    }
    let marks =
      (["| mark | the page is |", "| --- | --- |"]
      + PageMark.allCases.map { "| `\($0.symbol)` | \($0.meaning) |" }).joined(separator: "\n")
    return [
      readmeStart, table(document), "", "In the file picker:", "", table(picker), "",
      "The page list's marks:", "", marks, "", doubtfulLines + ".", readmeEnd,
    ].joined(separator: "\n")
  }

  static let readmeStart =
    "<!-- keys: made from Sources/OCRViewUI/KeyTable.swift, as the viewer's ? shows them -->"
  static let readmeEnd = "<!-- end of keys -->"
}

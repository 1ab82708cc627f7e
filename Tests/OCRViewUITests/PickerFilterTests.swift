import OCRKit
import Testing

@testable import OCRViewUI

/// The picker's filter as the README says it works: the first match is selected, one Enter
/// opens it (a folder as well as a document), and `/` starts a new filter.
@Suite struct PickerFilterTests {
  @Test func oneEnterOpensAMatchingFolder() {
    var model = Fixtures.picker()
    for key in "/rep" { _ = update(&model, .key(.character(key))) }
    #expect(update(&model, .key(.enter)) == [.listDirectory("/docs/reports")])
    #expect(model.picker.directory == "/docs/reports")
    #expect(model.picker.filter == "" && !model.picker.isFiltering)
  }

  @Test func oneEnterOpensAMatchingDocumentAndRemembersIt() {
    var model = Fixtures.picker()
    for key in "/pap" { _ = update(&model, .key(.character(key))) }
    #expect(update(&model, .key(.enter)) == [.openDocument(id: 1, path: "/docs/paper.pdf")])
    #expect(model.picker.remembered["/docs"] == "paper.pdf")
  }

  @Test func slashStartsANewFilter() {
    var model = Fixtures.picker()
    for key in "/pap" { _ = update(&model, .key(.character(key))) }
    _ = update(&model, .key(.enter))
    for key in "/sc" { _ = update(&model, .key(.character(key))) }
    #expect(model.picker.filter == "sc")
    #expect(model.picker.selected?.name == "scan.png")
  }
}

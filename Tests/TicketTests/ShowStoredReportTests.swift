import Foundation
import History
import Kit
import TMDiagCore
import Testing

/// `show ID` and `show ID --html` read a stored report through one helper: the same three
/// refusals (no store, no such report, a stored JSON that no longer matches its digest), and
/// the report itself when all is well, whichever page is asked for.
@Suite("A stored report, shown as text or as a page")
struct ShowStoredReportTests {
    enum Page: String, CaseIterable, Sendable { case text, html }

    func show(_ page: Page, _ ref: String, store: HistoryStore?) throws(TMDiagError) -> ShowPipeline.Result {
        switch page {
        case .text: try ShowPipeline.run(ref, reveal: .none, store: { store }, data: shippedData)
        case .html: try ShowPipeline.html(ref, reveal: .none, store: { store })
        }
    }

    /// A store holding the SIM-swap report under its id, and, under `R-TAMPERED`, the same
    /// report with a digest the JSON does not match.
    func store(in dir: URL) throws -> (store: HistoryStore, id: String) {
        let store = try HistoryStore.open(path: dir.appendingPathComponent("s.sqlite").path)
        let json = try Data(contentsOf: goldenDir.appendingPathComponent("reports/sim-swap.json"))
        let id = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])["reportId"] as! String
        try store.saveReport(StoredReport(id: id, createdAt: Date(), json: json))
        try store.saveReport(StoredReport(id: "R-TAMPERED", createdAt: Date(), json: json, sha256: String(repeating: "0", count: 64)))
        return (store, id)
    }

    @Test(arguments: Page.allCases) func aStoredReportIsShown(_ page: Page) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, id) = try store(in: dir)
        let r = try show(page, id.lowercased(), store: store)
        #expect(r.text.contains("SIM"), "\(r.text.prefix(200))")
    }

    @Test(arguments: Page.allCases) func aTamperedStoredReportIsADataError(_ page: Page) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, _) = try store(in: dir)
        #expect(throws: TMDiagError("report R-TAMPERED: the stored JSON does not match its SHA-256: the store was changed", status: .dataError)) {
            try show(page, "R-TAMPERED", store: store)
        }
    }

    @Test(arguments: Page.allCases) func anUnknownIdIsNotFound(_ page: Page) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, _) = try store(in: dir)
        #expect(throws: TMDiagError("R-NOSUCH: no such file or stored report", status: .notFound)) {
            try show(page, "R-NOSUCH", store: store)
        }
    }

    @Test(arguments: Page.allCases) func withoutAStoreAnIdCannotBeLookedUp(_ page: Page) throws {
        #expect(throws: TMDiagError("R-NOSUCH: no such file, and no history store to look a report id up in", status: .noInput)) {
            try show(page, "R-NOSUCH", store: nil)
        }
    }
}

import Foundation
import History
import Kit
import TMDiagCore
import Testing

@testable import Ticket

@Suite struct BundleTests {
    @Test func roundTripAndShow() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("case.zip").path
        let (result, st) = try runScenario(Scenario.all[0], format: .text, bundle: path)
        defer { st.cleanup() }
        // Written whole, no temporary file left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["case.zip"])
        let b = try TicketBundle.read(path)
        #expect(b.ticket == result.ticket)
        #expect(b.ticketText == result.output)
        #expect(b.report?.reportId == "R-SWAP01")
        #expect(b.report?.digestIsValid == true)
        #expect(b.history?.account.id == "ACC-4001")
        #expect(Set(b.manifest.files.map(\.name)) == ["ticket.txt", "ticket.md", "ticket.json", "report.json", "history.json", "report.html"])
        // Everything in the bundle is masked.
        for (name, data) in try TicketBundle.contents(ticket: b.ticket, report: b.report, history: b.history) {
            assertNoFullIdentifiers(String(decoding: data, as: UTF8.self), "bundle \(name)")
        }
        let shown = try ShowPipeline.run(path, reveal: .none, store: { () throws(TMDiagError) -> HistoryStore? in nil }, data: shippedData)
        #expect(shown.text.hasPrefix(result.output))
        #expect(shown.text.contains("6 files match"))
    }

    func tampered(_ change: (inout [(String, Data)]) -> Void) throws -> (String, URL) {
        let dir = temporaryDirectory()
        let good = dir.appendingPathComponent("good.zip").path
        let (_, st) = try runScenario(Scenario.all[1], format: .text, bundle: good)
        defer { st.cleanup() }
        let b = try TicketBundle.read(good)
        var files = try TicketBundle.contents(ticket: b.ticket, report: b.report, history: b.history)
        let manifest = try JSONCoding.encode(b.manifest)
        files.append((TicketBundle.manifestName, manifest))
        change(&files)
        let bad = dir.appendingPathComponent("bad.zip").path
        try TicketBundle.writeArchive(files, to: bad, date: b.ticket.createdAt)
        return (bad, dir)
    }

    @Test func changedTicketIsDetected() throws {
        let (bad, dir) = try tampered { files in
            let i = files.firstIndex { $0.0 == "ticket.txt" }!
            files[i].1 = Data(String(decoding: files[i].1, as: UTF8.self).replacingOccurrences(of: "Business", with: "Bizness").utf8)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: TMDiagError("\(bad): ticket.txt does not match its SHA-256 in the manifest: the bundle was changed or damaged",
                                    status: .dataError)) {
            _ = try TicketBundle.read(bad)
        }
    }

    @Test func missingAndExtraFilesAreDetected() throws {
        let (bad, dir) = try tampered { files in files.removeAll { $0.0 == "report.json" } }
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: TMDiagError("\(bad): report.json is listed in the manifest but missing", status: .dataError)) {
            _ = try TicketBundle.read(bad)
        }
        let (extra, dir2) = try tampered { files in files.append(("evil.sh", Data("rm -rf /".utf8))) }
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(throws: TMDiagError("\(extra): unexpected entry 'evil.sh' in the bundle", status: .dataError)) {
            _ = try TicketBundle.read(extra)
        }
    }

    @Test func reportChangedTogetherWithTheManifestIsStillCaught() throws {
        // Someone edits report.json and fixes the manifest: the report's own digest catches it.
        let (bad, dir) = try tampered { files in
            let i = files.firstIndex { $0.0 == "report.json" }!
            let edited = Data(String(decoding: files[i].1, as: UTF8.self).replacingOccurrences(of: "\"denied\"", with: "\"home\"").utf8)
            files[i].1 = edited
            let m = files.firstIndex { $0.0 == TicketBundle.manifestName }!
            var manifest = try! JSONCoding.decoder().decode(BundleManifest.self, from: files[m].1)
            let f = manifest.files.firstIndex { $0.name == "report.json" }!
            manifest.files[f].sha256 = SHA256.hex(edited)
            manifest.files[f].bytes = edited.count
            files[m].1 = try! JSONCoding.encode(manifest)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: TMDiagError("\(bad): report.json does not match its own digest: the report was changed", status: .dataError)) {
            _ = try TicketBundle.read(bad)
        }
    }

    @Test func notAZipIsAClearError() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("junk.zip").path
        try Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(throws: TMDiagError.self) { _ = try TicketBundle.read(path) }
    }
}

@Suite struct ShowTests {
    func noStore() throws(TMDiagError) -> HistoryStore? { nil }

    @Test func showsASealedReportFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try JSONCoding.decoder().decode(DeviceReport.self, from: Data(contentsOf: URL(fileURLWithPath: Scenario.all[1].reportPath)))
        let path = dir.appendingPathComponent("r.json").path
        try JSONCoding.encode(try full.sealed()).write(to: URL(fileURLWithPath: path))
        let r = try ShowPipeline.run(path, reveal: .none, store: noStore, data: shippedData)
        #expect(r.text.contains("(checked)"))
        #expect(r.text.contains("EMM cause 7"))
        assertNoFullIdentifiers(r.text, "show text")
        assertNoFullIdentifiers(String(decoding: r.json, as: UTF8.self), "show json")
    }

    @Test func badDigestIsADataError() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try JSONCoding.decoder().decode(DeviceReport.self, from: Data(contentsOf: URL(fileURLWithPath: Scenario.all[1].reportPath)))
        var sealed = try full.sealed()
        sealed.devices[0].modem?.firmware = "tampered"
        let path = dir.appendingPathComponent("r.json").path
        try JSONCoding.encode(sealed).write(to: URL(fileURLWithPath: path))
        #expect(throws: TMDiagError("\(path): the report does not match its digest: it was changed after it was written", status: .dataError)) {
            _ = try ShowPipeline.run(path, reveal: .none, store: noStore, data: shippedData)
        }
    }

    @Test func showsAStoredReportById() throws {
        let st = try ScenarioStore(Scenario.all[3])
        defer { st.cleanup() }
        let full = try JSONCoding.decoder().decode(DeviceReport.self, from: Data(contentsOf: URL(fileURLWithPath: Scenario.all[3].reportPath)))
        let json = try JSONCoding.encode(try full.masked(.none).sealed())
        try st.store.saveReport(StoredReport(id: full.reportId, createdAt: full.createdAt, json: json))
        let store = st.store
        let r = try ShowPipeline.run("r-ok0004", reveal: .none, store: { () throws(TMDiagError) -> HistoryStore? in store }, data: shippedData)
        #expect(r.text.contains("R-OK0004"))
        #expect(r.text.contains("Pixel 8"))
        #expect(throws: TMDiagError.self) {
            _ = try ShowPipeline.run("R-NOPE00", reveal: .none, store: { () throws(TMDiagError) -> HistoryStore? in store }, data: shippedData)
        }
    }
}

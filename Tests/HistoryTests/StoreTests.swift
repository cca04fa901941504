import Foundation
import GRDB
import History
import Testing
import TMDiagCore

@Suite("History store")
struct StoreTests {
    @Test func opensCreatingDirectoriesWithWALAndForeignKeys() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        #expect(FileManager.default.fileExists(atPath: t.path))
        #expect(try t.store.schemaVersion() == 1)
        let q = try DatabaseQueue(path: t.path)
        let mode = try q.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let fk = try q.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(fk == true)
    }

    @Test func refusesAStoreFromANewerSchema() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let q = try DatabaseQueue(path: t.path)
        try q.write { db in try db.execute(sql: "PRAGMA user_version = 7") }
        try q.close()
        let error = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: t.path) }
        #expect(error?.status == .dataError)
        #expect(error?.message.contains("schema version 7, newer than this tmdiag understands (1)") == true)
    }

    @Test func refusesAStoreWithAnUnknownMigration() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let q = try DatabaseQueue(path: t.path)
        try q.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9')") }
        try q.close()
        let error = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: t.path) }
        #expect(error?.status == .dataError)
        #expect(error?.message.contains("newer than this tmdiag") == true)
    }

    @Test func reportsACorruptFileWithoutOverwritingIt() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let path = dir.appendingPathComponent("broken.sqlite").path
        _ = FileManager.default.createFile(atPath: path, contents: garbage)
        let error = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: path) }
        #expect(error?.status == .dataError)
        #expect(error?.message.contains("is damaged or not a tmdiag store") == true)
        #expect(FileManager.default.contents(atPath: path) == garbage)
    }

    @Test func refusesAnotherApplicationsDatabase() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("other.sqlite").path
        let q = try DatabaseQueue(path: path)
        try q.write { db in try db.execute(sql: "CREATE TABLE notes (t TEXT)") }
        try q.close()
        let error = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: path) }
        #expect(error?.status == .dataError)
        #expect(error?.message.contains("not a tmdiag store") == true)
    }

    @Test func missingStoreWithoutCreateIsNotFound() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("none.sqlite").path
        let error = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: path, create: false) }
        #expect(error?.status == .notFound)
        #expect(error?.message.contains("no history store at") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func unreadableStoreIsNoPermission() throws {
        guard getuid() != 0 else { return } // root reads anything
        let t = try TempStore()
        defer { t.cleanup() }
        chmod(t.path, 0o000)
        defer { chmod(t.path, 0o600) }
        let error = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: t.path) }
        #expect(error?.status == .noPermission)
    }

    @Test func reportsRoundTripAndMatchCaseInsensitively() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let json = Data(#"{"reportId":"R-7KQ2M9"}"#.utf8)
        let r1 = StoredReport(id: "R-7KQ2M9", createdAt: Date(timeIntervalSince1970: 1_790_000_000),
                              imeis: ["356938035643809"], iccids: ["8901260123456789012"], msisdns: ["+12065550142"], json: json)
        let r2 = StoredReport(id: StoredReport.newId(), createdAt: Date(timeIntervalSince1970: 1_790_000_600), json: Data("{}".utf8))
        try t.store.saveReport(r1)
        try t.store.saveReport(r2)
        #expect(try t.store.report(id: "r-7kq2m9")?.sha256 == SHA256.hex(json))
        #expect(try t.store.report(id: "r-7kq2m9")?.imeis == ["356938035643809"])
        #expect(try t.store.latestReport()?.id == r2.id)
        #expect(try t.store.reports(imei: "356938035643809").map(\.id) == ["R-7KQ2M9"])
        #expect(try t.store.reports(imei: "353285112345673").isEmpty)
        #expect(r2.id.count == 8 && r2.id.hasPrefix("R-"))
    }

    @Test func importsEverySampleAndAnswersTheTicketBuildersQueries() throws {
        let t = try TempStore(importing: goodFixtures + ["events.csv"])
        defer { t.cleanup() }
        let c = try t.store.counts()
        #expect(c.accounts == 5)
        #expect(c.lines == 7)
        #expect(c.events == 20)
        #expect(c.cases == 8)
        #expect(try t.store.account(id: "acc-2001")?.type == .business)
        #expect(try t.store.accountFor(imei: "356938035643809")?.id == "ACC-1001")
        #expect(try t.store.accountFor(msisdn: "(206) 555-0171")?.id == "ACC-2001")
        #expect(try t.store.accountFor(iccid: "8901260444555666777")?.id == "ACC-4001")
        #expect(try t.store.accountFor(msisdn: "+19995550000") == nil)
        #expect(try t.store.lines(account: "ACC-2001").map(\.msisdn) == ["+12065550171", "+12065550172", "+12065550173"])
        let cases = try t.store.cases(account: "ACC-4001")
        #expect(cases.map(\.number) == ["CAS-91001", "CAS-91017", "CAS-91064"])
        #expect(cases.last?.status == .open)
        let since = Date(timeIntervalSince1970: TimeInterval(HistoryDate.parse("2026-11-11T00:00:00Z")!))
        let window = try t.store.events(account: "ACC-1001", since: since)
        #expect(window.map(\.kind) == [.note, .supportCase, .billing])
        #expect(try t.store.events(account: "ACC-1001").count == 7)
        let roaming = try t.store.events(account: "ACC-3001").first
        #expect(roaming?.country == "Japan")
        #expect(roaming?.endAt == Date(timeIntervalSince1970: TimeInterval(HistoryDate.parse("2026-11-17T20:00:00Z")!)))
    }

    @Test func reimportChangesNothing() throws {
        let t = try TempStore(importing: goodFixtures + ["events.csv"])
        defer { t.cleanup() }
        let before = try t.snapshot()
        for f in goodFixtures + ["events.csv"] {
            let s = try t.store.importFile(fixture(f))
            #expect(s.newEvents == 0, "\(f)")
            #expect(s.events > 0)
        }
        #expect(try t.snapshot() == before)
    }

    @Test func caseUpdatesOnReimportWithoutANewEvent() throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        let updated = String(decoding: FileManager.default.contents(atPath: fixture("consumer.json"))!, as: UTF8.self)
            .replacingOccurrences(of: #""status": "open", "summary": "No data after SIM swap", "resolution": null"#,
                                  with: #""status": "closed", "summary": "No data after SIM swap", "resolution": "APN reset", "updated": "2026-11-11T10:00:00Z""#)
        let s = try t.store.importHistory(json: Data(updated.utf8), file: "consumer-v2.json")
        #expect(s.newEvents == 0)
        let c = try t.store.supportCase(number: "cas-88231")
        #expect(c?.status == .closed)
        #expect(c?.resolution == "APN reset")
        #expect(c?.updatedAt == Date(timeIntervalSince1970: TimeInterval(HistoryDate.parse("2026-11-11T10:00:00Z")!)))
    }

    @Test func exportReimportsToTheSameHistory() throws {
        let a = try TempStore(importing: goodFixtures + ["events.csv"])
        defer { a.cleanup() }
        _ = try a.store.addCase(account: "ACC-1001", number: "CAS-88231", channel: nil, rep: nil, status: .closed,
                                summary: nil, resolution: "Fixed", at: Date(timeIntervalSince1970: 1_795_000_000))
        let exported = try a.store.exportJSON()
        let b = try TempStore()
        defer { b.cleanup() }
        _ = try b.store.importHistory(json: exported, file: "export.json")
        #expect(try b.snapshot() == a.snapshot())
        // And the CSV export of events re-imports into the same store as a no-op.
        let csv = try a.store.exportEventsCSV()
        let s = try a.store.importEvents(csv: csv, file: "export.csv")
        #expect(s.newEvents == 0)
        #expect(s.events == 20)
    }

    @Test func draftContactGetsTheCaseNumberLater() throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        let at = Date(timeIntervalSince1970: TimeInterval(HistoryDate.parse("2026-11-20T10:00:00Z")!))
        let handle = try t.store.recordDraftContact(account: "acc-1001", reportId: "R-7KQ2M9", summary: "No data after SIM swap", at: at)
        #expect(handle.hasPrefix("DRAFT-"))
        #expect(try t.store.cases(account: "ACC-1001").last?.status == .draft)
        let result = try t.store.addCase(account: "ACC-1001", number: "CAS-99001", channel: .chat, rep: "Rep 12",
                                         status: .open, summary: nil, resolution: nil,
                                         at: at.addingTimeInterval(3600))
        #expect(result.outcome == .attachedToDraft)
        #expect(result.supportCase.reportIds == ["R-7KQ2M9"])
        #expect(result.supportCase.summary == "No data after SIM swap")
        #expect(result.supportCase.openedAt == at)
        #expect(try t.store.cases(reportId: "r-7kq2m9").map(\.number) == ["CAS-99001"])
        #expect(try t.store.events(account: "ACC-1001").last?.caseNumber == "CAS-99001")
        #expect(try t.store.cases(account: "ACC-1001").allSatisfy { $0.status != .draft })
        // Without a draft, a new number is a new case; a known number is updated.
        let second = try t.store.addCase(account: "ACC-1001", number: "CAS-99002", channel: .voice, rep: nil, status: .open,
                                         summary: "Called again", resolution: nil, at: at.addingTimeInterval(7200))
        #expect(second.outcome == .created)
        let third = try t.store.addCase(account: "ACC-1001", number: "cas-99002", channel: nil, rep: "Rep 9", status: .closed,
                                        summary: nil, resolution: "Replaced SIM", at: at.addingTimeInterval(9000))
        #expect(third.outcome == .updated)
        #expect(third.supportCase.rep == "Rep 9")
        #expect(third.supportCase.channel == .voice)
    }

    @Test func addCaseAndEventRefuseBadInput() throws {
        let t = try TempStore(importing: ["consumer.json", "business.json"])
        defer { t.cleanup() }
        let before = try t.snapshot()
        let e1 = #expect(throws: TMDiagError.self) {
            try t.store.addCase(account: "ACC-0000", number: "CAS-1", channel: nil, rep: nil, status: .open, summary: nil, resolution: nil)
        }
        #expect(e1?.status == .notFound)
        #expect(e1?.message == "no account 'ACC-0000' in the store")
        let e2 = #expect(throws: TMDiagError.self) {
            try t.store.addCase(account: "ACC-2001", number: "CAS-88231", channel: nil, rep: nil, status: .open, summary: nil, resolution: nil)
        }
        #expect(e2?.status == .dataError)
        #expect(e2?.message.contains("belongs to another account") == true)
        let e3 = #expect(throws: TMDiagError.self) {
            try HistoryStore.checkEvent(fields: ["at": "2026-11-20T10:00:00Z", "kind": "sim-swap"])
        }
        #expect(e3?.status == .usage)
        #expect(e3?.message.hasPrefix("--kind: unknown kind 'sim-swap'") == true)
        let e4 = #expect(throws: TMDiagError.self) {
            try HistoryStore.checkEvent(fields: ["at": "2026-11-20T10:00:00Z", "kind": "note", "pin": "1234"])
        }
        #expect(e4?.message == "--pin: not an event field")
        let e5 = #expect(throws: TMDiagError.self) {
            try t.store.addCase(account: "ACC-1001", number: "CAS-5", channel: nil, rep: nil, status: .open,
                                summary: "password: hunter2", resolution: nil)
        }
        #expect(e5?.message.contains("looks like it holds a PIN, password or security answer") == true)
        #expect(try t.snapshot() == before)
        let ok = try HistoryStore.checkEvent(fields: ["at": "2026-11-20T10:00:00Z", "kind": "note", "summary": "Rep 4471 said wait 24h"])
        #expect(try t.store.addEvent(account: "acc-1001", ok))
        #expect(try t.store.addEvent(account: "acc-1001", ok) == false)
    }

    @Test func historyIsMaskedUnlessRevealed() throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        let h = try #require(try t.store.history(account: "ACC-1001"))
        let masked = h.masked(.none)
        let text = HistoryText.timeline(masked)
        #expect(!text.contains("356938035643809"))
        #expect(!text.contains("+12065550142"))
        #expect(text.contains("+****0142"))
        #expect(HistoryText.timeline(h.masked(.all)).contains("356938035643809"))
    }

    @Test func lookupsFindWhatALineHadBefore() throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        // The customer moves to another phone: the old IMEI stays findable as "before".
        let moved = #"{"accounts": [{"id": "ACC-1001", "type": "consumer", "holder": "Sample Holder", "plan": "Go5G Plus", "lines": [{"msisdn": "+12065550142", "imei": "354672109988772", "device": "iPhone 16 Pro"}]}]}"#
        _ = try t.store.importHistory(json: Data(moved.utf8), file: "moved.json")
        let old = try t.store.lookup(imei: "356938035643809")
        #expect(old.lines.map(\.current) == [false])
        #expect(old.eventCount == 1)
        let new = try t.store.lookup(imei: "3546 7210 9988 772")
        #expect(new.lines.map(\.current) == [true])
        _ = try t.store.importTAC(csv: Data("Brand;Marketing Name;TAC\nApple;iPhone 16 Pro;35467210\n".utf8), file: "t.csv")
        #expect(try t.store.lookup(imei: "354672109988772").model?.displayName == "Apple iPhone 16 Pro")
        let bad = #expect(throws: TMDiagError.self) { try t.store.lookup(imei: "354672109988771") }
        #expect(bad?.status == .dataError)
        #expect(bad?.message == "not a valid IMEI: the check digit (Luhn) of 35467210***8771 is wrong")
    }

    @Test func tacTablesWithoutHeaderAndWithOddNames() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let s = try t.store.importTAC(csv: Data("35693803,Google,Pixel 8\n35328511,Apple,iPhone 15\n".utf8), file: "plain.csv")
        #expect(s.tacs == 2)
        _ = try t.store.importTAC(csv: Data("Type Allocation Code\tManufacturer\tModel Name\n35290611\tSamsung\tGalaxy S24\n".utf8), file: "tabs.tsv")
        #expect(try t.store.tac(imei: "352906110000017")?.model == "Galaxy S24")
        let before = try t.snapshot()
        let e = #expect(throws: TMDiagError.self) {
            try t.store.importTAC(csv: Data("tac,brand,model\n12345678,A,B\n1234,A,B\n".utf8), file: "bad.csv")
        }
        #expect(e?.message == "bad.csv:3:1: not a TAC (expected 8 digits)")
        #expect(try t.snapshot() == before)
        #expect(try t.store.tac(imei: "123456780000000") == nil)
    }
}

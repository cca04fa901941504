import Foundation
import GRDB
import Testing
import TMDiagCore
@testable import History

/// The store contract, once for each backend: what every command relies on, whatever the
/// store is. PostgreSQL cases skip, printing why, where no test server runs.
@Suite("History store contract")
struct StoreContractTests {
    static let everything = goodFixtures + ["events.csv"]

    @Test(arguments: StoreKind.allCases)
    func importsCountAndAReimportAddsNothing(kind: StoreKind) throws {
        guard let t = try BackendStore.make(kind) else { return }
        defer { t.cleanup() }
        var first = 0
        for f in Self.everything { first += try t.store.importFile(fixture(f)).newEvents }
        let counts = try t.store.counts()
        #expect(first == counts.events)
        #expect(counts.accounts > 0 && counts.lines > 0 && counts.cases > 0)
        for f in Self.everything {
            let again = try t.store.importFile(fixture(f))
            #expect(again.newEvents == 0, "\(f)")
            #expect(again.events > 0 || again.accounts > 0, "\(f)")
        }
        #expect(try t.store.counts() == counts)
        #expect(try t.store.schemaVersion() == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func showAndLookupsFindTheAccount(kind: StoreKind) throws {
        guard let t = try BackendStore.make(kind, importing: Self.everything) else { return }
        defer { t.cleanup() }
        let store = try t.reopen()
        let h = try #require(try store.history(account: "acc-1001"))
        #expect(h.account.id == "ACC-1001")
        #expect(h.lines.map(\.msisdn) == ["+12065550142"])
        #expect(h.events.first?.kind == .planChange)
        #expect(h.cases.compactMap(\.number) == ["CAS-88231", "CAS-88300"])
        let windowed = try #require(try store.history(account: "ACC-1001", limit: 2))
        #expect(windowed.events.count == 2 && windowed.eventsInWindow == h.events.count)
        #expect(try store.accountFor(imei: "356938035643809")?.id == "ACC-1001")
        #expect(try store.accountFor(msisdn: "(206) 555-0142")?.id == "ACC-1001")
        #expect(try store.accountFor(iccid: "8901260123456789012F")?.id == "ACC-1001")
        let imei = try store.lookup(imei: "356938035643809")
        #expect(imei.lines.first?.accountId == "ACC-1001" && imei.lines.first?.current == true)
        #expect(imei.eventCount >= 1)
        let line = try store.lookup(msisdn: "+12065550142")
        #expect(line.lines.map(\.accountId) == ["ACC-1001"] && line.eventCount >= 2)
        let account = try #require(try store.lookup(account: "ACC-1001", recent: 3))
        #expect(account.recentEvents.count == 3 && account.eventCount == h.events.count)
        #expect(account.recentEvents.map(\.at) == h.events.suffix(3).map(\.at))
        let c = try #require(try store.lookup(case: "cas-88231"))
        #expect(c.supportCase.number == "CAS-88231" && c.account?.id == "ACC-1001")
        #expect(try store.imeis(matching: try #require(MaskedIMEI("35693803*******3809"))) == ["356938035643809"])
        let kinds = try store.events(account: "ACC-1001", since: nil, ofKinds: ["sim_swap"])
        #expect(kinds.map(\.kind) == [.simSwap])
        #expect(try store.account(id: "ACC-NONE") == nil)
        #expect(try store.lookup(case: "CAS-NONE") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func addCaseAddEventDraftsAndReports(kind: StoreKind) throws {
        guard let t = try BackendStore.make(kind, importing: ["consumer.json"]) else { return }
        defer { t.cleanup() }
        let s = t.store
        let report = StoredReport(id: "R-7KQ2M9", createdAt: Date(timeIntervalSince1970: 1_795_000_000),
                                  imeis: ["356938035643809"], msisdns: ["+12065550142"], json: Data(#"{"x":1}"#.utf8))
        try s.saveReport(report)
        try s.saveReport(report)
        #expect(try s.report(id: "r-7kq2m9")?.json == report.json)
        #expect(try s.reports(imei: "356938035643809").map(\.id) == ["R-7KQ2M9"])
        #expect(try s.latestReport()?.id == "R-7KQ2M9")
        let draftAt = Date(timeIntervalSince1970: 1_795_000_050)
        let draft = try s.recordDraftContact(account: "ACC-1001", reportId: "R-7KQ2M9", summary: "No data", at: draftAt)
        #expect(draft.hasPrefix("DRAFT-"))
        #expect(try s.recordDraftContact(account: "ACC-1001", reportId: "R-7KQ2M9", summary: "Still no data", at: draftAt) == draft)
        #expect(try s.supportCase(handle: draft)?.summary == "Still no data")
        let attached = try s.addCase(account: "ACC-1001", number: "CAS-90001", channel: .voice, rep: "Rep 9", status: .open,
                                     summary: nil, resolution: nil, at: Date(timeIntervalSince1970: 1_795_000_100))
        #expect(attached.outcome == .attachedToDraft)
        #expect(attached.supportCase.reportIds == ["R-7KQ2M9"])
        let updated = try s.addCase(account: "acc-1001", number: "cas-90001", channel: nil, rep: nil, status: .closed,
                                    summary: nil, resolution: "Fixed", at: Date(timeIntervalSince1970: 1_795_000_200))
        #expect(updated.outcome == .updated && updated.supportCase.status == .closed)
        let created = try s.addCase(account: "ACC-1001", number: "CAS-90002", channel: .chat, rep: nil, status: .open,
                                    summary: "Another", resolution: nil, at: Date(timeIntervalSince1970: 1_795_000_300))
        #expect(created.outcome == .created)
        let e = #expect(throws: TMDiagError.self) {
            try s.addCase(account: "ACC-NONE", number: "CAS-1", channel: nil, rep: nil, status: .open, summary: nil, resolution: nil)
        }
        #expect(e?.status == .notFound)
        var note = EventInput(at: 1_795_000_400, kind: .note, summary: "Rep said to wait")
        note.msisdn = "+12065550142"
        #expect(try s.addEvent(account: "ACC-1001", note) == true)
        #expect(try s.addEvent(account: "ACC-1001", note) == false)
        #expect(try s.cases(reportId: "R-7KQ2M9").compactMap(\.number) == ["CAS-90001"])
        try s.linkReport("R-7KQ2M9", toCase: "CAS-90002")
        #expect(try s.supportCase(number: "CAS-90002")?.reportIds == ["R-7KQ2M9"])
        let h = try #require(try s.history(account: "ACC-1001"))
        #expect(h.events.contains { $0.summary == "Rep said to wait" })
        #expect(h.cases.compactMap(\.number) == ["CAS-88231", "CAS-90001", "CAS-90002"])
    }

    @Test(arguments: StoreKind.allCases)
    func exportRoundTrips(kind: StoreKind) throws {
        guard let t = try BackendStore.make(kind, importing: Self.everything) else { return }
        defer { t.cleanup() }
        let json = try t.store.exportJSON()
        let csv = try t.store.exportEventsCSV()
        guard let copy = try BackendStore.make(kind) else { return }
        defer { copy.cleanup() }
        let file = t.dir.appendingPathComponent("export.json").path
        #expect(FileManager.default.createFile(atPath: file, contents: json))
        _ = try copy.store.importFile(file)
        #expect(try copy.store.exportJSON() == json)
        #expect(try copy.store.exportEventsCSV() == csv)
        #expect(try copy.store.counts().events == t.store.counts().events)
    }

    @Test(arguments: StoreKind.allCases, ImportTests.badFiles.map(\.0))
    func aBadFileLeavesTheStoreAsItWas(kind: StoreKind, file: String) throws {
        guard let t = try BackendStore.make(kind, importing: ["consumer.json"]) else { return }
        defer { t.cleanup() }
        let before = try t.snapshot()
        let error = #expect(throws: TMDiagError.self) { try t.store.importFile(fixture(file)) }
        #expect(error?.status == .dataError)
        #expect(try t.snapshot() == before)
    }

    @Test(arguments: StoreKind.allCases)
    func aFailureFoundWhileWritingRollsBack(kind: StoreKind) throws {
        guard let t = try BackendStore.make(kind, importing: ["consumer.json"]) else { return }
        defer { t.cleanup() }
        let before = try t.snapshot()
        let doc = #"{"accounts": [{"id": "ACC-9", "type": "consumer", "lines": [{"msisdn": "+12065550111"}], "events": [{"at": "2026-11-01T00:00:00Z", "kind": "note", "summary": "first"}, {"at": "2026-11-02T00:00:00Z", "kind": "support_case", "case": "CAS-88231", "channel": "chat", "status": "open"}]}]}"#
        let e = #expect(throws: TMDiagError.self) { try t.store.importHistory(json: Data(doc.utf8), file: "steal.json") }
        #expect(e?.message == "steal.json: accounts[0].events[1]: case CAS-88231 is already stored for another account")
        #expect(try t.snapshot() == before)
        let csv = "account,at,kind,summary\nACC-1001,2026-12-01T00:00:00Z,note,kept?\nACC-1001,2026-12-02T00:00:00Z,note,\"PIN is 1234\"\n"
        #expect(throws: TMDiagError.self) { try t.store.importEvents(csv: Data(csv.utf8), file: "e.csv") }
        #expect(try t.snapshot() == before)
    }

    /// More events than one write batch (PostgreSQL sends 5,000 at a time while it gathers the
    /// next), with text that array-literal or SQL syntax would misread: stored as written. A
    /// fault the database finds after several batches went out undoes all of them.
    @Test(arguments: StoreKind.allCases)
    func manyBatchesOfAwkwardTextAreStoredAsWrittenOrNotAtAll(kind: StoreKind) throws {
        guard let t = try BackendStore.make(kind, importing: ["consumer.json"]) else { return }
        defer { t.cleanup() }
        let awkward = [#"quote " and backslash \ end"#, #"{"a","b\"}"#, "NULL", "comma, brace } { and 'single' $1",
                       "ünïcødé ☎ 📶", #"\"#, "two  spaces  inside"]
        func document(stealing: Bool) throws -> Data {
            var accounts: [[String: Any]] = (0..<4).map { a in
                let events: [[String: Any]] = (0..<3_000).map { i in
                    var e: [String: Any] = ["at": Timestamp.format(Date(timeIntervalSince1970: TimeInterval(1_780_000_000 + i * 60))),
                                            "kind": "note", "summary": "\(awkward[i % awkward.count]) #\(i)"]
                    if i % 700 == 0 {
                        e.merge(["kind": "support_case", "case": "CAS-B\(a)-\(i)", "channel": "chat", "status": "open",
                                 "reports": ["R-\(a)-\(i)", "R-SHARED"]]) { $1 }
                    }
                    return e
                }
                return ["id": "ACC-B\(a)", "type": "consumer", "events": events]
            }
            if stealing {
                accounts.append(["id": "ACC-THIEF", "type": "consumer", "events": [
                    ["at": "2026-11-02T00:00:00Z", "kind": "support_case", "case": "CAS-88231", "channel": "chat", "status": "open"]]])
            }
            return try JSONSerialization.data(withJSONObject: ["accounts": accounts])
        }
        let before = try t.snapshot()
        let e = #expect(throws: TMDiagError.self) { try t.store.importHistory(json: try document(stealing: true), file: "steal.json") }
        #expect(e?.message == "steal.json: accounts[4].events[0]: case CAS-88231 is already stored for another account")
        #expect(try t.snapshot() == before)

        let summary = try t.store.importHistory(json: try document(stealing: false), file: "awkward.json")
        #expect(summary.events == 12_000 && summary.newEvents == 12_000 && summary.cases == 20)
        #expect(try t.store.supportCase(number: "cas-b3-2800")?.reportIds == ["R-3-2800", "R-SHARED"])
        for a in 0..<4 {
            let h = try #require(try t.store.history(account: "ACC-B\(a)"))
            let wrong = zip(h.events.map(\.summary), (0..<3_000).map { "\(awkward[$0 % awkward.count]) #\($0)" }).filter { $0 != $1 }
            #expect(h.events.count == 3_000 && wrong.isEmpty, "ACC-B\(a): \(wrong.prefix(3))")
        }
        #expect(try t.store.importHistory(json: try document(stealing: false), file: "again.json").newEvents == 0)
    }

    /// An account whose id and type come before its events is written in pieces as its events
    /// are read (memory does not grow with the account); one whose events come first is held
    /// whole. Either way the store ends the same, fields after the events included, and an
    /// error deep in the events names its place.
    @Test(arguments: StoreKind.allCases)
    func anAccountStreamsWhenItsIdComesFirst(kind: StoreKind) throws {
        func document(idFirst: Bool, badAt: Int? = nil) -> Data {
            let events = (0..<10_000).map { i in
                i == badAt ? #"{"at": "2026-02-30", "kind": "note"}"#
                    : #"{"at": "\#(Timestamp.format(Date(timeIntervalSince1970: TimeInterval(1_780_000_000 + i * 60))))", "kind": "\#(i % 500 == 0 ? "support_case\", \"case\": \"CAS-S\(i)\", \"channel\": \"chat\", \"status\": \"open" : "note")", "summary": "n\#(i)"}"#
            }.joined(separator: ",")
            let head = #""id": "ACC-S1", "type": "consumer""#
            let tail = #""holder": "Late Holder", "plan": "Late Plan", "lines": [{"msisdn": "+12065550170"}, {"msisdn": "+12065550171"}]"#
            let small = #"{"id": "ACC-S2", "type": "business", "events": [{"at": "2026-01-01", "kind": "note", "summary": "s"}]}"#
            let big = idFirst ? #"{\#(head), "events": [\#(events)], \#(tail)}"#
                : #"{"events": [\#(events)], \#(head), \#(tail)}"#
            return Data(#"{"accounts": [\#(big), \#(small)]}"#.utf8)
        }
        guard let streamed = try BackendStore.make(kind), let whole = try BackendStore.make(kind) else { return }
        defer { streamed.cleanup(); whole.cleanup() }
        let a = try streamed.store.importHistory(json: document(idFirst: true), file: "s.json")
        let b = try whole.store.importHistory(json: document(idFirst: false), file: "w.json")
        #expect([a.accounts, a.lines, a.events, a.newEvents, a.cases] == [2, 2, 10_001, 10_001, 20] as [Int])
        #expect(b.accounts == a.accounts && b.lines == a.lines && b.events == a.events && b.cases == a.cases)
        #expect(try streamed.store.exportJSON() == whole.store.exportJSON())
        let h = try #require(try streamed.store.history(account: "ACC-S1"))
        #expect(h.account.holder == "Late Holder" && h.lines.map(\.msisdn) == ["+12065550170", "+12065550171"])
        #expect(try streamed.store.importHistory(json: document(idFirst: true), file: "again.json").newEvents == 0)

        let before = try whole.snapshot()
        let e = #expect(throws: TMDiagError.self) { try whole.store.importHistory(json: document(idFirst: true, badAt: 9_000), file: "bad.json") }
        #expect(e?.message.hasPrefix("bad.json: accounts[0].events[9000].at:") == true, "\(e?.message ?? "")")
        #expect(try whole.snapshot() == before)
        // A field twice in an account would mean different things streamed and whole: refused.
        let twice = Data(#"{"accounts": [{"id": "ACC-S3", "type": "consumer", "events": [], "type": "business"}]}"#.utf8)
        let e2 = #expect(throws: TMDiagError.self) { try whole.store.importHistory(json: twice, file: "twice.json") }
        #expect(e2?.message == "twice.json: accounts[0].type: duplicate field", "\(e2?.message ?? "")")
    }

    /// The same imports give the same answers on PostgreSQL as on SQLite (row ids aside).
    @Test func postgresAnswersAsSQLiteDoes() throws {
        guard let pg = try BackendStore.make(.postgres, importing: Self.everything),
              let lite = try BackendStore.make(.sqlite, importing: Self.everything) else { return }
        defer { pg.cleanup(); lite.cleanup() }
        #expect(try pg.store.exportJSON() == lite.store.exportJSON())
        #expect(try pg.store.counts() == lite.store.counts())
        for a in try lite.store.backend.accounts().map(\.id) {
            let x = try #require(try pg.store.history(account: a)), y = try #require(try lite.store.history(account: a))
            #expect(HistoryText.timeline(x) == HistoryText.timeline(y), "\(a)")
            #expect(x.events.map(\.withoutId) == y.events.map(\.withoutId))
            #expect(x.cases.map(\.withoutId) == y.cases.map(\.withoutId))
            #expect(x.lines.map(\.withoutId) == y.lines.map(\.withoutId))
        }
        for imei in ["356938035643809"] {
            #expect(HistoryText.imei(try pg.store.lookup(imei: imei)) == HistoryText.imei(try lite.store.lookup(imei: imei)))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aStoreFromANewerTMDiagIsRefused(kind: StoreKind) throws {
        guard let t = try BackendStore.make(kind) else { return }
        defer { t.cleanup() }
        switch kind {
        case .sqlite:
            let q = try DatabaseQueue(path: t.location)
            try q.write { db in try db.execute(sql: "PRAGMA user_version = 7") }
        case .postgres:
            #expect(try TestPostgres.psql("INSERT INTO tmdiag_schema_version (version) VALUES (7);", database: t.database!).status == 0)
        }
        let error = #expect(throws: TMDiagError.self) { try t.reopen(create: true) }
        #expect(error?.status == .dataError)
        #expect(error?.message.contains("has schema version 7, newer than this tmdiag understands (1)") == true, "\(error?.message ?? "")")
    }

    @Test func aForeignPostgresDatabaseIsLeftAsItIs() throws {
        guard TestPostgres.available else { print("skipped: \(TestPostgres.skipReason.rawValue)"); return }
        let db = try TestPostgres.emptyDatabase()
        defer { TestPostgres.drop(db) }
        #expect(try TestPostgres.psql("CREATE TABLE notes (t text); INSERT INTO notes VALUES ('keep');", database: db).status == 0)
        let error = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: TestPostgres.url(database: db)) }
        #expect(error?.status == .dataError)
        #expect(error?.message.contains("is a PostgreSQL database but not a tmdiag store") == true)
        #expect(try TestPostgres.psql("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public';", database: db).out == "notes")
        // An empty database is no store to read, and opening it to read leaves it empty.
        let empty = try TestPostgres.emptyDatabase()
        defer { TestPostgres.drop(empty) }
        #expect(try HistoryStore.openIfPresent(path: TestPostgres.url(database: empty)) == nil)
        let e2 = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: TestPostgres.url(database: empty), create: false) }
        #expect(e2?.status == .notFound)
    }
}

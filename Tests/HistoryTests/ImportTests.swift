import Foundation
@testable import History
import Testing
import TMDiagCore

@Suite("History import: bad input")
struct ImportTests {
    /// Each bad sample, with the exact failure it must give. The store already holds the
    /// consumer sample; after the failure it must be exactly as it was.
    static let badFiles: [(String, String)] = [
        ("bad/truncated.json", "bad/truncated.json: not valid JSON"),
        ("bad/not-object.json", "bad/not-object.json: (top level): must be an object, not an array"),
        ("bad/wrong-type.json", "bad/wrong-type.json: accounts[0].lines[0].msisdn: must be a string, not a number"),
        ("bad/unknown-kind.json", "bad/unknown-kind.json: accounts[0].events[1].kind: unknown kind 'sim_swapped'; expected one of plan_change, sim_swap,"),
        ("bad/unknown-channel.json", "accounts[0].events[0].channel: unknown channel 'pigeon'; expected one of voice, chat, email, social, app, store"),
        ("bad/impossible-date.json", "accounts[0].events[0].at: not a possible ISO 8601 time: '2026-02-30T10:00:00Z'"),
        ("bad/duplicate-account.json", "accounts[1].id: duplicate account id 'acc-7004' (first at accounts[0])"),
        ("bad/duplicate-case.json", "accounts[0].events[1].case: duplicate case 'cas-1' (first at accounts[0].events[0])"),
        ("bad/bad-imei.json", "accounts[0].lines[0].imei: not a valid IMEI: the check digit (Luhn) is wrong"),
        ("bad/bad-msisdn.json", "accounts[0].lines[0].msisdn: not a phone number"),
        ("bad/secret-pin.json", "accounts[0].account_pin: field 'account_pin' looks like a secret"),
        ("bad/secret-nested.json", "accounts[0].events[0].extra.securityAnswer: field 'securityAnswer' looks like a secret"),
        ("bad/secret-in-text.json", "accounts[0].events[0].summary: looks like it holds a PIN, password or security answer"),
        ("bad/unknown-field.json", "accounts[0].events[0].sumary: unknown field (expected one of"),
        ("bad/invalid-utf8.json", "bad/invalid-utf8.json:1:69: invalid UTF-8 (byte 0xFF)"),
        ("bad/unknown-kind.csv", "bad/unknown-kind.csv:3:3: kind: unknown kind 'outrage'"),
        ("bad/unterminated.csv", "bad/unterminated.csv:2: a quoted field is not closed"),
        ("bad/secret-column.csv", "bad/secret-column.csv:1:5: column 'password' looks like a secret"),
        ("bad/wrong-width.csv", "bad/wrong-width.csv:2: expected 4 fields as in the header, found 3"),
        ("bad/no-tac-column.csv", "bad/no-tac-column.csv:1:1: unknown column 'brand'"),
    ]

    @Test(arguments: badFiles)
    func badFileIsRefusedAndTheStoreIsUnchanged(file: String, expected: String) throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        let before = try t.snapshot()
        let error = #expect(throws: TMDiagError.self) { try t.store.importFile(fixture(file)) }
        #expect(error?.status == .dataError)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
        // The message names the file.
        #expect(error?.message.hasPrefix(fixture(file)) == true)
        #expect(try t.snapshot() == before)
    }

    @Test func aFailureAfterRowsWereWrittenRollsEverythingBack() throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        let before = try t.snapshot()
        // ACC-9 is new and valid; its case number is already ACC-1001's: found while writing.
        let doc = #"{"accounts": [{"id": "ACC-9", "type": "consumer", "lines": [{"msisdn": "+12065550111"}], "events": [{"at": "2026-11-01T00:00:00Z", "kind": "note", "summary": "first"}, {"at": "2026-11-02T00:00:00Z", "kind": "support_case", "case": "CAS-88231", "channel": "chat", "status": "open"}]}]}"#
        let e = #expect(throws: TMDiagError.self) { try t.store.importHistory(json: Data(doc.utf8), file: "steal.json") }
        #expect(e?.status == .dataError)
        #expect(e?.message == "steal.json: accounts[0].events[1]: case CAS-88231 is already stored for another account")
        #expect(try t.snapshot() == before)
        #expect(try t.store.account(id: "ACC-9") == nil)
        // CSV rows are written as they are read; a bad last row takes the good ones back out.
        let csv = "account,at,kind,summary\nACC-1001,2026-12-01T00:00:00Z,note,kept?\nACC-1001,2026-12-02T00:00:00Z,note,\"PIN is 1234\"\n"
        let e2 = #expect(throws: TMDiagError.self) { try t.store.importEvents(csv: Data(csv.utf8), file: "e.csv") }
        #expect(e2?.message == "e.csv:3:4: summary: looks like it holds a PIN, password or security answer; tmdiag never stores those — remove it")
        #expect(try t.snapshot() == before)
    }

    @Test func csvNeedsItsAccountsFirst() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let e = #expect(throws: TMDiagError.self) { try t.store.importFile(fixture("events.csv")) }
        #expect(e?.status == .dataError)
        #expect(e?.message == "\(fixture("events.csv")):2:1: account: no account 'ACC-1001' in the store; import the accounts (JSON) first")
        #expect(try t.store.counts().events == 0)
    }

    @Test func errorsNeverRepeatIdentifiers() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let docs = [
            #"{"accounts": [{"id": "A1", "type": "consumer", "lines": [{"msisdn": "+12065550142", "imei": "356938035643808"}]}]}"#,
            #"{"accounts": [{"id": "A1", "type": "consumer", "lines": [{"msisdn": "+12065550142", "iccid": "1201260123456789012"}]}]}"#,
            #"{"accounts": [{"id": "A1", "type": "consumer", "lines": [{"msisdn": "12065550142x"}]}]}"#,
        ]
        for d in docs {
            let e = #expect(throws: TMDiagError.self) { try t.store.importHistory(json: Data(d.utf8), file: "f.json") }
            for id in ["356938035643808", "1201260123456789012", "12065550142"] {
                #expect(e?.message.contains(id) == false)
            }
        }
    }

    @Test func wrongTypesAreNamed() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let cases: [(String, String)] = [
            (#"{"accounts": {"id": "A"}}"#, "f.json: accounts: must be an array, not an object"),
            (#"{"accounts": [{"id": "A", "type": true}]}"#, "f.json: accounts[0].type: must be a string, not a boolean"),
            (#"{"accounts": [{"id": "A", "type": "consumer", "events": [{"at": 1700000000, "kind": "note"}]}]}"#,
             "f.json: accounts[0].events[0].at: must be a string, not a number"),
            (#"{"accounts": [{"type": "consumer"}]}"#, "f.json: accounts[0].id: missing (required)"),
            (#"{"accounts": [{"id": "A", "type": "household"}]}"#, "f.json: accounts[0].type: unknown account type 'household'; expected one of consumer, business"),
            (#"{"accounts": [{"id": "A", "type": "consumer", "events": [{"at": "2026-11-02T10:00:00Z", "kind": "support_case", "channel": "chat", "status": "open"}]}]}"#,
             "f.json: accounts[0].events[0].case: missing (required)"),
            (#"{"accounts": [{"id": "A", "type": "consumer", "events": [{"at": "2026-11-02T10:00:00Z", "kind": "note", "status": "open"}]}]}"#,
             "f.json: accounts[0].events[0].status: only support_case events have 'status' (this one is note)"),
            (#"{"accounts": [{"id": "A", "type": "consumer", "events": [{"at": "2026-11-02T10:00:00Z", "kind": "support_case", "case": "C-1", "channel": "chat", "status": "draft"}]}]}"#,
             "f.json: accounts[0].events[0].status: unknown status 'draft'; expected one of open, closed, escalated"),
            (#"{"accounts": [{"id": "A", "type": "consumer", "lines": [{"msisdn": "+12065550100"}, {"msisdn": "206-555-0100"}]}]}"#,
             "f.json: accounts[0].lines[1].msisdn: duplicate line: the same number is already at accounts[0].lines[0]"),
        ]
        for (doc, expected) in cases {
            let e = #expect(throws: TMDiagError.self) { try t.store.importHistory(json: Data(doc.utf8), file: "f.json") }
            #expect(e?.status == .dataError)
            #expect(e?.message == expected || e?.message.hasPrefix(expected) == true, "\(e?.message ?? "")")
        }
        #expect(try t.store.counts().accounts == 0)
    }

    @Test func aFiftyMegabyteFileImports() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        // ~50 MB: 16,000 events with 3,000-character summaries on 16 accounts.
        let filler = String(repeating: "Customer reports intermittent data. ", count: 83)
        var doc = #"{"accounts": ["#
        for a in 0..<16 {
            if a > 0 { doc += "," }
            doc += #"{"id": "BIG-\#(a)", "type": "consumer", "events": ["#
            for i in 0..<1000 {
                if i > 0 { doc += "," }
                doc += #"{"at": "2026-\#(String(format: "%02d", i % 12 + 1))-01T00:00:\#(String(format: "%02d", i % 60))Z", "kind": "note", "summary": "\#(i) \#(filler)"}"#
            }
            doc += "]}"
        }
        doc += "]}"
        let data = Data(doc.utf8)
        #expect(data.count > 48_000_000)
        let s = try t.store.importHistory(json: data, file: "big.json")
        #expect(s.events == 16_000)
        #expect(s.newEvents == 16_000)
        #expect(try t.store.counts().events == 16_000)
    }

    @Test func anOversizedFieldFailsCleanly() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let doc = #"{"accounts": [{"id": "A", "type": "consumer", "holder": "\#(String(repeating: "x", count: 5_000_000))"}]}"#
        let e = #expect(throws: TMDiagError.self) { try t.store.importHistory(json: Data(doc.utf8), file: "huge.json") }
        #expect(e?.message == "huge.json: accounts[0].holder: too long (5000000 characters; at most 200)")
        #expect(try t.store.counts().accounts == 0)
    }
}

@Suite("History validation")
struct ValidationTests {
    @Test func strictDates() {
        #expect(HistoryDate.parse("2026-11-02T14:05:00Z") == 1_793_628_300)
        #expect(HistoryDate.parse("2026-11-02T15:05:00+01:00") == 1_793_628_300)
        #expect(HistoryDate.parse("2026-11-02T14:05Z") == 1_793_628_300)
        #expect(HistoryDate.parse("2026-11-02T14:05:00.250Z") == 1_793_628_300)
        #expect(HistoryDate.parse("2026-11-02") == 1_793_577_600)
        #expect(HistoryDate.parse("2028-02-29") != nil)
        for bad in ["2026-02-29", "2026-02-30T10:00:00Z", "2026-13-01", "2026-11-02T24:00:00Z", "2026-11-02T10:61:00Z",
                    "2026-11-02T10:00:00", "1969-12-31", "2026-11-2", "yesterday", "", "2026-11-02T10:00:00Zjunk"] {
            #expect(HistoryDate.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func secretFieldNames() {
        for name in ["pin", "PIN", "account_pin", "accountPin", "sim-puk", "passcode", "password", "userPassword", "security_answer",
                     "securityAnswer", "secret", "ssn", "SSN_last4", "cvv"] {
            #expect(SecretFields.isSecret(fieldName: name), "\(name)")
        }
        for name in ["id", "plan", "pinned", "spinner", "summary", "passenger", "imei", "case", "shipping"] {
            #expect(!SecretFields.isSecret(fieldName: name), "\(name)")
        }
    }

    @Test func secretsInText() {
        #expect(SecretFields.textCarriesSecret("customer PIN is 4821"))
        #expect(SecretFields.textCarriesSecret("password: hunter2"))
        #expect(SecretFields.textCarriesSecret("PUK=12345678"))
        #expect(!SecretFields.textCarriesSecret("SIM asks for PIN; customer does not know it"))
        #expect(!SecretFields.textCarriesSecret("PIN is locked"))
        #expect(!SecretFields.textCarriesSecret("spinning wheel on the app"))
    }
}

@Suite("History import: large batches")
struct BulkImportTests {
    static func csv(rows: Int, from start: Int = 0, extra: String = "") -> Data {
        var s = "account,at,kind,msisdn,summary\n"
        for i in start..<(start + rows) {
            s += "ACC-1001,2025-01-01T00:00:00Z,note,+12065550142,bulk event \(i)\n"
        }
        return Data((s + extra).utf8)
    }

    @Test func aLargeBatchSkipsRepeatsAndKeepsItsIndexes() throws {
        let t = try TempStore(importing: ["consumer.json", "events.csv"])
        defer { t.cleanup() }
        // 60,000 rows (bulk mode), one repeated inside the file and one already stored.
        let stored = "ACC-1001,2026-11-11T10:00:00Z,note,+12065550142,\"Customer says data drops, \"\"sometimes\"\" works\"\n"
        let data = Self.csv(rows: 60_000, extra: "ACC-1001,2025-01-01T00:00:00Z,note,+12065550142,bulk event 7\n" + stored)
        let s = try t.store.importEvents(csv: data, file: "bulk.csv")
        #expect(s.events == 60_002)
        #expect(s.newEvents == 60_000)
        #expect(try t.store.counts().events == 60_007)
        // Re-importing adds nothing, and the natural key is enforced again afterwards.
        let again = try t.store.importEvents(csv: data, file: "bulk.csv")
        #expect(again.newEvents == 0)
        #expect(try t.store.counts().events == 60_007)
        #expect(try t.store.lookup(msisdn: "+12065550142").eventCount == 60_003)
    }

    /// One account's JSON document with events `range`; every event's summary is padded so
    /// that 60,000 of them make a file a bulk import expects more than 50,000 events of.
    static func json(events range: Range<Int>, extra: [Int] = []) -> Data {
        let padding = String(repeating: "x", count: 60)
        let events = (Array(range) + extra).map {
            #"{"at": "2025-01-01T00:00:\#(String(format: "%02d", $0 % 60))Z", "kind": "note", "summary": "bulk \#($0) \#(padding)"}"#
        }
        return Data((#"{"accounts": [{"id": "BULK-1", "type": "consumer", "events": ["# + events.joined(separator: ",\n") + "]}]}").utf8)
    }

    @Test func aLargeJSONBatchStoresEachEventOnce() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        // Five events stored first (a small import), then 60,000 of which those five and two
        // more repeated inside the file.
        #expect(try t.store.importHistory(json: Self.json(events: 0..<5), file: "small.json").newEvents == 5)
        let data = Self.json(events: 0..<60_000, extra: [7, 59_999])
        #expect(JSONImporter.expectedEvents(bytes: data.count) >= ImportWriter.bulkThreshold)
        let s = try t.store.importHistory(json: data, file: "bulk.json")
        #expect(s.events == 60_002)
        #expect(s.newEvents == 59_995)
        #expect(try t.store.counts().events == 60_000)
        let again = try t.store.importHistory(json: data, file: "bulk.json")
        #expect(again.newEvents == 0)
        #expect(try t.store.counts().events == 60_000)
    }

    @Test func aLargeBatchIntoAnEmptyStoreStoresARepeatOnce() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let data = Self.json(events: 0..<60_000, extra: [0, 30_000, 30_000])
        let s = try t.store.importHistory(json: data, file: "bulk.json")
        #expect(s.events == 60_003)
        #expect(s.newEvents == 60_000)
        #expect(try t.store.counts().events == 60_000)
        // The natural key is enforced again: a small import of a stored event adds nothing.
        #expect(try t.store.importHistory(json: Self.json(events: 29_999..<30_001), file: "small.json").newEvents == 0)
    }

    @Test func aFailingLargeBatchLeavesTheStoreAsItWas() throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        let before = try t.snapshot()
        let data = Self.csv(rows: 60_000, extra: "ACC-1001,2025-13-01T00:00:00Z,note,,bad month\n")
        let e = #expect(throws: TMDiagError.self) { try t.store.importEvents(csv: data, file: "bulk.csv") }
        #expect(e?.message.hasPrefix("bulk.csv:60002:2: at: not a possible ISO 8601 time") == true)
        #expect(try t.snapshot() == before)
        // The indexes dropped for the batch are back: a re-import of a stored event is a no-op.
        let s = try t.store.importFile(fixture("consumer.json"))
        #expect(s.newEvents == 0)
    }
}

import Foundation
import Testing
import TMDiagCore
@testable import History

/// Agents of a team share a store: imports of overlapping files at the same time, each in its
/// own process (here: its own connection), while others look up, store every event and case
/// exactly once.
@Suite("History store: concurrent imports")
struct ConcurrentImportTests {
    /// Events [from, to) on 16 accounts, every 50th a support case, as the JSON document.
    static func document(_ range: Range<Int>) -> Data {
        var accounts: [String: [String]] = [:]
        for i in range {
            let stamp = Timestamp.format(Date(timeIntervalSince1970: TimeInterval(1_790_000_000 + i * 60)))
            let msisdn = "+1206555\(String(format: "%04d", i % 100))"
            let event = i % 50 == 0
                ? #"{"at": "\#(stamp)", "kind": "support_case", "case": "CAS-C\#(i)", "channel": "chat", "status": "open", "msisdn": "\#(msisdn)"}"#
                : #"{"at": "\#(stamp)", "kind": "note", "summary": "event \#(i)", "msisdn": "\#(msisdn)"}"#
            accounts["CC-\(i % 16)", default: []].append(event)
        }
        let body = accounts.keys.sorted().map { id in
            #"{"id": "\#(id)", "type": "consumer", "events": [\#(accounts[id]!.joined(separator: ","))]}"#
        }
        return Data((#"{"accounts": ["# + body.joined(separator: ",") + "]}").utf8)
    }

    @Test func eightImportersAndThirtyTwoLookupsStoreEachEventOnce() async throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let path = t.path
        // Importer k: events [k*500, k*500 + 1500), overlapping the next two importers'.
        let documents = (0..<8).map { k in Self.document((k * 500)..<(k * 500 + 1_500)) }
        let failures = await withTaskGroup(of: String?.self) { group in
            for (k, doc) in documents.enumerated() {
                group.addTask {
                    do {
                        let store = try HistoryStore.open(path: path)
                        _ = try store.importHistory(json: doc, file: "importer-\(k).json")
                        return nil
                    } catch { return "importer \(k): \(error)" }
                }
            }
            for i in 0..<32 {
                group.addTask {
                    do {
                        let store = try HistoryStore.open(path: path, create: false)
                        _ = try store.lookup(msisdn: "+1206555\(String(format: "%04d", i))")
                        return nil
                    } catch { return "lookup \(i): \(error)" }
                }
            }
            var all: [String] = []
            for await f in group { if let f { all.append(f) } }
            return all
        }
        #expect(failures.isEmpty, "\(failures)")
        let counts = try t.store.counts()
        #expect(counts.events == 7 * 500 + 1_500)
        #expect(counts.cases == (7 * 500 + 1_500) / 50)
        #expect(counts.accounts == 16)
    }
}

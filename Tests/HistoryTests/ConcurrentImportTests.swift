import Foundation
import Testing
import TMDiagCore
@testable import History

/// Agents of a team share a store: imports of overlapping files at the same time, each in its
/// own process (here: its own connection), while others look up, store every event and case
/// exactly once. Once for each backend.
@Suite("History store: concurrent imports")
struct ConcurrentImportTests {
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


    /// Eight importers of overlapping files and 32 lookups at once, each with its own store
    /// handle (as separate tmdiag processes would have): every event and case stored once.
    @Test(arguments: StoreKind.allCases)
    func eightImportersAndThirtyTwoLookupsStoreEachEventOnce(kind: StoreKind) async throws {
        guard let t = try BackendStore.make(kind) else { return }
        defer { t.cleanup() }
        let location = t.location
        // Importer k: events [k*500, k*500 + 1500), overlapping the next two importers'.
        let documents = (0..<8).map { k in Self.document((k * 500)..<(k * 500 + 1_500)) }
        let failures = await withTaskGroup(of: String?.self) { group in
            for (k, doc) in documents.enumerated() {
                group.addTask {
                    do {
                        _ = try HistoryStore.open(path: location).importHistory(json: doc, file: "importer-\(k).json")
                        return nil
                    } catch { return "importer \(k): \(error)" }
                }
            }
            for i in 0..<32 {
                group.addTask {
                    do {
                        _ = try HistoryStore.open(path: location, create: false).lookup(msisdn: "+1206555\(String(format: "%04d", i))")
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
        // Each importer of a file already stored adds nothing.
        #expect(try t.store.importHistory(json: documents[3], file: "again.json").newEvents == 0)
    }
}

import Foundation
import GRDB
import Testing
import TMDiagCore
@testable import History

/// One event shape: the columns an import writes, the row the store reads and the CSV an
/// export writes all come from one list each, and those lists agree with the frozen schema.
@Suite("Event shape")
struct EventShapeTests {
    @Test func theWrittenColumnsAreTheEventTableWithoutItsRowId() throws {
        let s = try TempStore()
        defer { s.cleanup() }
        let queue = try DatabaseQueue(path: s.path)
        let columns = try queue.read { db in try db.columns(in: "serviceEvent").map(\.name) }
        #expect(columns == ["id"] + ServiceEvent.writtenColumns)
    }

    @Test func anEventsStoredValuesFollowTheWrittenColumns() {
        var e = EventInput(at: 1_700_000_000, kind: .outage, summary: "Site down")
        e.endAt = 1_700_003_600
        e.area = "Spokane"
        let values = e.storedValues(accountId: "ACC-1", fingerprint: 42)
        #expect(values.count == ServiceEvent.writtenColumns.count)
        let named = Dictionary(uniqueKeysWithValues: zip(ServiceEvent.writtenColumns, values))
        #expect(named["accountId"] == .text("ACC-1"))
        #expect(named["at"] == .integer(1_700_000_000))
        #expect(named["endAt"] == .integer(1_700_003_600))
        #expect(named["kind"] == .text("outage"))
        #expect(named["area"] == .text("Spokane"))
        #expect(named["msisdn"] == .text(nil))
        #expect(named["fingerprint"] == .integer(42))
    }

    @Test func theExportedCSVHeaderIsTheImportersColumnList() throws {
        let s = try TempStore(importing: goodFixtures)
        defer { s.cleanup() }
        let csv = String(decoding: try s.store.exportEventsCSV(), as: UTF8.self)
        let header = csv.split(separator: "\n", maxSplits: 1).first.map(String.init)
        #expect(header == EventField.csvColumns.joined(separator: ","))
        #expect(Set(EventField.csvColumns) == CSVEventImporter.columns)
    }

    @Test func anEventReadBackFromTheStoreIsTheEventThatWentIn() throws {
        let s = try TempStore(importing: ["consumer.json"])
        defer { s.cleanup() }
        let account = try #require(try s.store.history(account: "ACC-1001")?.account.id)
        var e = EventInput(at: 1_790_000_000, kind: .roaming, summary: "Trip")
        e.endAt = 1_790_086_400
        e.country = "JP"
        e.msisdn = "+15095550101"
        #expect(try s.store.addEvent(account: account, e))
        let stored = try #require(try s.store.events(account: account).first { $0.kind == .roaming && $0.country == "JP" })
        #expect(EventInput(stored, case: nil) == e)
    }

    /// A stored event in JSON (`history show --json`, lookups, a ticket bundle) keeps the row's
    /// column names, and reads back as the same event.
    @Test func aStoredEventsJSONUsesTheRowsColumnNames() throws {
        var e = EventInput(at: 1_700_000_000, kind: .outage, summary: "Site down")
        e.endAt = 1_700_003_600
        e.area = "Spokane"
        let stored = ServiceEvent(id: 7, accountId: "ACC-1", event: e)
        let json = String(decoding: try JSONCoding.encode(stored, pretty: false), as: UTF8.self)
        #expect(json == #"{"accountId":"ACC-1","area":"Spokane","at":"2023-11-14T22:13:20Z","endAt":"2023-11-14T23:13:20Z","#
                + #""id":7,"kind":"outage","summary":"Site down"}"#)
        #expect(try JSONCoding.decoder().decode(ServiceEvent.self, from: Data(json.utf8)) == stored)
        #expect(ServiceEvent.writtenColumns == ServiceEvent.CodingKeys.allCases.dropFirst().map(\.stringValue) + ["fingerprint"])
    }

    /// The row's event fields read and write through the row; times are whole seconds.
    @Test func aStoredEventsFieldsAreItsEvents() {
        var s = ServiceEvent(accountId: "ACC-1", at: Date(timeIntervalSince1970: 1_700_000_000.7), kind: .note,
                             msisdn: "+12065550142", summary: "Called")
        #expect(s.event.at == 1_700_000_000)
        #expect(s.at == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(s.msisdn == "+12065550142" && s.kind == .note && s.endAt == nil)
        s.msisdn = nil
        s.endAt = Date(timeIntervalSince1970: 1_700_000_060)
        #expect(s.event.msisdn == nil)
        #expect(s.event.endAt == 1_700_000_060)
    }
}

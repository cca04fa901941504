import Foundation
import History
import Testing

/// `events(account:since:ofKinds:)`: what the ticket's rules read instead of the whole window.
/// It must return exactly the window's events of those kinds, in the window's order, with
/// every field as the plain query reads it.
@Suite("History store: events of given kinds")
struct EventKindQueryTests {
    @Test func returnsTheWindowsEventsOfTheKindsOnlyInOrder() throws {
        let t = try TempStore(importing: goodFixtures + ["events.csv"])
        defer { t.cleanup() }
        let kinds: Set<String> = ["sim_swap", "outage", "roaming"]
        var kept = 0, left = 0
        for account in ["ACC-1001", "ACC-2001", "ACC-3001", "ACC-4001"] {
            for since in [nil, Date(timeIntervalSince1970: TimeInterval(HistoryDate.parse("2026-11-11T00:00:00Z")!))] {
                let all = try t.store.events(account: account, since: since)
                let wanted = all.filter { kinds.contains($0.kind.rawValue) }
                #expect(try t.store.events(account: account, since: since, ofKinds: kinds) == wanted)
                kept += wanted.count
                left += all.count - wanted.count
            }
        }
        // The fixtures hold events of both sorts, so the filter was exercised both ways.
        #expect(kept > 0 && left > 0)
    }

    @Test func noKindsReadsNothing() throws {
        let t = try TempStore(importing: goodFixtures + ["events.csv"])
        defer { t.cleanup() }
        #expect(try !t.store.events(account: "ACC-1001").isEmpty)
        #expect(try t.store.events(account: "ACC-1001", since: nil, ofKinds: []).isEmpty)
    }

    @Test func readsEveryFieldOfAnEventRow() throws {
        let t = try TempStore(importing: goodFixtures + ["events.csv"])
        defer { t.cleanup() }
        // The trip abroad has an end, a country and a number: the optional columns are read.
        let roaming = try #require(try t.store.events(account: "ACC-3001", since: nil, ofKinds: ["roaming"]).first)
        #expect(roaming.kind == .roaming)
        #expect(roaming.accountId == "ACC-3001")
        #expect(roaming.id != nil)
        #expect(!roaming.summary.isEmpty)
        #expect(roaming.country == "Japan")
        #expect(roaming.endAt == Date(timeIntervalSince1970: TimeInterval(HistoryDate.parse("2026-11-17T20:00:00Z")!)))
        #expect(roaming.at.timeIntervalSince1970.rounded(.down) == roaming.at.timeIntervalSince1970)
    }
}

import Foundation
import History
import Profiles
import TMDiagCore
import Testing
import Ticket

/// `DiagnosisRules.historyEventKinds`: the ticket reads only these kinds of a busy account's
/// events for the rules, so leaving the other kinds out must never change a finding.
extension RuleTests {
    @Test func eventsOfKindsNoRuleNamesChangeNoFinding() throws {
        let kinds = try shippedData.rules().historyEventKinds
        #expect(kinds.isSuperset(of: ["sim_swap", "outage", "roaming"]))
        #expect(!kinds.contains("note") && !kinds.contains("billing"))
        let mixed = [
            ServiceEvent(accountId: "ACC-1", at: daysAgo(2), kind: .simSwap, summary: "eSIM moved"),
            ServiceEvent(accountId: "ACC-1", at: daysAgo(1), endAt: daysAgo(-1), kind: .outage, area: "Seattle",
                         summary: "Tower work"),
            ServiceEvent(accountId: "ACC-1", at: daysAgo(5), endAt: daysAgo(-3), kind: .roaming, country: "Japan",
                         summary: "Trip"),
            ServiceEvent(accountId: "ACC-1", at: daysAgo(1), kind: .note, summary: "Customer called about a SIM"),
            ServiceEvent(accountId: "ACC-1", at: daysAgo(3), kind: .billing, summary: "Bill paid"),
            ServiceEvent(accountId: "ACC-1", at: daysAgo(4), kind: .planChange, plan: "Go5G", summary: "Plan changed"),
        ]
        let kept = mixed.filter { kinds.contains($0.kind.rawValue) }
        #expect(kept.count < mixed.count)
        for d in [device(sim: .absent), device(reg: .denied), device(reg: .roaming, signal: .none), device()] {
            let all = ids(d, history(mixed))
            #expect(!all.isEmpty)
            #expect(ids(d, history(kept)) == all)
        }
    }
}

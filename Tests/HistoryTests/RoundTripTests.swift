import Foundation
import Testing

/// `history export` promises a file that re-imports: a store built through every command that
/// writes history must come back whole, and exporting the copy must give the same document.
@Suite("export and import round-trip every history the commands can make",
       .enabled(if: binaryExists, "build tmdiag first (swift build)"))
struct RoundTripTests {
    @Test func everyCommandsHistoryRoundTrips() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = dir.appendingPathComponent("a.sqlite").path
        let second = dir.appendingPathComponent("b.sqlite").path
        func ok(_ args: [String], _ store: String) throws {
            let r = try runTMDiag(args, store: store)
            #expect(r.status == 0, "\(args): \(r.err)")
        }
        for f in ["consumer.json", "business.json", "events.csv"] { try ok(["history", "import", fixture(f)], first) }
        // A case with nothing but its number, one with everything, an update of an imported one.
        try ok(["history", "add-case", "--account", "ACC-1001", "--case", "CAS-1"], first)
        try ok(["history", "add-case", "--account", "ACC-1001", "--case", "CAS-2", "--channel", "email", "--rep", "R 9",
                "--status", "escalated", "--summary", "No data on the hotspot", "--resolution", "Sent to tier 2",
                "--report", "R-OK0004", "--at", "2026-11-20T08:00:00Z"], first)
        try ok(["history", "add-case", "--account", "ACC-2001", "--case", "CAS-70110", "--status", "closed",
                "--resolution", "APN set on the hotspot"], first)
        for kind in ["plan_change", "sim_swap", "device_change", "port_in", "port_out", "outage", "roaming", "billing", "note"] {
            try ok(["history", "add-event", "--account", "ACC-1001", "--kind", kind, "--summary", "made by add-event: \(kind)",
                    "--at", "2026-11-21T10:00:00Z"], first)
        }
        try ok(["history", "add-event", "--account", "ACC-1001", "--kind", "roaming", "--country", "Spain",
                "--at", "2026-11-22T10:00:00Z", "--end", "2026-11-25T10:00:00Z", "--msisdn", "+12065550142"], first)
        // A ticket's draft contact is store-only (no case number yet) and must not break the export.
        let ticket = try runTMDiag(["ticket", "--report", packageRoot.appendingPathComponent("Fixtures/tickets/reports/healthy.json").path, "--account", "ACC-1001",
                                    "--no-input", "--summary", "no data"], store: first)
        #expect(ticket.status == 0, "\(ticket.err)")

        let exported = dir.appendingPathComponent("export.json").path
        try ok(["history", "export", "-o", exported], first)
        try ok(["history", "import", exported], second)
        let again = try runTMDiag(["history", "export"], store: second)
        #expect(again.status == 0, "\(again.err)")
        let original = try String(contentsOfFile: exported, encoding: .utf8)
        #expect(again.out == original, "the copy exports differently from the original")
        let csv = dir.appendingPathComponent("events.csv").path
        try ok(["history", "export", "--csv", "-o", csv], first)
        let third = dir.appendingPathComponent("c.sqlite").path
        for f in ["consumer.json", "business.json"] { try ok(["history", "import", fixture(f)], third) }
        try ok(["history", "import", csv], third)
    }
}

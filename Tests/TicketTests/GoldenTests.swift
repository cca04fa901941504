import Foundation
import History
import Kit
import TMDiagCore
import Testing
import Ticket

/// Golden files in Fixtures/tickets/: `<scenario>.txt`, `.md`, `.json`. Set TMDIAG_UPDATE_GOLDEN=1
/// to rewrite them after a deliberate change (then review the diff).
@Suite struct GoldenTests {
    static let update = ProcessInfo.processInfo.environment["TMDIAG_UPDATE_GOLDEN"] == "1"

    static let cases: [(Scenario, TicketFormat)] = Scenario.all.flatMap { s in TicketFormat.allCases.map { (s, $0) } }

    @Test(arguments: cases)
    func matchesGolden(_ scenario: Scenario, _ format: TicketFormat) throws {
        let (result, st) = try runScenario(scenario, format: format)
        defer { st.cleanup() }
        let ext = format == .text ? "txt" : format == .markdown ? "md" : "json"
        let url = goldenDir.appendingPathComponent("\(scenario.name).\(ext)")
        if Self.update {
            try Data(result.output.utf8).write(to: url)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(result.output == golden, "\(scenario.name).\(ext) differs from the golden file; TMDIAG_UPDATE_GOLDEN=1 rewrites it")
    }

    @Test(arguments: Scenario.all)
    func textIsWrappedAt72(_ scenario: Scenario) throws {
        let (result, st) = try runScenario(scenario, format: .text)
        defer { st.cleanup() }
        for line in result.output.split(separator: "\n") {
            #expect(line.count <= 72, "too wide: \(line)")
        }
    }

    @Test(arguments: Scenario.all)
    func everyFormatIsMasked(_ scenario: Scenario) throws {
        for format in TicketFormat.allCases {
            let (result, st) = try runScenario(scenario, format: format)
            defer { st.cleanup() }
            assertNoFullIdentifiers(result.output, "\(scenario.name) \(format)")
            #expect(result.output.contains("PIN"), "the PIN/password reminder is missing")
        }
    }

    @Test func revealShowsWhatItNames() throws {
        let s = Scenario.all[1]
        let (result, st) = try runScenario(s, format: .text, reveal: RevealSet([.imei]))
        defer { st.cleanup() }
        #expect(result.output.contains("359225100000009"))
        #expect(!result.output.contains("8901260555666777888"))
    }

    @Test func scenariosFindWhatTheyShould() throws {
        let expected: [String: (finding: String, department: String)] = [
            "sim-swap-no-service": ("sim-after-swap", "Customer Care, account and line provisioning"),
            "business-registration-denied": ("registration-denied-provisioning", "Business Customer Service"),
            "traveller-roaming": ("roaming-no-service", "International support"),
            "healthy-billing-question": ("billing-question", "Customer Care, billing"),
        ]
        for s in Scenario.all {
            let (result, st) = try runScenario(s, format: .json)
            defer { st.cleanup() }
            let t = result.ticket
            let want = try #require(expected[s.name])
            #expect(t.findings.map(\.id).contains(want.finding), "\(s.name): \(t.findings.map(\.id))")
            #expect(t.routing?.department == want.department, "\(s.name): \(t.routing?.department ?? "-")")
            #expect(t.account != nil, "\(s.name): account not found through the report")
        }
    }

    @Test func simSwapScenarioEscalatesWithCaseNumbers() throws {
        let (result, st) = try runScenario(Scenario.all[0], format: .text)
        defer { st.cleanup() }
        let r = try #require(result.ticket.routing)
        #expect(r.quoteCases == ["CAS-91064", "CAS-91017", "CAS-91001"])
        #expect(result.ticket.findings.first?.id == "repeated-cases")
        #expect(!result.ticket.findings.map(\.id).contains("sim-failure"), "the swap finding supersedes the plain one")
        #expect(result.ticket.issue.secretRemoved)
        #expect(result.output.contains("2026-11-12 sim swap"))
    }

    @Test func recordsADraftContactLinkedToTheReport() throws {
        let s = Scenario.all[0]
        let (result, st) = try runScenario(s, format: .text, record: true)
        defer { st.cleanup() }
        let draft = try #require(result.ticket.draft)
        #expect(draft.hasPrefix("DRAFT-"))
        #expect(result.output.contains(draft))
        let drafts = try st.store.cases(account: "ACC-4001").filter { $0.status == .draft }
        #expect(drafts.count == 1)
        #expect(drafts.first?.reportIds == ["R-SWAP01"])
    }

    @Test func notStatedWithoutWords() throws {
        var s = Scenario.all[1]
        s.issue = IssueDescription()
        let (result, st) = try runScenario(s, format: .text)
        defer { st.cleanup() }
        #expect(result.ticket.issue.summary == "not stated")
        #expect(result.ticket.issue.started == "not stated")
        #expect(result.output.contains("Problem: not stated"))
    }

    @Test func accountFoundThroughTheStoredReportIdentifiers() throws {
        // A masked report in the store still finds its account through the identifiers the
        // store keeps for it.
        let s = Scenario.all[1]
        let st = try ScenarioStore(s)
        defer { st.cleanup() }
        let full = try JSONCoding.decoder().decode(DeviceReport.self, from: Data(contentsOf: URL(fileURLWithPath: s.reportPath)))
        let masked = try full.masked(.none).sealed()
        let json = try JSONCoding.encode(masked)
        try st.store.saveReport(StoredReport(id: masked.reportId, createdAt: masked.createdAt, imeis: ["359225100000009"],
                                             iccids: ["8901260555666777888"], json: json))
        let o = TicketPipeline.Options(issue: s.issue, record: false, now: s.now, timeZone: utc)
        let result = try TicketPipeline.run(o, store: st.store, data: shippedData)
        #expect(result.ticket.account?.id == "ACC-2001")
        // The attachment names the digest the report carries as attached (masked, sealed).
        #expect(result.ticket.attachments.first?.sha256 == masked.digest)
    }
}

@Suite struct BusyAccountTests {
    /// Only the newest events of the window are read for display; the rules still see theirs.
    @Test func rulesSeeEventsBeyondTheDisplayedNewest() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try HistoryStore.open(path: dir.appendingPathComponent("s.sqlite").path)
        let now = date("2026-11-18T12:00:00Z")
        var events = [#"{"at": "2026-11-13T10:00:00Z", "kind": "sim_swap", "summary": "SIM swapped"}"#]
        for i in 0..<600 {
            let at = Timestamp.format(now.addingTimeInterval(-Double(i + 1) * 240))
            events.append(#"{"at": "\#(at)", "kind": "note", "summary": "note \#(i)"}"#)
        }
        let doc = #"{"accounts": [{"id": "ACC-9", "type": "consumer", "lines": [{"msisdn": "+12065550199", "imei": "860910041234567"}], "events": [\#(events.joined(separator: ","))]}]}"#
        _ = try store.importHistory(json: Data(doc.utf8), file: "busy.json")
        let o = TicketPipeline.Options(report: Scenario.all[0].reportPath, issue: IssueDescription(), record: false,
                                       now: now, timeZone: utc)
        let t = try TicketPipeline.run(o, store: store, data: shippedData).ticket
        #expect(t.account?.id == "ACC-9")
        #expect(t.findings.map(\.id).contains("sim-after-swap"))
        #expect(t.history.count == 15)
        #expect(t.historyTotal == 601)
    }
}

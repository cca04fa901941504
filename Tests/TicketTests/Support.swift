import Foundation
import History
import Kit
import Profiles
import TMDiagCore
import Testing
import Ticket

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let fixturesDir = packageRoot.appendingPathComponent("Fixtures")
let goldenDir = fixturesDir.appendingPathComponent("tickets")
let shippedData = DataSources(locations: ProfileLocations(shipped: packageRoot.appendingPathComponent("Profiles").path, user: nil))
let utc = TimeZone(identifier: "UTC")!

func date(_ s: String) -> Date { Timestamp.parse(s)! }

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tmdiag-ticket-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// One of the golden scenarios: a report fixture, a history fixture, a fixed "now" and the
/// customer's words.
struct Scenario: Sendable, CustomStringConvertible {
    var name: String
    var report: String
    var history: String
    var now: Date
    var issue: IssueDescription
    var description: String { name }

    var reportPath: String { goldenDir.appendingPathComponent("reports/\(report)").path }

    static let all: [Scenario] = [
        Scenario(name: "sim-swap-no-service", report: "sim-swap.json", history: "sim-swap-no-service.json",
                 now: date("2026-11-18T12:00:00Z"),
                 issue: IssueDescription(summary: "No service since the SIM was replaced in the store. My PIN is 4821.",
                                         started: "2026-11-12", changed: "SIM replaced in store",
                                         tried: ["restarted the phone", "reseated the SIM", "PUK 12345678 from the card"])),
        Scenario(name: "business-registration-denied", report: "business-denied.json", history: "business.json",
                 now: date("2026-11-18T12:00:00Z"),
                 issue: IssueDescription(summary: "Fleet hotspot modem will not connect to LTE",
                                         started: "yesterday", changed: "The number was ported in last month",
                                         tried: ["Rebooted the modem", "Checked the APN"])),
        Scenario(name: "traveller-roaming", report: "roaming.json", history: "roaming.json",
                 now: date("2026-11-10T08:30:00Z"),
                 issue: IssueDescription(summary: "No service in Japan on my travel router; call me back at +44 7700 900123",
                                         started: "3 days ago", changed: "Arrived in Tokyo", tried: ["Turned data roaming on"])),
        Scenario(name: "healthy-billing-question", report: "healthy.json", history: "consumer.json",
                 now: date("2026-11-20T18:00:00Z"),
                 issue: IssueDescription(summary: "Why was I charged twice on my last bill? password: hunter2",
                                         started: "Monday", changed: nil, tried: [])),
    ]
}

/// A temporary store with the scenario's history and the TAC table imported.
struct ScenarioStore {
    let dir: URL
    let store: HistoryStore

    init(_ s: Scenario) throws {
        dir = temporaryDirectory()
        store = try HistoryStore.open(path: dir.appendingPathComponent("tmdiag.sqlite").path)
        _ = try store.importFile(fixturesDir.appendingPathComponent("history/\(s.history)").path)
        _ = try store.importTAC(path: fixturesDir.appendingPathComponent("history/tac.csv").path)
    }

    func cleanup() { try? FileManager.default.removeItem(at: dir) }
}

func runScenario(_ s: Scenario, format: TicketFormat, record: Bool = false, bundle: String? = nil,
                 reveal: RevealSet = .none) throws -> (TicketPipeline.Result, ScenarioStore) {
    let st = try ScenarioStore(s)
    let o = TicketPipeline.Options(report: s.reportPath, issue: s.issue, format: format, reveal: reveal, bundle: bundle,
                                   record: record, now: s.now, timeZone: utc)
    return (try TicketPipeline.run(o, store: st.store, data: shippedData), st)
}

/// Full identifiers named anywhere in the fixtures: none may appear in a masked output.
let fullIdentifiers: [String] = [
    // IMEIs (reports and history)
    "860910041234567", "359225100000009", "861695030000124", "356938035643809", "354672109988772",
    "353285112345673", "352906110000017", "358465098765434",
    // ICCIDs
    "8901260444555666777", "8901260555666777888", "8944200011223344556", "8901260123456789012",
    "8901260987654321098", "89012601112223334445",
    // IMSIs
    "310260555666777", "234150011223344",
    // numbers, as stored and as typed
    "2065550199", "2065550171", "2065550172", "2065550173", "7700900123", "7700 900123", "2065550142", "5095550110",
    // serials
    "LF94837261050210", "3A081FDH2009XY",
    // secrets typed by the customer
    "4821", "12345678", "hunter2",
]

func assertNoFullIdentifiers(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for id in fullIdentifiers {
        #expect(!text.contains(id), "\(what) shows \(id)", sourceLocation: sourceLocation)
    }
}
